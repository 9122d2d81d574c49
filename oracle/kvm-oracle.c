/*
 * kvm-oracle — runs guest RDMSR/WRMSR on the real kernel through /dev/kvm.
 *
 * Line protocol on stdin/stdout, documented exactly in oracle/README.md.
 * One response line per command, flushed at once. Numbers are hex with 0x.
 *
 * Exit status: 0 after `quit` or end of input; 2 protocol error (unknown or
 * malformed command); 3 no usable /dev/kvm; 4 runtime failure (an ioctl that
 * must not fail did, the guest or kernel did something unexpected, timeout).
 * Every non-zero exit prints one line `fatal ...` on stdout first.
 *
 * Written for the MSR Filter Playground. Not derived from kernel or QEMU code.
 *
 * Guest physical memory (2 MiB at GPA 0, nothing below 0x1000 is used, so that
 * PV MSRs that make KVM write structures at GPA 0 cannot clobber the guest):
 *   0x1000 PML4, 0x2000 PDPT, 0x3000 PD (one 2 MiB identity page)
 *   0x4000 GDT (null, 0x08 code64, 0x10 data, 0x18 64-bit TSS descriptor)
 *   0x4800 TSS
 *   0x5000 IDT (long mode, 256 gates)
 *   0x6000 IVT (real mode, 256 far pointers; IDTR.base = 0x6000)
 *   0x7000 exception stubs, 8 bytes per vector: mov al,VEC; out 0xf1,al; hlt; jmp hlt
 *   0x8000 RDMSR stub: rdmsr; out 0xf0,al; hlt; jmp hlt
 *   0x8010 WRMSR stub: wrmsr; out 0xf0,al; hlt; jmp hlt
 *   0x8020 CPUID stub: cpuid; out 0xf0,al; hlt; jmp hlt (diagnostic `guestcpuid`)
 *   0xf000 stack top (RSP/SP reset before every access)
 * The same stub bytes are valid in real mode and in 64-bit mode.
 *
 * Guarding its own memory: some MSRs make KVM write guest memory at a GPA the
 * scenario chooses (kvmclock 0x11/0x12/0x4b564d00/0x4b564d01, async PF
 * 0x4b564d02, steal time 0x4b564d03, PV EOI 0x4b564d04, the Hyper-V pages at
 * 0x40000000+, ...), synchronously or on a later KVM_RUN entry. Written over
 * the stubs, the IDT or the page tables, that would turn the next access's
 * answer into something other than the filter's. So the helper keeps a copy
 * of 0x1000-0x8fff (page tables to stubs, with the accessed/dirty bits the CPU
 * would set already set) and checks it after every command and every KVM_RUN;
 * the stack page 0xe000-0xefff is zeroed before each access and must hold
 * nothing but the CPU's own #GP frame after it. On a difference it prints
 * `fatal refused ...` (which bytes, whose) and exits 5: the scenario is refused,
 * not answered.
 *
 * linux64 CPUID (KVM_SET_CPUID2), every value ANDed with KVM_GET_SUPPORTED_CPUID
 * unless marked "set":
 *   leaf            reg  kept
 *   0x0             EAX  max basic leaf, set to min(supported, 0xd)
 *                   EBX/ECX/EDX vendor string as the host reports it
 *   0x1             EAX  family/model/stepping as supported
 *                   EBX  bits 15:8 (CLFLUSH line size) only; APIC ID 0
 *                   ECX  SSE3(0) X2APIC(21)
 *                   EDX  FPU(0) TSC(4) MSR(5) PAE(6) MCE(7) CX8(8) APIC(9)
 *                        SEP(11) MTRR(12) PGE(13) MCA(14) CMOV(15) PAT(16)
 *                        CLFSH(19) MMX(23) FXSR(24) SSE(25) SSE2(26)
 *   0x7.0           EAX  0 (set: no further subleaves)
 *                   EBX  FSGSBASE(0) SMEP(7) ERMS(9) SMAP(20)
 *                   ECX, EDX  none
 *   0xd.0           EAX  x87|SSE (0x3); EBX = ECX = 0x240 (set); EDX 0
 *   0xd.1           all zero (no XSAVEOPT/XSAVEC/XSAVES/XFD)
 *   0x80000000      EAX  max extended leaf, set to 0x80000008; vendor as host
 *   0x80000001      EAX  as supported; ECX LAHF_LM(0);
 *                   EDX  SYSCALL(11) NX(20) RDTSCP(27) LM(29)
 *   0x80000007      EDX  invariant TSC(8) only
 *   0x80000008      EAX  bits 15:0 (physical and linear address bits) only;
 *                   EBX/ECX/EDX 0
 * No other leaves (no 0x40000000 KVM PV leaves, no XSAVE, PDCM,
 * ARCH_CAPABILITIES, SPEC_CTRL, FLUSH_L1D, TSC_ADJUST, TSC_DEADLINE).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM_SIZE 0x200000UL
#define PML4_ADDR 0x1000UL
#define PDPT_ADDR 0x2000UL
#define PD_ADDR 0x3000UL
#define GDT_ADDR 0x4000UL
#define TSS_ADDR 0x4800UL
#define IDT_ADDR 0x5000UL
#define IVT_ADDR 0x6000UL
#define EXC_STUBS 0x7000UL
#define RD_STUB 0x8000UL
#define WR_STUB 0x8010UL
#define CPUID_STUB 0x8020UL
#define STACK_TOP 0xf000UL
#define STACK_LOW 0xe000UL
#define GUARD_LOW 0x1000UL   /* guarded: page tables .. stubs */
#define GUARD_END 0x9000UL

