import type {
  FailCode,
  Gate,
  MsrAccessRule,
  MsrDefinition,
  ReadValue,
  ValueRule,
  WriteEffect,
} from './catalogue-types';
import type { CpuFeature } from './models';

/*
 * The vCPU's MSR catalogue: what KVM (newest kernel, AMD SVM host) does with a guest or host access to each MSR
 * the filter lets through. Rules are data; src/core/vcpu/emulate.ts interprets them. Where the real kernel was
 * measured (oracle/survey), the entry follows the measurement.
 */

const stored: MsrAccessRule<ReadValue> = { do: { kind: 'stored' } };
const store: MsrAccessRule<WriteEffect> = { do: { kind: 'store' } };
const constant = (value: bigint): MsrAccessRule<ReadValue> => ({ do: { kind: 'constant', value } });
const readFail = (code: FailCode, why: string): MsrAccessRule<ReadValue> => ({ do: { kind: 'fail', code, why } });
const writeFail = (code: FailCode, why: string): MsrAccessRule<WriteEffect> => ({ do: { kind: 'fail', code, why } });
const ignore = (why: string): MsrAccessRule<WriteEffect> => ({ do: { kind: 'ignore', why } });
const unknownRead = readFail('unsupported', 'KVM has no read handler for it');
const unknownWrite = writeFail('unsupported', 'KVM has no write handler for it');
const guestOnlyErr = (why: string): Gate => ({ unless: { feature: 'msr' }, code: 'err', guestOnly: true, why });
const needs = (feature: CpuFeature, code: FailCode, why: string, guestOnly = true): Gate => ({
  unless: { feature },
  code,
  guestOnly,
  why,
});
const hostOnly = (
  why: string,
): {
  read: MsrAccessRule<ReadValue>;
  write: MsrAccessRule<WriteEffect>;
  hostRead: MsrAccessRule<ReadValue>;
  hostWrite: MsrAccessRule<WriteEffect>;
} => ({
  read: readFail('err', why),
  write: writeFail('err', why),
  hostRead: stored,
  hostWrite: store,
});
const checked = (...values: ValueRule[]): MsrAccessRule<WriteEffect> => ({ do: { kind: 'store' }, values });

type Entry = Omit<MsrDefinition, 'read' | 'write'> & Partial<Pick<MsrDefinition, 'read' | 'write'>>;
const defs: Entry[] = [];
function add(e: Entry): void {
  defs.push(e);
}
void guestOnlyErr;

