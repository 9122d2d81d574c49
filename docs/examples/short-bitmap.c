/* A 1-MSR range with a 1-byte bitmap, as hyperlight builds it: the kernel copies BITS_TO_LONGS(1) * 8 = 8 bytes. */
#include <linux/kvm.h>

static __u8 allow_tsc[1] = { 0x01 };

struct kvm_msr_filter filter = {
	.flags = KVM_MSR_FILTER_DEFAULT_DENY,
	.ranges = { [0] = { .flags = KVM_MSR_FILTER_READ, .nmsrs = 1, .base = 0x10, .bitmap = allow_tsc } },
};