#define PORT_DONE 0xf0
#define PORT_EXC 0xf1

#define MAX_RUNS 64          /* KVM_RUN calls per guest access */
#define CMD_TIMEOUT_SECS 10  /* per command */
#define BITMAP_CAP 0x700     /* largest bitmap buffer allocated for a range */

/* internal reason codes (KVM's exit reason bits, plus "ignored") */
#define KR_NONE 0
#define KR_INVAL KVM_MSR_EXIT_REASON_INVAL
#define KR_UNKNOWN KVM_MSR_EXIT_REASON_UNKNOWN
#define KR_FILTER KVM_MSR_EXIT_REASON_FILTER
#define KR_IGNORED 0x100

enum model { M_NONE, M_BARE, M_LINUX64 };

static int kvm_fd = -1, vm_fd = -1, vcpu_fd = -1;
static struct kvm_run *run;
static size_t run_size;
static uint8_t *mem;
static enum model model = M_NONE;
static uint64_t user_mask;      /* the mask the scenario asked for */
static uint64_t kernel_mask;    /* the mask KVM has: 0x7 unless `rawexits` */
static int ignore_msrs;         /* emulated kvm.ignore_msrs */

/* ------------------------------------------------------------------ output */

static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static void __attribute__((noreturn)) die(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("fatal ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	exit(status);
}

#define PROTO(...) die(2, __VA_ARGS__)
#define NOKVM(...) die(3, "no-kvm " __VA_ARGS__)
#define FAIL(...) die(4, __VA_ARGS__)
#define REFUSE(...) die(5, "refused " __VA_ARGS__)

static const char *errno_name(int e)
{
	static char buf[32];
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOTTY: return "ENOTTY";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:
		snprintf(buf, sizeof(buf), "E%d", e);
		return buf;
	}
}

static void on_alarm(int sig)
{
	static const char msg[] = "fatal timeout\n";
	(void)sig;
	/* async-signal-safe: write(2) directly, bypassing stdio */
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more we can do */
	}
	_exit(4);
}

/* ----------------------------------------------------------------- parsing */

/* Parse "0x" + 1..16 hex digits; max is the largest value allowed. */
static int parse_hex(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0;

	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (s += 2; *s; s++, n++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (x >> 60)
			return -1; /* would overflow 64 bits */
		x = (x << 4) | (uint64_t)d;
	}
	if (n == 0 || x > max)
		return -1;
	*v = x;
	return 0;
}

#define MAX_TOK 8
static int split(char *line, char **tok)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_TOK)
			return MAX_TOK + 1;
		tok[n++] = t;
	}
	return n;
}

static char *line_buf;
static size_t line_cap;

/* Read one line without its newline; NULL at end of input. */
static char *read_line(void)
{
	ssize_t n = getline(&line_buf, &line_cap, stdin);
	if (n < 0)
		return NULL;
	while (n > 0 && (line_buf[n - 1] == '\n' || line_buf[n - 1] == '\r'))
		line_buf[--n] = 0;
	return line_buf;
}

/* ------------------------------------------------------------- VM set-up */

static void check_kvm(void)
{
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		NOKVM("cannot open /dev/kvm: %s", strerror(errno));
	int v = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION)
		NOKVM("KVM_GET_API_VERSION returned %d", v);
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_USER_SPACE_MSR) <= 0)
		NOKVM("KVM_CAP_X86_USER_SPACE_MSR not available");
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER) <= 0)
		NOKVM("KVM_CAP_X86_MSR_FILTER not available");
}

static int enable_user_space_msr(uint64_t mask)
{
	struct kvm_enable_cap cap;
	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_X86_USER_SPACE_MSR;
	cap.args[0] = mask;
	return ioctl(vm_fd, KVM_ENABLE_CAP, &cap) < 0 ? errno : 0;
}

static void put8(uint64_t gpa, uint8_t v) { mem[gpa] = v; }
static void put16(uint64_t gpa, uint16_t v) { memcpy(mem + gpa, &v, 2); }
static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }
static uint16_t get16(uint64_t gpa) { uint16_t v; memcpy(&v, mem + gpa, 2); return v; }
static uint64_t get64(uint64_t gpa) { uint64_t v; memcpy(&v, mem + gpa, 8); return v; }