// --- architectural ---------------------------------------------------------------------------------------------
add({
  index: 0x10,
  name: 'IA32_TSC',
  meaning: 'time-stamp counter',
  group: 'architectural',
  read: { do: { kind: 'tsc' } },
  write: { do: { kind: 'tsc' } },
  volatile: true,
  passthrough: true,
});
add({
  index: 0x17,
  name: 'IA32_PLATFORM_ID',
  meaning: 'platform id (Intel)',
  group: 'architectural',
  read: constant(0n),
  write: unknownWrite,
});
add({
  index: 0x1b,
  name: 'IA32_APIC_BASE',
  meaning: 'APIC base address, BSP (bit 8), x2APIC EXTD (bit 10), enable EN (bit 11)',
  group: 'architectural',
  read: stored,
  write: checked({ check: 'apic-base' }),
});
add({
  index: 0x2a,
  name: 'MSR_IA32_EBL_CR_POWERON',
  meaning: 'processor hard power-on configuration',
  group: 'architectural',
  read: constant(0n),
  write: unknownWrite,
});
add({
  index: 0x34,
  name: 'MSR_SMI_COUNT',
  meaning: 'SMIs taken since reset',
  group: 'architectural',
  ...hostOnly('MSR_SMI_COUNT is for host-initiated accesses only'),
});
add({
  index: 0x35,
  name: 'MSR_CORE_THREAD_COUNT',
  meaning: 'cores and threads per package (QEMU filters and emulates it)',
  group: 'architectural',
  read: unknownRead,
  write: unknownWrite,
});
add({
  index: 0x3a,
  name: 'IA32_FEATURE_CONTROL',
  meaning: 'lock and VMX enables (Intel)',
  group: 'architectural',
  read: unknownRead,
  write: unknownWrite,
});
add({
  index: 0x3b,
  name: 'IA32_TSC_ADJUST',
  meaning: 'TSC adjustment',
  group: 'architectural',
  read: stored,
  write: { do: { kind: 'tsc-adjust' } },
});
add({
  index: 0x79,
  name: 'IA32_UCODE_WRITE',
  meaning: 'microcode update trigger (write-only)',
  group: 'architectural',
  read: unknownRead,
  write: ignore('microcode update writes are ignored'),
});
add({
  index: 0x8b,
  name: 'IA32_UCODE_REV',
  meaning: 'microcode revision',
  group: 'architectural',
  reset: 0x1000065n,
  read: stored,
  write: ignore('guest writes of the microcode revision are ignored'),
  hostWrite: store,
});
add({
  index: 0x9e,
  name: 'IA32_SMBASE',
  meaning: 'SMRAM base',
  group: 'architectural',
  ...hostOnly('IA32_SMBASE is for host-initiated accesses only'),
});
add({
  index: 0xce,
  name: 'MSR_PLATFORM_INFO',
  meaning: 'platform info; bit 31: CPUID faulting supported',
  group: 'architectural',
  reset: 0x80000000n,
  read: stored,
  write: writeFail('err', 'MSR_PLATFORM_INFO is read-only for the guest'),
  hostWrite: store,
});
add({
  index: 0xe7,
  name: 'IA32_MPERF',
  meaning: 'maximum-frequency clock count',
  group: 'power',
  read: unknownRead,
  write: unknownWrite,
});
add({
  index: 0xe8,
  name: 'IA32_APERF',
  meaning: 'actual-frequency clock count',
  group: 'power',
  read: unknownRead,
  write: unknownWrite,
});
add({
  index: 0xfe,
  name: 'IA32_MTRRCAP',
  meaning: 'MTRR capabilities: 8 variable MTRRs, fixed MTRRs, WC',
  group: 'mtrr',
  read: constant(0x508n),
  write: writeFail('err', 'IA32_MTRRCAP is read-only'),
});
add({
  index: 0x10a,
  name: 'IA32_ARCH_CAPABILITIES',
  meaning: 'vulnerability-immunity bits',
  group: 'speculation',
  read: { gates: [needs('arch_capabilities', 'absent', 'no ARCH_CAPABILITIES in CPUID')], do: { kind: 'stored' } },
  write: writeFail('unsupported', 'IA32_ARCH_CAPABILITIES is read-only for the guest'),
  hostWrite: store,
});
add({
  index: 0x10b,
  name: 'IA32_FLUSH_CMD',
  meaning: 'L1D flush command (write-only)',
  group: 'speculation',
  read: unknownRead,
  write: {
    gates: [needs('flush_l1d', 'absent', 'no FLUSH_L1D in CPUID', false)],
    do: { kind: 'ignore', why: 'L1D flushed' },
    values: [{ reserved: ~1n & 0xffff_ffff_ffff_ffffn, why: 'only bit 0 (L1D_FLUSH) exists' }],
  },
  passthrough: true,
});
add({
  index: 0x48,
  name: 'IA32_SPEC_CTRL',
  meaning: 'IBRS, STIBP, SSBD speculation controls',
  group: 'speculation',
  read: { gates: [needs('spec_ctrl', 'absent', 'no SPEC_CTRL (IBRS/AMD_SSBD...) in CPUID')], do: { kind: 'stored' } },
  write: { gates: [needs('spec_ctrl', 'absent', 'no SPEC_CTRL (IBRS/AMD_SSBD...) in CPUID')], do: { kind: 'store' } },
  passthrough: true,
});
add({
  index: 0x49,
  name: 'IA32_PRED_CMD',
  meaning: 'IBPB command (write-only)',
  group: 'speculation',
  read: unknownRead,
  write: { gates: [needs('spec_ctrl', 'absent', 'no IBPB in CPUID')], do: { kind: 'ignore', why: 'barrier issued' } },
  passthrough: true,
});
add({
  index: 0x140,
  name: 'MSR_MISC_FEATURES_ENABLES',
  meaning: 'CPUID faulting enable (bit 0)',
  group: 'architectural',
  read: stored,
  write: checked({ check: 'misc-features' }),
});
add({
  index: 0x174,
  name: 'IA32_SYSENTER_CS',
  meaning: 'SYSENTER target code segment',
  group: 'syscall',
  read: stored,
  write: store,
  passthrough: true,
});
add({
  index: 0x175,
  name: 'IA32_SYSENTER_ESP',
  meaning: 'SYSENTER target stack pointer',
  group: 'syscall',
  read: stored,
  write: { do: { kind: 'canonicalize' } },
  passthrough: true,
});
add({
  index: 0x176,
  name: 'IA32_SYSENTER_EIP',
  meaning: 'SYSENTER target instruction pointer',
  group: 'syscall',
  read: stored,
  write: { do: { kind: 'canonicalize' } },
  passthrough: true,
});
add({
  index: 0x198,
  name: 'IA32_PERF_STATUS',
  meaning: 'current performance state (synthetic)',
  group: 'power',
  read: constant(0x4_0000_0003e8n),
  write: unknownWrite,
});
add({
  index: 0x199,
  name: 'IA32_PERF_CTL',
  meaning: 'performance state request',
  group: 'power',
  read: constant(0n),
  write: unknownWrite,
});
add({
  index: 0x1a0,
  name: 'IA32_MISC_ENABLE',
  meaning: 'fast strings, monitoring, MWAIT enable; BTS/PEBS unavailable',
  group: 'architectural',
  reset: 0x1800n,
  read: stored,
  write: checked({ check: 'misc-enable', guestOnly: true }),
});
add({
  index: 0x1d9,
  name: 'IA32_DEBUGCTL',
  meaning: 'LBR and BTF debug control',
  group: 'architectural',
  read: stored,
  write: checked({
    reserved: ~0x3fn & 0xffff_ffff_ffff_ffffn,
    why: 'DEBUGCTL bits other than LBR/BTF/PB0-3 are reserved',
  }),
});
add({
  index: 0x1fc,
  name: 'MSR_IA32_POWER_CTL',
  meaning: 'power control (C1E enable...)',
  group: 'power',
  read: stored,
  write: store,
});
add({
  index: 0x277,
  name: 'IA32_PAT',
  meaning: 'page attribute table',
  group: 'architectural',
  reset: 0x0007040600070406n,
  read: stored,
  write: checked({ check: 'pat' }),
});
add({
  index: 0x345,
  name: 'IA32_PERF_CAPABILITIES',
  meaning: 'performance monitoring capabilities',
  group: 'architectural',
  read: { gates: [needs('pdcm', 'absent', 'no PDCM in CPUID')], do: { kind: 'stored' } },
  write: writeFail('unsupported', 'IA32_PERF_CAPABILITIES is read-only for the guest'),
});
add({
  index: 0x6e0,
  name: 'IA32_TSC_DEADLINE',
  meaning: 'LAPIC timer TSC deadline',
  group: 'architectural',
  read: constant(0n),
  write: ignore('the deadline arms the LAPIC timer (nothing armed without an in-kernel LAPIC in TSC-deadline mode)'),
});
add({
  index: 0xda0,
  name: 'IA32_XSS',
  meaning: 'XSAVES supervisor state mask',
  group: 'architectural',
  read: { gates: [needs('xsaves', 'err', 'no XSAVES in CPUID')], do: { kind: 'stored' } },
  write: { gates: [needs('xsaves', 'err', 'no XSAVES in CPUID')], do: { kind: 'store' } },
});

