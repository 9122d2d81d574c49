/** Constants of the KVM UAPI (include/uapi/linux/kvm.h, arch/x86/include/uapi/asm/kvm.h). */
export const KVM_MSR_FILTER_READ = 1 << 0;
export const KVM_MSR_FILTER_WRITE = 1 << 1;
export const KVM_MSR_FILTER_DEFAULT_ALLOW = 0;
export const KVM_MSR_FILTER_DEFAULT_DENY = 1 << 0;
export const KVM_MSR_FILTER_MAX_RANGES = 16;
export const KVM_MSR_FILTER_MAX_BITMAP_SIZE = 0x600;
export const KVM_MSR_FILTER_MAX_MSRS = KVM_MSR_FILTER_MAX_BITMAP_SIZE * 8;

export const KVM_MSR_EXIT_REASON_INVAL = 1 << 0;
export const KVM_MSR_EXIT_REASON_UNKNOWN = 1 << 1;
export const KVM_MSR_EXIT_REASON_FILTER = 1 << 2;
export const KVM_MSR_EXIT_REASON_VALID_MASK = 0x7;

export const X2APIC_FIRST = 0x800;
export const X2APIC_LAST = 0x8ff;

export type AccessType = 'read' | 'write';
export const ACCESS_FLAG: Record<AccessType, number> = { read: KVM_MSR_FILTER_READ, write: KVM_MSR_FILTER_WRITE };

export type ExitReason = 'inval' | 'unknown' | 'filter';
export const EXIT_REASON_BIT: Record<ExitReason, number> = {
  inval: KVM_MSR_EXIT_REASON_INVAL,
  unknown: KVM_MSR_EXIT_REASON_UNKNOWN,
  filter: KVM_MSR_EXIT_REASON_FILTER,
};
export const EXIT_REASONS: readonly ExitReason[] = ['inval', 'unknown', 'filter'];

export type Errno = 'EINVAL' | 'EFAULT' | 'E2BIG' | 'ENOMEM' | 'ENOENT' | 'EPERM';