static void write_guest_code(void)
{
	/* exception stubs */
	for (int v = 0; v < 256; v++) {
		uint64_t a = EXC_STUBS + 8 * (uint64_t)v;
		static const uint8_t tail[] = { 0xe6, PORT_EXC, 0xf4, 0xeb, 0xfd, 0x90 };
		put8(a, 0xb0); /* mov al, imm8 */
		put8(a + 1, (uint8_t)v);
		memcpy(mem + a + 2, tail, sizeof(tail));
	}
	static const uint8_t rd[] = { 0x0f, 0x32, 0xe6, PORT_DONE, 0xf4, 0xeb, 0xfd };
	static const uint8_t wr[] = { 0x0f, 0x30, 0xe6, PORT_DONE, 0xf4, 0xeb, 0xfd };
	memcpy(mem + RD_STUB, rd, sizeof(rd));
	memcpy(mem + WR_STUB, wr, sizeof(wr));
	static const uint8_t cpuid[] = { 0x0f, 0xa2, 0xe6, PORT_DONE, 0xf4, 0xeb, 0xfd };
	memcpy(mem + CPUID_STUB, cpuid, sizeof(cpuid));

	/* real-mode IVT: offset, segment 0 */
	for (int v = 0; v < 256; v++) {
		put16(IVT_ADDR + 4 * (uint64_t)v, (uint16_t)(EXC_STUBS + 8 * v));
		put16(IVT_ADDR + 4 * (uint64_t)v + 2, 0);
	}

	/* long-mode IDT: 64-bit interrupt gates, selector 0x08, DPL 0 */
	for (int v = 0; v < 256; v++) {
		uint64_t a = IDT_ADDR + 16 * (uint64_t)v;
		uint64_t h = EXC_STUBS + 8 * (uint64_t)v;
		put16(a, (uint16_t)h);
		put16(a + 2, 0x08);
		put8(a + 4, 0);    /* IST */
		put8(a + 5, 0x8e); /* P, DPL0, 64-bit interrupt gate */
		put16(a + 6, (uint16_t)(h >> 16));
		memcpy(mem + a + 8, &(uint32_t){ (uint32_t)(h >> 32) }, 4);
		memset(mem + a + 12, 0, 4);
	}

	/* GDT */
	put64(GDT_ADDR + 0x00, 0);
	/* accessed bits already set: the CPU never has to write the GDT */
	put64(GDT_ADDR + 0x08, 0x00af9b000000ffffULL); /* code: L=1, P, DPL0 */
	put64(GDT_ADDR + 0x10, 0x00cf93000000ffffULL); /* data: RW, 4 GiB */
	uint64_t tss_lo = 0x67 | ((TSS_ADDR & 0xffffff) << 16) | (0x8bULL << 40) |
			  (((TSS_ADDR >> 24) & 0xff) << 56);
	put64(GDT_ADDR + 0x18, tss_lo);
	put64(GDT_ADDR + 0x20, TSS_ADDR >> 32);
	memset(mem + TSS_ADDR, 0, 0x68);
	put16(TSS_ADDR + 0x66, 0x68); /* I/O map base: none */

	/* identity map of the first 2 MiB; accessed and dirty already set, so that
	 * the page walk never writes the tables */
	put64(PML4_ADDR, PDPT_ADDR | 0x23);
	put64(PDPT_ADDR, PD_ADDR | 0x23);
	put64(PD_ADDR, 0x0 | 0xe3); /* P, RW, A, D, PS */
}

/* ------------------------------------------------------- memory guard */

static uint8_t pristine[GUARD_END - GUARD_LOW];

static void guard_snapshot(void) { memcpy(pristine, mem + GUARD_LOW, sizeof(pristine)); }

static const char *guarded_name(uint64_t gpa)
{
	if (gpa < PDPT_ADDR) return "PML4";
	if (gpa < PD_ADDR) return "PDPT";
	if (gpa < GDT_ADDR) return "page directory";
	if (gpa < TSS_ADDR) return "GDT";
	if (gpa < IDT_ADDR) return "TSS";
	if (gpa < IVT_ADDR) return "IDT";
	if (gpa < EXC_STUBS) return "real-mode IVT";
	if (gpa < RD_STUB) return "exception stubs";
	return "RDMSR/WRMSR/CPUID stubs";
}

/* Refuses the scenario if KVM wrote over the guarded pages. */
static void guard_check(const char *what)
{
	size_t n = sizeof(pristine), lo = 0, hi;
	if (!mem)
		return; /* no VM (after `close`): nothing to guard */
	while (lo < n && mem[GUARD_LOW + lo] == pristine[lo])
		lo++;
	if (lo == n)
		return;
	hi = n - 1;
	while (mem[GUARD_LOW + hi] == pristine[hi])
		hi--;
	REFUSE("%s: KVM wrote guest memory 0x%lx-0x%lx, over the helper's %s (an MSR the scenario wrote "
	       "points KVM there); the answers would not be the filter's",
	       what, GUARD_LOW + lo, GUARD_LOW + hi, guarded_name(GUARD_LOW + lo));
}

/* The stack page must hold zeros below `keep` bytes under STACK_TOP (the #GP frame, if any). */
static void stack_check(const char *what, uint64_t keep)
{
	for (uint64_t a = STACK_LOW; a < STACK_TOP - keep; a++)
		if (mem[a])
			REFUSE("%s: KVM wrote guest memory at 0x%lx, in the helper's stack page (an MSR the "
			       "scenario wrote points KVM there); the answers would not be the filter's",
			       what, a);
}

struct cpuid_keep {
	uint32_t fn, idx;
	uint32_t eax, ebx, ecx, edx; /* masks ANDed with the supported values */
};

#define B(n) (1U << (n))
static const struct cpuid_keep keep[] = {
	{ 0x0, 0, ~0U, ~0U, ~0U, ~0U },
	{ 0x1, 0, ~0U, 0x0000ff00U, B(0) | B(21),
	  B(0) | B(4) | B(5) | B(6) | B(7) | B(8) | B(9) | B(11) | B(12) | B(13) | B(14) |
		  B(15) | B(16) | B(19) | B(23) | B(24) | B(25) | B(26) },
	{ 0x7, 0, 0, B(0) | B(7) | B(9) | B(20), 0, 0 },
	{ 0xd, 0, 0x3, 0, 0, 0 },
	{ 0xd, 1, 0, 0, 0, 0 },
	{ 0x80000000, 0, ~0U, ~0U, ~0U, ~0U },
	{ 0x80000001, 0, ~0U, 0, B(0), B(11) | B(20) | B(27) | B(29) },
	{ 0x80000007, 0, 0, 0, 0, B(8) },
	{ 0x80000008, 0, 0xffff, 0, 0, 0 },
};