// --- MTRRs --------------------------------------------------------------------------------------------------------
for (let n = 0; n < 8; n++) {
  add({
    index: 0x200 + 2 * n,
    name: `IA32_MTRR_PHYSBASE${n}`,
    meaning: `variable-range MTRR ${n} base and type`,
    group: 'mtrr',
    read: stored,
    write: checked({ check: 'mtrr-phys-base' }),
  });
  add({
    index: 0x201 + 2 * n,
    name: `IA32_MTRR_PHYSMASK${n}`,
    meaning: `variable-range MTRR ${n} mask and valid bit`,
    group: 'mtrr',
    read: stored,
    write: checked({ check: 'mtrr-phys-mask' }),
  });
}
const FIXED_MTRRS: [number, string][] = [
  [0x250, 'FIX64K_00000'],
  [0x258, 'FIX16K_80000'],
  [0x259, 'FIX16K_A0000'],
  [0x268, 'FIX4K_C0000'],
  [0x269, 'FIX4K_C8000'],
  [0x26a, 'FIX4K_D0000'],
  [0x26b, 'FIX4K_D8000'],
  [0x26c, 'FIX4K_E0000'],
  [0x26d, 'FIX4K_E8000'],
  [0x26e, 'FIX4K_F0000'],
  [0x26f, 'FIX4K_F8000'],
];
for (const [index, suffix] of FIXED_MTRRS) {
  add({
    index,
    name: `IA32_MTRR_${suffix}`,
    meaning: 'fixed-range MTRR: eight memory types',
    group: 'mtrr',
    read: stored,
    write: checked({ check: 'mtrr-fixed' }),
  });
}
add({
  index: 0x2ff,
  name: 'IA32_MTRR_DEF_TYPE',
  meaning: 'default memory type, fixed and variable MTRR enables',
  group: 'mtrr',
  read: stored,
  write: checked({ check: 'mtrr-def-type' }),
});