static void set_linux64_cpuid(void)
{
	int nent = 64;
	struct kvm_cpuid2 *sup = NULL;
	for (;;) {
		sup = realloc(sup, sizeof(*sup) + (size_t)nent * sizeof(struct kvm_cpuid_entry2));
		if (!sup)
			FAIL("out of memory");
		memset(sup, 0, sizeof(*sup) + (size_t)nent * sizeof(struct kvm_cpuid_entry2));
		sup->nent = (uint32_t)nent;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, sup) == 0)
			break;
		if (errno != E2BIG || nent > 4096)
			FAIL("KVM_GET_SUPPORTED_CPUID: %s", errno_name(errno));
		nent *= 2;
	}

	size_t nkeep = sizeof(keep) / sizeof(keep[0]);
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + nkeep * sizeof(struct kvm_cpuid_entry2));
	if (!c)
		FAIL("out of memory");
	for (size_t k = 0; k < nkeep; k++) {
		struct kvm_cpuid_entry2 *s = NULL;
		for (uint32_t i = 0; i < sup->nent; i++) {
			struct kvm_cpuid_entry2 *e = &sup->entries[i];
			if (e->function != keep[k].fn)
				continue;
			if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) && e->index != keep[k].idx)
				continue;
			s = e;
			break;
		}
		if (!s)
			continue; /* host lacks the leaf: leave it out */
		struct kvm_cpuid_entry2 *d = &c->entries[c->nent++];
		*d = *s;
		d->index = keep[k].idx;
		d->eax &= keep[k].eax;
		d->ebx &= keep[k].ebx;
		d->ecx &= keep[k].ecx;
		d->edx &= keep[k].edx;
		memset(d->padding, 0, sizeof(d->padding));
		if (d->function == 0x0 && d->eax > 0xd)
			d->eax = 0xd;
		if (d->function == 0x80000000 && d->eax > 0x80000008)
			d->eax = 0x80000008;
		if (d->function == 0xd && d->index == 0)
			d->ebx = d->ecx = 0x240;
	}
	if (ioctl(vcpu_fd, KVM_SET_CPUID2, c) < 0)
		FAIL("KVM_SET_CPUID2: %s", errno_name(errno));
	free(c);
	free(sup);
}

static void seg_flat(struct kvm_segment *s, uint16_t sel, uint8_t type, int code64)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->dpl = 0;
	s->db = code64 ? 0 : 1;
	s->s = 1;
	s->l = code64 ? 1 : 0;
	s->g = 1;
}

static void create_vm(enum model m)
{
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		FAIL("KVM_CREATE_VM: %s", errno_name(errno));

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		FAIL("mmap guest memory: %s", strerror(errno));
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.flags = 0,
		.guest_phys_addr = 0,
		.memory_size = MEM_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		FAIL("KVM_SET_USER_MEMORY_REGION: %s", errno_name(errno));
	write_guest_code();
	guard_snapshot();

	if (m == M_LINUX64 && ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		FAIL("KVM_CREATE_IRQCHIP: %s", errno_name(errno));

	vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	if (vcpu_fd < 0)
		FAIL("KVM_CREATE_VCPU: %s", errno_name(errno));
	int sz = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (int)sizeof(struct kvm_run))
		FAIL("KVM_GET_VCPU_MMAP_SIZE: %d", sz);
	run_size = (size_t)sz;
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	if (run == MAP_FAILED)
		FAIL("mmap kvm_run: %s", strerror(errno));

	if (m == M_LINUX64)
		set_linux64_cpuid();

	struct kvm_sregs sr;
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sr) < 0)
		FAIL("KVM_GET_SREGS: %s", errno_name(errno));
	if (m == M_BARE) {
		/* reset state, except CS base/selector 0 and the IVT at IVT_ADDR */
		sr.cs.selector = 0;
		sr.cs.base = 0;
		sr.idt.base = IVT_ADDR;
		sr.idt.limit = 0x3ff;
	} else {
		seg_flat(&sr.cs, 0x08, 0xb, 1);
		seg_flat(&sr.ds, 0x10, 0x3, 0);
		sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
		memset(&sr.tr, 0, sizeof(sr.tr));
		sr.tr.base = TSS_ADDR;
		sr.tr.limit = 0x67;
		sr.tr.selector = 0x18;
		sr.tr.type = 0xb; /* busy 64-bit TSS */
		sr.tr.present = 1;
		memset(&sr.ldt, 0, sizeof(sr.ldt));
		sr.ldt.type = 0x2;
		sr.ldt.unusable = 1;
		sr.gdt.base = GDT_ADDR;
		sr.gdt.limit = 0x27;
		sr.idt.base = IDT_ADDR;
		sr.idt.limit = 0xfff;
		sr.cr3 = PML4_ADDR;
		sr.cr4 = 0x20 | 0x200 | 0x400; /* PAE, OSFXSR, OSXMMEXCPT */
		sr.cr0 = 0x80000000UL | 0x10000 | 0x20 | 0x10 | 0x2 | 0x1; /* PG WP NE ET MP PE */
		sr.efer = 0x1 | 0x100 | 0x400 | 0x800; /* SCE LME LMA NXE */
		/* sr.apic_base unchanged: reset value */
	}
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sr) < 0)
		FAIL("KVM_SET_SREGS: %s", errno_name(errno));

	/* internal: always ask KVM for every exit reason (see README) */
	int e = enable_user_space_msr(0x7);
	if (e)
		FAIL("KVM_ENABLE_CAP(USER_SPACE_MSR, 0x7): %s", errno_name(e));
	user_mask = 0;
	kernel_mask = 0x7;
	model = m;
}

/* `close`: the VM and its vCPU go away, so that the next `vcpu` starts a fresh one in the same process. */
static void destroy_vm(void)
{
	munmap(run, run_size);
	close(vcpu_fd);
	close(vm_fd);
	munmap(mem, MEM_SIZE);
	run = NULL;
	mem = NULL;
	vcpu_fd = vm_fd = -1;
	user_mask = 0;
	kernel_mask = 0;
	ignore_msrs = 0;
	model = M_NONE;
}

/*
 * `kvmexits` (diagnostic): how many exits KVM has counted for this VM, from its debugfs statistics
 * (/sys/kernel/debug/kvm/PID-FD/exits); `kvmexits -` where debugfs is not mounted. Taken before and after an
 * access it tells whether KVM saw the access at all (an MSR the backend passes through to the CPU does not exit).
 */
static void print_exit_count(void)
{
	char path[96];
	unsigned long long n;
	snprintf(path, sizeof path, "/sys/kernel/debug/kvm/%d-%d/exits", (int)getpid(), vm_fd);
	FILE *f = fopen(path, "r");
	if (f && fscanf(f, "%llu", &n) == 1)
		out("kvmexits %llu", n);
	else
		out("kvmexits -");
	if (f)
		fclose(f);
}

static void print_cpuid(void)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(struct kvm_cpuid_entry2));
	if (!c)
		FAIL("out of memory");
	c->nent = 256;
	if (ioctl(vcpu_fd, KVM_GET_CPUID2, c) < 0)
		FAIL("KVM_GET_CPUID2: %s", errno_name(errno));
	fputs("cpuid", stdout);
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		printf(" 0x%x.0x%x:0x%08x,0x%08x,0x%08x,0x%08x", e->function, e->index, e->eax, e->ebx,
		       e->ecx, e->edx);
	}
	out("%s", c->nent ? "" : " none");
	free(c);
}

/* ---------------------------------------------------------- guest access */

struct reply {
	int error;      /* 1: error=1 */
	uint64_t data;  /* for data: replies */
};

static int parse_reply(const char *s, struct reply *r)
{
	if (!strcmp(s, "error")) {
		r->error = 1;
		r->data = 0;
		return 0;
	}
	if (!strncmp(s, "data:", 5)) {
		r->error = 0;
		return parse_hex(s + 5, UINT64_MAX, &r->data);
	}
	return -1;
}

static const char *reason_name(int kr)
{
	switch (kr) {
	case KR_NONE: return "none";
	case KR_INVAL: return "inval";
	case KR_UNKNOWN: return "unknown";
	case KR_FILTER: return "filter";
	case KR_IGNORED: return "ignored";
	default: return "?";
	}
}

struct outcome {
	int exit_reason; /* the user-space exit the scenario sees (KR_NONE if none) */
	int kreason;     /* KVM's internal reason (KR_*) */
	int gp;
	uint64_t value;
};

static void get_regs(struct kvm_regs *r)
{
	if (ioctl(vcpu_fd, KVM_GET_REGS, r) < 0)
		FAIL("KVM_GET_REGS: %s", errno_name(errno));
}