// --- machine check ---------------------------------------------------------------------------------------------------
const MCE_BANKS = 32;
add({
  index: 0x179,
  name: 'IA32_MCG_CAP',
  meaning: 'machine-check capabilities (bank count)',
  group: 'mca',
  reset: BigInt(MCE_BANKS),
  read: stored,
  write: writeFail('unsupported', 'IA32_MCG_CAP is read-only (set up by KVM_X86_SETUP_MCE)'),
  hostWrite: store,
});
add({
  index: 0x17a,
  name: 'IA32_MCG_STATUS',
  meaning: 'machine-check status',
  group: 'mca',
  read: stored,
  write: store,
});
add({
  index: 0x17b,
  name: 'IA32_MCG_CTL',
  meaning: 'machine-check global control (needs MCG_CTL_P)',
  group: 'mca',
  read: readFail('err', 'MCG_CTL_P is clear in IA32_MCG_CAP'),
  write: writeFail('err', 'MCG_CTL_P is clear in IA32_MCG_CAP'),
});
for (let bank = 0; bank < 4; bank++) {
  const at = 0x400 + 4 * bank;
  add({
    index: at,
    name: `IA32_MC${bank}_CTL`,
    meaning: `machine-check bank ${bank} control`,
    group: 'mca',
    read: stored,
    write: checked({ check: 'mci-ctl' }),
  });
  add({
    index: at + 1,
    name: `IA32_MC${bank}_STATUS`,
    meaning: `machine-check bank ${bank} status`,
    group: 'mca',
    read: stored,
    write: checked({ check: 'mci-status', guestOnly: true }),
  });
  add({
    index: at + 2,
    name: `IA32_MC${bank}_ADDR`,
    meaning: `machine-check bank ${bank} address`,
    group: 'mca',
    read: stored,
    write: store,
  });
  add({
    index: at + 3,
    name: `IA32_MC${bank}_MISC`,
    meaning: `machine-check bank ${bank} miscellaneous`,
    group: 'mca',
    read: stored,
    write: store,
  });
}

// --- x2APIC -----------------------------------------------------------------------------------------------------------
const X2APIC: [number, string, string][] = [
  [0x802, 'X2APIC_APICID', 'local APIC id'],
  [0x803, 'X2APIC_VERSION', 'local APIC version'],
  [0x808, 'X2APIC_TPR', 'task priority'],
  [0x80a, 'X2APIC_PPR', 'processor priority'],
  [0x80b, 'X2APIC_EOI', 'end of interrupt (write-only)'],
  [0x80d, 'X2APIC_LDR', 'logical destination'],
  [0x80f, 'X2APIC_SIVR', 'spurious interrupt vector'],
  [0x828, 'X2APIC_ESR', 'error status'],
  [0x830, 'X2APIC_ICR', 'interrupt command'],
  [0x832, 'X2APIC_LVT_TIMER', 'LVT timer'],
  [0x838, 'X2APIC_TMICT', 'timer initial count'],
  [0x83f, 'X2APIC_SELF_IPI', 'self IPI (write-only)'],
];
const x2apicGate: Gate = {
  unless: { x2apicMode: true },
  code: 'err',
  why: 'x2APIC MSRs exist only with an in-kernel LAPIC in x2APIC mode',
};
for (const [index, name, meaning] of X2APIC) {
  add({
    index,
    name,
    meaning: `x2APIC ${meaning}`,
    group: 'x2apic',
    read: { gates: [x2apicGate], do: { kind: 'stored' } },
    write: { gates: [x2apicGate], do: { kind: 'store' } },
  });
}

// --- KVM paravirtual -----------------------------------------------------------------------------------------------------
const PV: [number, string, string, bigint][] = [
  [0x11, 'MSR_KVM_WALL_CLOCK', 'kvmclock wall clock GPA (legacy)', 0n],
  [0x12, 'MSR_KVM_SYSTEM_TIME', 'kvmclock per-vCPU time GPA (legacy)', 0n],
  [0x4b564d00, 'MSR_KVM_WALL_CLOCK_NEW', 'kvmclock wall clock GPA', 0n],
  [0x4b564d01, 'MSR_KVM_SYSTEM_TIME_NEW', 'kvmclock per-vCPU time GPA', 0n],
  [0x4b564d02, 'MSR_KVM_ASYNC_PF_EN', 'async page fault enable', 0x30n],
  [0x4b564d03, 'MSR_KVM_STEAL_TIME', 'steal time GPA', 0xfc0n],
  [0x4b564d04, 'MSR_KVM_PV_EOI_EN', 'paravirtual EOI enable', 0n],
  [0x4b564d05, 'MSR_KVM_POLL_CONTROL', 'host-side halt polling control', ~1n & 0xffff_ffff_ffff_ffffn],
  [0x4b564d06, 'MSR_KVM_ASYNC_PF_INT', 'async page fault interrupt vector', ~0xffn & 0xffff_ffff_ffff_ffffn],
  [0x4b564d07, 'MSR_KVM_ASYNC_PF_ACK', 'async page fault acknowledge', 0n],
];
for (const [index, name, meaning, reserved] of PV) {
  add({
    index,
    name,
    meaning,
    group: 'kvm-pv',
    read: stored,
    write: reserved ? checked({ reserved, why: `reserved bits of ${name}` }) : store,
  });
}
add({
  index: 0x4b564d08,
  name: 'MSR_KVM_MIGRATION_CONTROL',
  meaning: 'SEV live-migration control',
  group: 'kvm-pv',
  read: unknownRead,
  write: unknownWrite,
});

// --- Hyper-V ------------------------------------------------------------------------------------------------------------------
add({
  index: 0x40000000,
  name: 'HV_X64_MSR_GUEST_OS_ID',
  meaning: 'Hyper-V guest OS id (needs Hyper-V CPUID)',
  group: 'hyper-v',
  read: unknownRead,
  write: unknownWrite,
});
add({
  index: 0x40000001,
  name: 'HV_X64_MSR_HYPERCALL',
  meaning: 'Hyper-V hypercall page',
  group: 'hyper-v',
  read: unknownRead,
  write: unknownWrite,
});

// --- syscall and segment bases ----------------------------------------------------------------------------------------------
add({
  index: 0xc0000080,
  name: 'IA32_EFER',
  meaning: 'extended features: SCE, LME, LMA, NXE, SVME, FFXSR',
  group: 'architectural',
  read: stored,
  write: { do: { kind: 'efer' }, values: [{ check: 'efer', guestOnly: true }] },
});
add({
  index: 0xc0000081,
  name: 'MSR_STAR',
  meaning: 'SYSCALL/SYSRET segments and 32-bit target',
  group: 'syscall',
  read: stored,
  write: store,
});
add({
  index: 0xc0000082,
  name: 'MSR_LSTAR',
  meaning: 'SYSCALL 64-bit target',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
});
add({
  index: 0xc0000083,
  name: 'MSR_CSTAR',
  meaning: 'SYSCALL compatibility-mode target',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
});
add({
  index: 0xc0000084,
  name: 'MSR_SYSCALL_MASK',
  meaning: 'RFLAGS mask for SYSCALL (FMASK)',
  group: 'syscall',
  read: stored,
  write: { do: { kind: 'low32' } },
});
add({
  index: 0xc0000100,
  name: 'MSR_FS_BASE',
  meaning: 'FS segment base',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
  passthrough: true,
});
add({
  index: 0xc0000101,
  name: 'MSR_GS_BASE',
  meaning: 'GS segment base',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
  passthrough: true,
});
add({
  index: 0xc0000102,
  name: 'MSR_KERNEL_GS_BASE',
  meaning: 'SWAPGS target',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
  passthrough: true,
});
const tscAuxGate: Gate = {
  unless: { anyFeature: ['rdtscp', 'rdpid'] },
  code: 'err',
  guestOnly: true,
  why: 'no RDTSCP or RDPID in CPUID',
};
add({
  index: 0xc0000103,
  name: 'MSR_TSC_AUX',
  meaning: 'RDTSCP/RDPID auxiliary value',
  group: 'syscall',
  read: { gates: [tscAuxGate], do: { kind: 'stored' } },
  write: { gates: [tscAuxGate], do: { kind: 'low32' }, values: [{ check: 'tsc-aux', guestOnly: true }] },
});