static void __attribute__((noreturn)) describe_exit_and_die(const char *what)
{
	struct kvm_regs r;
	get_regs(&r);
	switch (run->exit_reason) {
	case KVM_EXIT_INTERNAL_ERROR:
		FAIL("%s: KVM_EXIT_INTERNAL_ERROR suberror %u rip=0x%llx", what,
		     run->internal.suberror, (unsigned long long)r.rip);
	case KVM_EXIT_FAIL_ENTRY:
		FAIL("%s: KVM_EXIT_FAIL_ENTRY reason 0x%llx rip=0x%llx", what,
		     (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
		     (unsigned long long)r.rip);
	case KVM_EXIT_IO:
		FAIL("%s: unexpected I/O port 0x%x dir %u size %u rip=0x%llx", what, run->io.port,
		     run->io.direction, run->io.size, (unsigned long long)r.rip);
	case KVM_EXIT_MMIO:
		FAIL("%s: unexpected MMIO at 0x%llx rip=0x%llx", what,
		     (unsigned long long)run->mmio.phys_addr, (unsigned long long)r.rip);
	default:
		FAIL("%s: unexpected exit reason %u rip=0x%llx", what, run->exit_reason,
		     (unsigned long long)r.rip);
	}
}

static struct outcome guest_access(int is_write, uint32_t idx, uint64_t value, const struct reply *rep)
{
	struct outcome o = { KR_NONE, KR_NONE, 0, 0 };
	const char *what = is_write ? "wrmsr" : "rdmsr";
	uint64_t stub = is_write ? WR_STUB : RD_STUB;
	struct kvm_regs regs;
	memset(&regs, 0, sizeof(regs));
	regs.rip = stub;
	regs.rsp = STACK_TOP;
	regs.rflags = 0x2;
	regs.rcx = idx;
	if (is_write) {
		regs.rax = value & 0xffffffffULL;
		regs.rdx = value >> 32;
	} else if (model == M_LINUX64) {
		/* garbage in the upper halves: RDMSR must clear them */
		regs.rax = 0xa5a5a5a500000000ULL;
		regs.rdx = 0x5a5a5a5a00000000ULL;
	}
	if (ioctl(vcpu_fd, KVM_SET_REGS, &regs) < 0)
		FAIL("KVM_SET_REGS: %s", errno_name(errno));
	guard_check(what);
	memset(mem + STACK_LOW, 0, STACK_TOP - STACK_LOW);

	int msr_exits = 0;
	for (int step = 0; step < MAX_RUNS; step++) {
		if (ioctl(vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			guard_check(what);
			FAIL("%s: KVM_RUN failed: %s", what, errno_name(errno));
		}
		/* before believing anything this run says: KVM may have written the guest on entry */
		guard_check(what);
		switch (run->exit_reason) {
		case KVM_EXIT_X86_RDMSR:
		case KVM_EXIT_X86_WRMSR: {
			int wr = run->exit_reason == KVM_EXIT_X86_WRMSR;
			if (wr != is_write)
				FAIL("%s: got a %s exit", what, wr ? "WRMSR" : "RDMSR");
			if (++msr_exits > 1)
				FAIL("%s: more than one MSR exit for one access", what);
			if (run->msr.index != idx)
				FAIL("%s: exit for index 0x%x, expected 0x%x", what, run->msr.index, idx);
			uint32_t reason = run->msr.reason;
			if (reason != KR_INVAL && reason != KR_UNKNOWN && reason != KR_FILTER)
				FAIL("%s: exit with unexpected reason 0x%x", what, reason);
			if (!(kernel_mask & reason))
				FAIL("%s: exit with reason 0x%x, which is not enabled", what, reason);
			if (wr && run->msr.data != value)
				FAIL("%s: exit data 0x%llx, expected 0x%llx", what,
				     (unsigned long long)run->msr.data, (unsigned long long)value);
			o.kreason = (int)reason;
			if (reason == KR_UNKNOWN && ignore_msrs) {
				o.kreason = KR_IGNORED;
				run->msr.error = 0;
				if (!wr)
					run->msr.data = 0;
			} else if (user_mask & reason) {
				o.exit_reason = (int)reason;
				run->msr.error = rep->error ? 1 : 0;
				if (!wr && !rep->error)
					run->msr.data = rep->data;
			} else {
				run->msr.error = 1; /* what KVM itself does: #GP */
			}
			break;
		}
		case KVM_EXIT_IO: {
			if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 1 || run->io.count != 1)
				describe_exit_and_die(what);
			uint8_t byte = *((uint8_t *)run + run->io.data_offset);
			struct kvm_regs r;
			get_regs(&r);
			if (run->io.port == PORT_DONE) {
				/* RIP is at (or, if already completed, after) the OUT */
				if (r.rip != stub + 2 && r.rip != stub + 4)
					FAIL("%s: completed with rip=0x%llx", what, (unsigned long long)r.rip);
				if (!is_write)
					o.value = ((r.rdx & 0xffffffffULL) << 32) | (r.rax & 0xffffffffULL);
				stack_check(what, 0);
				return o;
			}
			if (run->io.port == PORT_EXC) {
				if (byte != 13)
					FAIL("%s: unexpected exception vector %u", what, byte);
				uint64_t fault_ip, err = 0, frame_ok;
				if (model == M_BARE) {
					/* IP, CS, FLAGS */
					uint64_t sp = r.rsp & 0xffff;
					if (sp != STACK_TOP - 6)
						FAIL("%s: #GP frame at sp 0x%llx", what, (unsigned long long)sp);
					fault_ip = get16(sp);
					frame_ok = get16(sp + 2) == 0 && (get16(sp + 4) & 0x2);
					stack_check(what, 6);
				} else {
					/* error code, RIP, CS, RFLAGS, RSP, SS */
					if (r.rsp != STACK_TOP - 48)
						FAIL("%s: #GP frame at rsp 0x%llx", what, (unsigned long long)r.rsp);
					err = get64(r.rsp);
					fault_ip = get64(r.rsp + 8);
					frame_ok = get64(r.rsp + 16) == 0x08 && (get64(r.rsp + 24) & 0x2) &&
						   get64(r.rsp + 32) == STACK_TOP && get64(r.rsp + 40) == 0x10;
					stack_check(what, 48);
				}
				if (!frame_ok)
					REFUSE("%s: the #GP frame on the helper's stack is not the CPU's (an MSR the "
					       "scenario wrote points KVM there); the answers would not be the filter's",
					       what);
				if (fault_ip != stub)
					FAIL("%s: #GP at ip 0x%llx, not at the access", what,
					     (unsigned long long)fault_ip);
				if (err != 0)
					FAIL("%s: #GP error code 0x%llx", what, (unsigned long long)err);
				o.gp = 1;
				return o;
			}
			describe_exit_and_die(what);
		}
		case KVM_EXIT_INTR:
			continue;
		case KVM_EXIT_HLT:
			FAIL("%s: guest halted unexpectedly", what);
		case KVM_EXIT_SHUTDOWN:
			FAIL("%s: guest shutdown (triple fault)", what);
		default:
			describe_exit_and_die(what);
		}
	}
	FAIL("%s: no result after %d KVM_RUN calls", what, MAX_RUNS);
}

/* diagnostic: what the guest's CPUID instruction returns */
static void guest_cpuid(uint32_t leaf, uint32_t sub)
{
	struct kvm_regs regs;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CPUID_STUB;
	regs.rsp = STACK_TOP;
	regs.rflags = 0x2;
	regs.rax = leaf;
	regs.rcx = sub;
	if (ioctl(vcpu_fd, KVM_SET_REGS, &regs) < 0)
		FAIL("KVM_SET_REGS: %s", errno_name(errno));
	for (int step = 0; step < MAX_RUNS; step++) {
		if (ioctl(vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			FAIL("guestcpuid: KVM_RUN failed: %s", errno_name(errno));
		}
		guard_check("guestcpuid");
		if (run->exit_reason == KVM_EXIT_INTR)
			continue;
		if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
		    run->io.port == PORT_DONE) {
			struct kvm_regs r;
			get_regs(&r);
			out("guestcpuid eax=0x%08llx ebx=0x%08llx ecx=0x%08llx edx=0x%08llx",
			    (unsigned long long)(r.rax & 0xffffffff), (unsigned long long)(r.rbx & 0xffffffff),
			    (unsigned long long)(r.rcx & 0xffffffff), (unsigned long long)(r.rdx & 0xffffffff));
			return;
		}
		describe_exit_and_die("guestcpuid");
	}
	FAIL("guestcpuid: no result after %d KVM_RUN calls", MAX_RUNS);
}

/* -------------------------------------------------------- host accesses */

static int host_msr(int write, uint32_t idx, uint64_t *val)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m;
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 1;
	m.e.index = idx;
	if (write)
		m.e.data = *val;
	int r = ioctl(vcpu_fd, write ? KVM_SET_MSRS : KVM_GET_MSRS, &m);
	if (r == 1 && !write)
		*val = m.e.data;
	return r == 1 ? 0 : -1;
}

/* ----------------------------------------------------------------- filter */

struct range_in {
	uint32_t flags, base, nmsrs;
	int ptr_kind; /* 0 buffer, 1 faulting pointer (0x8), 2 NULL */
	uint8_t *buf;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static void cmd_filter(char **tok, int ntok)
{
	struct kvm_msr_filter f;
	struct range_in rin[KVM_MSR_FILTER_MAX_RANGES];
	int nr = 0;
	uint64_t v;

	memset(&f, 0, sizeof(f));
	memset(rin, 0, sizeof(rin));
	if (ntok != 2)
		PROTO("filter: expected `filter FLAGS` or `filter none`");
	int none = !strcmp(tok[1], "none");
	if (!none) {
		if (parse_hex(tok[1], UINT32_MAX, &v))
			PROTO("filter: bad FLAGS '%s'", tok[1]);
		f.flags = (uint32_t)v;
		for (;;) {
			char *line = read_line();
			if (!line)
				PROTO("filter: end of input before `end`");
			char *t[MAX_TOK + 1];
			int n = split(line, t);
			if (n == 0 || t[0][0] == '#')
				continue;
			if (n == 1 && !strcmp(t[0], "end"))
				break;
			if (n != 5 || strcmp(t[0], "range"))
				PROTO("filter: expected `range FLAGS BASE NMSRS BITMAP` or `end`");
			if (nr == KVM_MSR_FILTER_MAX_RANGES)
				PROTO("filter: more than %d ranges", KVM_MSR_FILTER_MAX_RANGES);
			struct range_in *r = &rin[nr];
			if (parse_hex(t[1], UINT32_MAX, &v))
				PROTO("range: bad FLAGS '%s'", t[1]);
			r->flags = (uint32_t)v;
			if (parse_hex(t[2], UINT32_MAX, &v))
				PROTO("range: bad BASE '%s'", t[2]);
			r->base = (uint32_t)v;
			if (parse_hex(t[3], UINT32_MAX, &v))
				PROTO("range: bad NMSRS '%s'", t[3]);
			r->nmsrs = (uint32_t)v;
			const char *bm = t[4];
			if (!strcmp(bm, "fault")) {
				r->ptr_kind = 1;
			} else if (!strcmp(bm, "null")) {
				r->ptr_kind = 2;
			} else {
				size_t len = strcmp(bm, "-") ? strlen(bm) : 0;
				if (len % 2)
					PROTO("range: BITMAP has an odd number of hex digits");
				uint64_t need = ((uint64_t)r->nmsrs + 63) / 64 * 8;
				if (need > BITMAP_CAP)
					need = BITMAP_CAP;
				size_t sz = len / 2 > need ? len / 2 : (size_t)need;
				if (sz < 8)
					sz = 8;
				r->buf = calloc(1, sz);
				if (!r->buf)
					FAIL("out of memory");
				for (size_t i = 0; i < len / 2; i++) {
					int hi = hexval(bm[2 * i]), lo = hexval(bm[2 * i + 1]);
					if (hi < 0 || lo < 0)
						PROTO("range: BITMAP is not hex");
					r->buf[i] = (uint8_t)(hi << 4 | lo);
				}
			}
			nr++;
		}
	}
	for (int i = 0; i < nr; i++) {
		f.ranges[i].flags = rin[i].flags;
		f.ranges[i].base = rin[i].base;
		f.ranges[i].nmsrs = rin[i].nmsrs;
		f.ranges[i].bitmap = rin[i].ptr_kind == 1 ? (uint8_t *)(uintptr_t)0x8
				     : rin[i].ptr_kind == 2 ? NULL
							    : rin[i].buf;
	}
	alarm(CMD_TIMEOUT_SECS);
	int e = ioctl(vm_fd, KVM_X86_SET_MSR_FILTER, &f) < 0 ? errno : 0;
	for (int i = 0; i < nr; i++)
		free(rin[i].buf);
	out("errno %s", errno_name(e));
}

/* ---------------------------------------------------------------- main */

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	check_kvm();