// --- AMD ----------------------------------------------------------------------------------------------------------------------------
for (let n = 0; n < 4; n++) {
  add({
    index: 0xc0010000 + n,
    name: `MSR_K7_EVNTSEL${n}`,
    meaning: `legacy AMD performance event select ${n}`,
    group: 'amd',
    read: stored,
    write: store,
  });
  add({
    index: 0xc0010004 + n,
    name: `MSR_K7_PERFCTR${n}`,
    meaning: `legacy AMD performance counter ${n}`,
    group: 'amd',
    read: stored,
    write: store,
  });
}
add({
  index: 0xc0010010,
  name: 'MSR_K8_SYSCFG',
  meaning: 'AMD system configuration',
  group: 'amd',
  read: constant(0n),
  write: unknownWrite,
});
add({
  index: 0xc0010015,
  name: 'MSR_K7_HWCR',
  meaning: 'AMD hardware configuration (McStatusWrEn bit 18)',
  group: 'amd',
  read: stored,
  write: checked({ check: 'hwcr', guestOnly: true }),
});
add({ index: 0xc0010114, name: 'MSR_VM_CR', meaning: 'AMD SVM control', group: 'amd', read: stored, write: store });
add({
  index: 0xc0010117,
  name: 'MSR_VM_HSAVE_PA',
  meaning: 'AMD host save area',
  group: 'amd',
  read: stored,
  write: store,
});
add({
  index: 0xc0010140,
  name: 'MSR_AMD64_OSVW_ID_LENGTH',
  meaning: 'OS visible workaround id length',
  group: 'amd',
  read: { gates: [needs('osvw', 'err', 'no OSVW in CPUID')], do: { kind: 'stored' } },
  write: { gates: [needs('osvw', 'err', 'no OSVW in CPUID')], do: { kind: 'store' } },
});
add({
  index: 0xc0011029,
  name: 'MSR_AMD64_DE_CFG',
  meaning: 'AMD decode configuration (LFENCE serializing)',
  group: 'amd',
  read: stored,
  write: store,
});

for (const d of defs) {
  d.read ??= unknownRead;
  d.write ??= unknownWrite;
}

/** Every MSR the simulator knows, by index. An index not here is unknown to KVM (UNSUPPORTED). */
export const MSR_CATALOGUE: ReadonlyMap<number, MsrDefinition> = new Map(
  defs.map((d) => [d.index, d as MsrDefinition]),
);

/** Catalogue entries sorted by index, for reference panels and completion. */
export const MSR_LIST: readonly MsrDefinition[] = [...MSR_CATALOGUE.values()].sort((a, b) => a.index - b.index);

const BY_NAME = new Map<string, MsrDefinition>();
for (const d of MSR_LIST) {
  BY_NAME.set(d.name.toUpperCase(), d);
  BY_NAME.set(d.name.toUpperCase().replace(/^(IA32_|MSR_IA32_|MSR_)/, ''), d);
}

/** Looks an MSR up by name, with or without its IA32_/MSR_ prefix, case-insensitively. */
export function msrByName(name: string): MsrDefinition | undefined {
  const key = name.trim().toUpperCase();
  return BY_NAME.get(key) ?? BY_NAME.get(key.replace(/^(IA32_|MSR_IA32_|MSR_)/, ''));
}

export function msrName(index: number): string | undefined {
  return MSR_CATALOGUE.get(index)?.name;
}