	char *line;
	while ((line = read_line())) {
		char *tok[MAX_TOK + 1];
		int n = split(line, tok);
		if (n == 0 || tok[0][0] == '#')
			continue; /* blank lines and comments: no response */
		if (n > MAX_TOK)
			PROTO("too many fields");
		const char *c = tok[0];
		/* watchdog for the kernel work; a `filter` block arms it only after `end` */
		if (strcmp(c, "filter"))
			alarm(CMD_TIMEOUT_SECS);
		uint64_t idx, val;
		struct reply rep;

		if (!strcmp(c, "quit")) {
			if (n != 1)
				PROTO("quit takes no arguments");
			out("ok");
			return 0;
		}
		if (!strcmp(c, "vcpu")) {
			if (model != M_NONE)
				PROTO("vcpu: the VM already exists");
			if (n != 2)
				PROTO("vcpu: expected `vcpu bare` or `vcpu linux64`");
			if (!strcmp(tok[1], "bare"))
				create_vm(M_BARE);
			else if (!strcmp(tok[1], "linux64"))
				create_vm(M_LINUX64);
			else
				PROTO("vcpu: unknown model '%s'", tok[1]);
			out("ok");
		} else if (!strcmp(c, "close")) {
			if (n != 1)
				PROTO("close takes no arguments");
			if (model == M_NONE)
				PROTO("close: there is no VM");
			destroy_vm();
			out("ok");
		} else if (model == M_NONE) {
			if (strcmp(c, "exits") && strcmp(c, "rawexits") && strcmp(c, "cpuid") && strcmp(c, "guestcpuid") && strcmp(c, "kvmexits") && strcmp(c, "ignore") && strcmp(c, "filter") &&
			    strcmp(c, "rdmsr") && strcmp(c, "wrmsr") && strcmp(c, "hostrd") &&
			    strcmp(c, "hostwr"))
				PROTO("unknown command '%s'", c);
			PROTO("%s: `vcpu MODEL` must be the first command", c);
		} else if (!strcmp(c, "exits")) {
			if (n != 2 || parse_hex(tok[1], UINT64_MAX, &val))
				PROTO("exits: expected `exits MASK`");
			int e = enable_user_space_msr(val);
			if (!e)
				user_mask = val;
			int e2 = enable_user_space_msr(0x7);
			if (e2)
				FAIL("re-enabling USER_SPACE_MSR 0x7: %s", errno_name(e2));
			kernel_mask = 0x7;
			out("errno %s", errno_name(e));
		} else if (!strcmp(c, "cpuid")) {
			/* diagnostic: the vCPU's CPUID as KVM holds it */
			if (n != 1)
				PROTO("cpuid takes no arguments");
			print_cpuid();
		} else if (!strcmp(c, "kvmexits")) {
			if (n != 1)
				PROTO("kvmexits takes no arguments");
			print_exit_count();
		} else if (!strcmp(c, "guestcpuid")) {
			uint64_t sub;
			if (n != 3 || parse_hex(tok[1], UINT32_MAX, &idx) || parse_hex(tok[2], UINT32_MAX, &sub))
				PROTO("guestcpuid: expected `guestcpuid LEAF SUBLEAF`");
			guest_cpuid((uint32_t)idx, (uint32_t)sub);
		} else if (!strcmp(c, "rawexits")) {
			/* diagnostic: give KVM exactly MASK, without re-enabling 0x7 */
			if (n != 2 || parse_hex(tok[1], UINT64_MAX, &val))
				PROTO("rawexits: expected `rawexits MASK`");
			int e = enable_user_space_msr(val);
			if (!e)
				user_mask = kernel_mask = val;
			out("errno %s", errno_name(e));
		} else if (!strcmp(c, "ignore")) {
			if (n != 2 || (strcmp(tok[1], "0") && strcmp(tok[1], "1")))
				PROTO("ignore: expected `ignore 0` or `ignore 1`");
			ignore_msrs = tok[1][0] == '1';
			out("ok");
		} else if (!strcmp(c, "filter")) {
			cmd_filter(tok, n);
		} else if (!strcmp(c, "rdmsr")) {
			if (n != 3 || parse_hex(tok[1], UINT32_MAX, &idx) || parse_reply(tok[2], &rep))
				PROTO("rdmsr: expected `rdmsr IDX error|data:0xVALUE`");
			struct outcome o = guest_access(0, (uint32_t)idx, 0, &rep);
			if (o.gp)
				out("rdmsr exit=%s kreason=%s result=gp value=-", reason_name(o.exit_reason),
				    reason_name(o.kreason));
			else
				out("rdmsr exit=%s kreason=%s result=ok value=0x%016llx",
				    reason_name(o.exit_reason), reason_name(o.kreason),
				    (unsigned long long)o.value);
		} else if (!strcmp(c, "wrmsr")) {
			if (n != 4 || parse_hex(tok[1], UINT32_MAX, &idx) ||
			    parse_hex(tok[2], UINT64_MAX, &val) || parse_reply(tok[3], &rep))
				PROTO("wrmsr: expected `wrmsr IDX VALUE error|data:0xVALUE`");
			struct outcome o = guest_access(1, (uint32_t)idx, val, &rep);
			out("wrmsr exit=%s kreason=%s result=%s", reason_name(o.exit_reason),
			    reason_name(o.kreason), o.gp ? "gp" : "ok");
		} else if (!strcmp(c, "hostrd")) {
			if (n != 2 || parse_hex(tok[1], UINT32_MAX, &idx))
				PROTO("hostrd: expected `hostrd IDX`");
			int failed = host_msr(0, (uint32_t)idx, &val);
			guard_check(c);
			if (failed)
				out("hostrd result=error");
			else
				out("hostrd result=ok value=0x%016llx", (unsigned long long)val);
		} else if (!strcmp(c, "hostwr")) {
			if (n != 3 || parse_hex(tok[1], UINT32_MAX, &idx) || parse_hex(tok[2], UINT64_MAX, &val))
				PROTO("hostwr: expected `hostwr IDX VALUE`");
			int failed = host_msr(1, (uint32_t)idx, &val);
			guard_check(c);
			out("hostwr result=%s", failed ? "error" : "ok");
		} else {
			PROTO("unknown command '%s'", c);
		}
		/* a host write (a Hyper-V page, for one) can make KVM write the guest at once */
		guard_check(c);
		alarm(0);
	}
	return 0;
}
