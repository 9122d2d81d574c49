import type {
  FailCode,
  Gate,
  MsrAccessRule,
  MsrDefinition,
  ReadValue,
  ValueRule,
  WriteEffect,
} from './catalogue-types';

/*
 * The vCPU's MSR catalogue: what KVM does with an access the filter let through (or a host-initiated one). It
 * follows the newest kernel as measured on this project's machines (Linux 6.18, AMD SVM host): every entry was
 * checked against oracle/survey/*.json, and src/core/vcpu/survey-agreement.test.ts keeps it that way. Rules are
 * data; src/core/vcpu/emulate.ts interprets them. An index that is not here is unknown to KVM (UNSUPPORTED).
 */

const U64 = 0xffff_ffff_ffff_ffffn;

// --- rule vocabulary ---------------------------------------------------------------------------------------------
const stored: MsrAccessRule<ReadValue> = { do: { kind: 'stored' } };
const store: MsrAccessRule<WriteEffect> = { do: { kind: 'store' } };
const constant = (value: bigint): MsrAccessRule<ReadValue> => ({ do: { kind: 'constant', value } });
const readFail = (code: FailCode, why: string): MsrAccessRule<ReadValue> => ({ do: { kind: 'fail', code, why } });
const writeFail = (code: FailCode, why: string): MsrAccessRule<WriteEffect> => ({ do: { kind: 'fail', code, why } });
const ignore = (why: string): MsrAccessRule<WriteEffect> => ({ do: { kind: 'ignore', why } });
const checked = (...values: ValueRule[]): MsrAccessRule<WriteEffect> => ({ do: { kind: 'store' }, values });
const noReadHandler = readFail('unsupported', 'KVM has no read handler for it');
const noWriteHandler = writeFail('unsupported', 'KVM has no write handler for it: read-only');
const guestErr = (why: string): Gate => ({ unless: { never: true }, code: 'err', guestOnly: true, why });
const hostZeroOnly: MsrAccessRule<WriteEffect> = checked({ zeroOnly: true, why: 'the host may only write 0 to it' });

type Entry = Omit<MsrDefinition, 'read' | 'write'> & Partial<Pick<MsrDefinition, 'read' | 'write'>>;
const defs: Entry[] = [];
const add = (e: Entry) => defs.push(e);

/** Reads a fixed value; writes are refused as unknown (the host's too). */
function readOnlyConstant(index: number, name: string, meaning: string, group: MsrDefinition['group'], value: bigint) {
  add({ index, name, meaning, group, read: constant(value), write: noWriteHandler });
}

/** Reads 0 and swallows every write (KVM accepts and drops it). */
function sink(index: number, name: string, meaning: string, group: MsrDefinition['group']) {
  add({ index, name, meaning, group, read: constant(0n), write: ignore('KVM accepts the write and drops it') });
}

/** The guest gets #GP; the host may read it (0) and write 0. */
function hostOnly(index: number, name: string, meaning: string, group: MsrDefinition['group'], why: string) {
  add({
    index,
    name,
    meaning,
    group,
    read: { gates: [guestErr(why)], do: { kind: 'stored' } },
    write: writeFail('err', why),
    hostWrite: hostZeroOnly,
  });
}

/** #GP for the guest, error for the host: KVM knows the MSR but this vCPU cannot use it. */
function refused(index: number, name: string, meaning: string, group: MsrDefinition['group'], why: string) {
  add({ index, name, meaning, group, read: readFail('err', why), write: writeFail('err', why) });
}

/** Named for people, unknown to KVM: every access is UNSUPPORTED (an UNKNOWN exit, or #GP). */
function unknownToKvm(index: number, name: string, meaning: string, group: MsrDefinition['group']) {
  add({ index, name, meaning: `${meaning} (unknown to KVM)`, group });
}
unknownToKvm(0x6, 'IA32_MONITOR_FILTER_SIZE', 'MONITOR/MWAIT line size', 'architectural');
unknownToKvm(
  0x35,
  'MSR_CORE_THREAD_COUNT',
  'cores and threads per package; QEMU filters it and answers from user space',
  'architectural',
);
unknownToKvm(0x3a, 'IA32_FEATURE_CONTROL', 'lock and VMX enables (Intel; this host is AMD)', 'architectural');
unknownToKvm(0xe7, 'IA32_MPERF', 'maximum-frequency clock count', 'power');
unknownToKvm(0xe8, 'IA32_APERF', 'actual-frequency clock count', 'power');
unknownToKvm(0x480, 'IA32_VMX_BASIC', 'VMX capabilities (Intel; no nested VMX on this AMD host)', 'architectural');
unknownToKvm(0x474f4f00, 'MSR_NON_EXISTENT', "the selftests' made-up MSR", 'architectural');

// --- architectural -------------------------------------------------------------------------------------------------
readOnlyConstant(0x0, 'IA32_P5_MC_ADDR', 'Pentium machine-check address', 'mca', 0n);
readOnlyConstant(0x1, 'IA32_P5_MC_TYPE', 'Pentium machine-check type', 'mca', 0n);
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
readOnlyConstant(0x17, 'IA32_PLATFORM_ID', 'platform id (Intel)', 'architectural', 0n);
add({
  index: 0x1b,
  name: 'IA32_APIC_BASE',
  meaning: 'APIC base address, BSP (bit 8), x2APIC EXTD (bit 10), enable EN (bit 11)',
  group: 'architectural',
  read: stored,
  write: checked({ check: 'apic-base' }),
});
readOnlyConstant(0x2a, 'MSR_IA32_EBL_CR_POWERON', 'processor hard power-on configuration', 'architectural', 0n);
readOnlyConstant(0x2c, 'MSR_EBC_FREQUENCY_ID', 'bus frequency id (synthetic)', 'power', 1n << 24n);
add({
  index: 0x34,
  name: 'MSR_SMI_COUNT',
  meaning: 'SMIs taken since reset; the guest may only read it',
  group: 'architectural',
  read: stored,
  write: writeFail('err', 'MSR_SMI_COUNT is read-only for the guest'),
  hostWrite: store,
});
add({
  index: 0x3b,
  name: 'IA32_TSC_ADJUST',
  meaning: 'TSC adjustment (kept only with TSC_ADJUST in CPUID)',
  group: 'architectural',
  read: stored,
  write: { do: { kind: 'tsc-adjust' } },
});
sink(0x48, 'IA32_SPEC_CTRL', 'IBRS, STIBP, SSBD speculation controls (reads 0, writes dropped here)', 'speculation');
add({
  index: 0x49,
  name: 'IA32_PRED_CMD',
  meaning: 'IBPB command (write-only)',
  group: 'speculation',
  read: noReadHandler,
  write: ignore('the barrier command is accepted'),
  passthrough: true,
});
add({
  index: 0x79,
  name: 'IA32_UCODE_WRITE',
  meaning: 'microcode update trigger (write-only)',
  group: 'architectural',
  read: noReadHandler,
  write: ignore('microcode update writes are ignored'),
});
add({
  index: 0x8b,
  name: 'IA32_UCODE_REV',
  meaning: 'microcode revision (the VMM sets it)',
  group: 'architectural',
  read: stored,
  write: ignore('guest writes of the microcode revision are ignored'),
  hostWrite: store,
});
refused(
  0x9e,
  'IA32_SMBASE',
  'SMRAM base (no SMM support in this kernel)',
  'architectural',
  'IA32_SMBASE needs SMM, which this KVM does not offer',
);
sink(0xc1, 'IA32_PMC0', 'general-purpose performance counter 0 (no vPMU: reads 0, writes dropped)', 'power');
sink(0xc2, 'IA32_PMC1', 'general-purpose performance counter 1 (no vPMU)', 'power');
readOnlyConstant(0xcd, 'MSR_FSB_FREQ', 'front-side bus frequency (synthetic)', 'power', 3n);
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
readOnlyConstant(0xfe, 'IA32_MTRRCAP', 'MTRR capabilities: 8 variable MTRRs, fixed MTRRs, WC', 'mtrr', 0x508n);
add({
  index: 0x10a,
  name: 'IA32_ARCH_CAPABILITIES',
  meaning: 'vulnerability-immunity bits (needs ARCH_CAPABILITIES in CPUID)',
  group: 'speculation',
  read: {
    gates: [
      {
        unless: { feature: 'arch_capabilities' },
        code: 'absent',
        guestOnly: true,
        why: 'no ARCH_CAPABILITIES in CPUID',
      },
    ],
    do: { kind: 'stored' },
  },
  // 'absent': KVM_MSR_RET_UNSUPPORTED since the 6.12 split; Linux 6.1 returns 1 (an INVAL exit), measured.
  write: writeFail('absent', 'IA32_ARCH_CAPABILITIES is read-only for the guest'),
  hostWrite: hostZeroOnly,
});
add({
  index: 0x10b,
  name: 'IA32_FLUSH_CMD',
  meaning: 'L1D flush command (write-only)',
  group: 'speculation',
  read: noReadHandler,
  write: ignore('the flush command is accepted'),
  passthrough: true,
});
add({
  index: 0x11e,
  name: 'MSR_IA32_BBL_CR_CTL3',
  meaning: 'L2 cache control (synthetic)',
  group: 'architectural',
  read: constant(0xbe702111n),
  write: ignore('writes are accepted and dropped'),
});
sink(0x122, 'IA32_TSX_CTRL', 'TSX control (reads 0, writes dropped here)', 'speculation');
add({
  index: 0x140,
  name: 'MSR_MISC_FEATURES_ENABLES',
  meaning: 'CPUID faulting enable (bit 0)',
  group: 'architectural',
  read: stored,
  write: store,
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
  meaning: 'SYSENTER target stack pointer (made canonical, never #GP)',
  group: 'syscall',
  read: stored,
  write: { do: { kind: 'canonicalize' } },
  passthrough: true,
});
add({
  index: 0x176,
  name: 'IA32_SYSENTER_EIP',
  meaning: 'SYSENTER target instruction pointer (made canonical, never #GP)',
  group: 'syscall',
  read: stored,
  write: { do: { kind: 'canonicalize' } },
  passthrough: true,
});
sink(0x186, 'IA32_PERFEVTSEL0', 'performance event select 0 (no vPMU)', 'power');
sink(0x187, 'IA32_PERFEVTSEL1', 'performance event select 1 (no vPMU)', 'power');
readOnlyConstant(
  0x198,
  'IA32_PERF_STATUS',
  'current performance state (synthetic: 1000 MHz, ratio 4)',
  'power',
  0x4_0000_0003e8n,
);
readOnlyConstant(0x199, 'IA32_PERF_CTL', 'performance state request', 'power', 0n);
add({
  index: 0x1a0,
  name: 'IA32_MISC_ENABLE',
  meaning: 'fast strings (bit 0), monitoring, MWAIT enable',
  group: 'architectural',
  reset: 1n,
  read: stored,
  write: store,
});
hostOnly(0x1c4, 'IA32_XFD', 'AMX extended feature disable (needs XFD in CPUID)', 'architectural', 'no XFD in CPUID');
hostOnly(0x1c5, 'IA32_XFD_ERR', 'AMX first-use fault status (needs XFD in CPUID)', 'architectural', 'no XFD in CPUID');
sink(0x1d9, 'IA32_DEBUGCTL', 'LBR and BTF debug control (no LBR virtualization: writes dropped)', 'architectural');
for (const [index, name] of [
  [0x1db, 'MSR_IA32_LASTBRANCHFROMIP'],
  [0x1dc, 'MSR_IA32_LASTBRANCHTOIP'],
  [0x1dd, 'MSR_IA32_LASTINTFROMIP'],
  [0x1de, 'MSR_IA32_LASTINTTOIP'],
] as const) {
  add({
    index,
    name,
    meaning: 'last branch record (SVM VMCB; read-only for the guest)',
    group: 'architectural',
    read: constant(0n),
    write: noWriteHandler,
    hostWrite: hostZeroOnly,
  });
}
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
  meaning: 'page attribute table (this KVM stores any value)',
  group: 'architectural',
  reset: 0x0007040600070406n,
  read: stored,
  write: store,
});
for (const [index, name] of [
  [0x606, 'MSR_RAPL_POWER_UNIT'],
  [0x611, 'MSR_PKG_ENERGY_STATUS'],
  [0x619, 'MSR_DRAM_ENERGY_STATUS'],
  [0x639, 'MSR_PP0_ENERGY_STATUS'],
  [0x641, 'MSR_PP1_ENERGY_STATUS'],
] as const) {
  readOnlyConstant(
    index,
    name,
    'RAPL energy reporting (reads 0; QEMU with rapl=on filters and emulates it)',
    'power',
    0n,
  );
}
add({
  index: 0x345,
  name: 'IA32_PERF_CAPABILITIES',
  meaning: 'performance monitoring capabilities (needs PDCM in CPUID)',
  group: 'power',
  read: {
    gates: [{ unless: { feature: 'pdcm' }, code: 'absent', guestOnly: true, why: 'no PDCM in CPUID' }],
    do: { kind: 'stored' },
  },
  // 'absent': UNSUPPORTED since 6.12, 1 (INVAL) on Linux 6.1 (measured)
  write: writeFail('absent', 'IA32_PERF_CAPABILITIES is read-only for the guest'),
  hostWrite: hostZeroOnly,
});
add({
  index: 0x6e0,
  name: 'IA32_TSC_DEADLINE',
  meaning: 'LAPIC timer TSC deadline (0 unless the timer is in TSC-deadline mode)',
  group: 'architectural',
  read: constant(0n),
  write: ignore('the deadline is accepted; no timer is armed outside TSC-deadline mode'),
});
add({
  index: 0xda0,
  name: 'IA32_XSS',
  meaning: 'XSAVES supervisor state mask (needs XSAVES in CPUID)',
  group: 'architectural',
  read: { gates: [guestErr('no XSAVES in CPUID')], do: { kind: 'stored' } },
  // 'absent': UNSUPPORTED since 6.12, 1 (INVAL) on Linux 6.1 (measured)
  write: writeFail('absent', 'no XSAVES in CPUID'),
  hostWrite: writeFail('err', 'the host cannot set IA32_XSS without XSAVES'),
});

// --- MTRRs --------------------------------------------------------------------------------------------------------
for (let n = 0; n < 8; n++) {
  add({
    index: 0x200 + 2 * n,
    name: `IA32_MTRR_PHYSBASE${n}`,
    meaning: `variable-range MTRR ${n}: base and memory type`,
    group: 'mtrr',
    read: stored,
    write: checked({ check: 'mtrr-phys-base' }),
  });
  add({
    index: 0x201 + 2 * n,
    name: `IA32_MTRR_PHYSMASK${n}`,
    meaning: `variable-range MTRR ${n}: mask and valid bit`,
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
/** 0x200-0x2ff is KVM's MTRR window: the indexes in it that are not MTRRs are refused, not unknown. */
export const MTRR_WINDOW_REFUSED: readonly [number, number][] = [
  [0x210, 0x24f],
  [0x251, 0x257],
  [0x25a, 0x267],
];

// --- machine check ---------------------------------------------------------------------------------------------------
export const MCE_BANKS = 32;
add({
  index: 0x179,
  name: 'IA32_MCG_CAP',
  meaning: `machine-check capabilities: ${MCE_BANKS} banks, no MCG_CTL_P`,
  group: 'mca',
  read: constant(BigInt(MCE_BANKS)),
  write: noWriteHandler,
});
add({
  index: 0x17a,
  name: 'IA32_MCG_STATUS',
  meaning: 'machine-check status',
  group: 'mca',
  read: stored,
  write: store,
});
hostOnly(
  0x17b,
  'IA32_MCG_CTL',
  'machine-check global control (MCG_CTL_P is clear)',
  'mca',
  'MCG_CTL_P is clear in IA32_MCG_CAP',
);
for (let bank = 0; bank < MCE_BANKS; bank++) {
  const at = 0x400 + 4 * bank;
  add({
    index: at,
    name: `IA32_MC${bank}_CTL`,
    meaning: `machine-check bank ${bank} control (0 or all ones)`,
    group: 'mca',
    read: stored,
    write: checked({ check: 'mci-ctl' }),
  });
  add({
    index: at + 1,
    name: `IA32_MC${bank}_STATUS`,
    meaning: `machine-check bank ${bank} status (guest may write 0)`,
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
  hostOnly(
    0x280 + bank,
    `IA32_MC${bank}_CTL2`,
    `machine-check bank ${bank} CMCI control (no MCG_CMCI_P)`,
    'mca',
    'MCG_CMCI_P is clear in IA32_MCG_CAP',
  );
}

// --- x2APIC (in-kernel LAPIC in x2APIC mode only; never filtered) -------------------------------------------------------
const x2apicGate: Gate = {
  unless: { x2apicMode: true },
  code: 'err',
  why: 'x2APIC MSRs exist only with an in-kernel LAPIC in x2APIC mode',
};
/** kvm_lapic_msr_write(): bits 63:32 are reserved in every x2APIC register but the 64-bit ICR. */
const X2APIC_HIGH_RESERVED: ValueRule = {
  reserved: 0xffff_ffff_0000_0000n,
  why: 'bits 63:32 are reserved in every x2APIC register but ICR',
};
const x2 = (read: ReadValue, write: WriteEffect, values: ValueRule[] = [], wide = false) => ({
  read: { gates: [x2apicGate], do: read },
  write: { gates: [x2apicGate], do: write, values: wide ? values : [X2APIC_HIGH_RESERVED, ...values] },
});
const roReg = (value: bigint) =>
  x2({ kind: 'constant', value }, { kind: 'fail', code: 'err', why: 'read-only x2APIC register' });
add({ index: 0x802, name: 'X2APIC_APICID', meaning: 'x2APIC id (read-only)', group: 'x2apic', ...roReg(0n) });
add({
  index: 0x803,
  name: 'X2APIC_VERSION',
  meaning: 'x2APIC version (read-only)',
  group: 'x2apic',
  ...roReg(0x50014n),
});
add({
  index: 0x808,
  name: 'X2APIC_TPR',
  meaning: 'x2APIC task priority',
  group: 'x2apic',
  ...x2({ kind: 'stored' }, { kind: 'masked', mask: 0xffn }),
});
add({
  index: 0x80a,
  name: 'X2APIC_PPR',
  meaning: 'x2APIC processor priority (read-only; = TPR while no interrupt is in service)',
  group: 'x2apic',
  // apic_update_ppr(): PPR = TPR when TPR[7:4] >= the in-service class; nothing is ever in service here.
  storage: 0x808,
  ...x2({ kind: 'stored' }, { kind: 'fail', code: 'err', why: 'read-only x2APIC register' }),
});
add({
  index: 0x80b,
  name: 'X2APIC_EOI',
  meaning: 'x2APIC end of interrupt (write-only)',
  group: 'x2apic',
  ...x2({ kind: 'fail', code: 'err', why: 'EOI is write-only' }, { kind: 'ignore', why: 'end of interrupt signalled' }),
});
add({
  index: 0x80d,
  name: 'X2APIC_LDR',
  meaning: 'x2APIC logical destination (read-only)',
  group: 'x2apic',
  ...roReg(1n),
});
add({
  index: 0x80f,
  name: 'X2APIC_SIVR',
  meaning: 'x2APIC spurious interrupt vector',
  group: 'x2apic',
  reset: 0xffn,
  // Mask 0x3ff: bit 12 (EOI broadcast suppression) needs directed EOI, which KVM's LVR (0x50014) does not offer.
  ...x2({ kind: 'stored' }, { kind: 'svr', mask: 0x3ffn }),
});
for (let i = 0; i < 24; i++) {
  const group = ['ISR', 'TMR', 'IRR'][i >> 3];
  add({
    index: 0x810 + i,
    name: `X2APIC_${group}${i & 7}`,
    meaning: `x2APIC ${group} bits ${32 * (i & 7)}-${32 * (i & 7) + 31} (read-only)`,
    group: 'x2apic',
    ...roReg(0n),
  });
}
add({
  index: 0x828,
  name: 'X2APIC_ESR',
  meaning: 'x2APIC error status (write 0 to clear)',
  group: 'x2apic',
  ...x2({ kind: 'constant', value: 0n }, { kind: 'ignore', why: 'error status cleared' }, [
    { zeroOnly: true, why: 'ESR takes only 0 in x2APIC mode' },
  ]),
});
add({
  index: 0x830,
  name: 'X2APIC_ICR',
  meaning: 'x2APIC interrupt command (64-bit)',
  group: 'x2apic',
  // __kvm_x2apic_icr_write(): bits 31:20, 17:16 and 13 are reserved; BUSY (bit 12) is dropped.
  ...x2(
    { kind: 'stored' },
    { kind: 'masked', mask: ~0x1000n & U64 },
    [{ reserved: 0xfff3_2000n, why: 'ICR bits 31:20, 17:16 and 13 are reserved in x2APIC mode' }],
    true,
  ),
});
// apic_lvt_mask[]: vector, delivery status (12) and mask (16) everywhere; delivery mode (10:8) but for the timer and
// error entries; polarity, remote IRR and trigger mode (15:13) for LINT0/1; the timer's periodic bit (17) only, as
// the vCPU has no TSC-deadline timer.
const LVT: [number, string, bigint, bigint][] = [
  [0x832, 'LVT_TIMER', 0x10000n, 0x310ffn],
  [0x833, 'LVT_THERMAL', 0x10000n, 0x117ffn],
  [0x834, 'LVT_PMI', 0x10000n, 0x117ffn],
  [0x835, 'LVT_LINT0', 0x700n, 0x1f7ffn],
  [0x836, 'LVT_LINT1', 0x10000n, 0x1f7ffn],
  [0x837, 'LVT_ERROR', 0x10000n, 0x110ffn],
];
/** The LVT entries KVM masks when the APIC is software-disabled (AMD: six, no CMCI). */
export const X2APIC_LVTS: readonly number[] = LVT.map(([index]) => index);
export const X2APIC_SVR = 0x80f;
for (const [index, name, reset, mask] of LVT) {
  add({
    index,
    name: `X2APIC_${name}`,
    meaning: `x2APIC local vector table: ${name.slice(4).toLowerCase()}`,
    group: 'x2apic',
    reset,
    ...x2({ kind: 'stored' }, { kind: 'lvt', mask }),
  });
}
add({
  index: 0x838,
  name: 'X2APIC_TMICT',
  meaning: 'x2APIC timer initial count',
  group: 'x2apic',
  ...x2({ kind: 'stored' }, { kind: 'masked', mask: 0xffff_ffffn }),
});
add({
  index: 0x839,
  name: 'X2APIC_TMCCT',
  meaning: 'x2APIC timer current count (read-only; counts down once TMICT is set)',
  group: 'x2apic',
  volatile: true,
  ...roReg(0n),
});
add({
  index: 0x83e,
  name: 'X2APIC_TDCR',
  meaning: 'x2APIC timer divide configuration',
  group: 'x2apic',
  ...x2({ kind: 'stored' }, { kind: 'masked', mask: 0xbn }),
});
add({
  index: 0x83f,
  name: 'X2APIC_SELF_IPI',
  meaning: 'x2APIC self IPI (write-only)',
  group: 'x2apic',
  ...x2({ kind: 'fail', code: 'err', why: 'SELF_IPI is write-only' }, { kind: 'ignore', why: 'self IPI sent' }, [
    { reserved: ~0xffn & U64, why: 'only the vector (bits 7:0) exists' },
  ]),
});
/** Every other index in 0x800-0x8ff is handled by KVM's x2APIC code and refused. */
export const X2APIC_WINDOW: readonly [number, number] = [0x800, 0x8ff];

// --- KVM paravirtual ------------------------------------------------------------------------------------------------------
const pvEntry = (index: number, name: string, meaning: string): Entry => ({
  index,
  name,
  meaning,
  group: 'kvm-pv',
  read: stored,
  write: store,
});
const pvAny = (index: number, name: string, meaning: string) => add(pvEntry(index, name, meaning));
pvAny(0x11, 'MSR_KVM_WALL_CLOCK', 'kvmclock wall clock GPA (legacy)');
pvAny(0x12, 'MSR_KVM_SYSTEM_TIME', 'kvmclock per-vCPU time GPA (legacy)');
// KVM keeps one variable for each pair (kvm->arch.wall_clock, vcpu->arch.time): the new MSR reads what the old wrote.
add({ ...pvEntry(0x4b564d00, 'MSR_KVM_WALL_CLOCK_NEW', 'kvmclock wall clock GPA'), storage: 0x11 });
add({ ...pvEntry(0x4b564d01, 'MSR_KVM_SYSTEM_TIME_NEW', 'kvmclock per-vCPU time GPA'), storage: 0x12 });
add({
  index: 0x4b564d02,
  name: 'MSR_KVM_ASYNC_PF_EN',
  meaning: 'async page fault enable (needs an in-kernel LAPIC to enable)',
  group: 'kvm-pv',
  read: stored,
  write: checked(
    { reserved: 0x30n, why: 'bits 5:4 of MSR_KVM_ASYNC_PF_EN are reserved' },
    { check: 'async-pf-en' },
    { check: 'async-pf-gpa' },
  ),
});
add({
  index: 0x4b564d03,
  name: 'MSR_KVM_STEAL_TIME',
  meaning: 'steal time GPA (bit 0 enables)',
  group: 'kvm-pv',
  read: stored,
  write: checked({ reserved: 0x3en, why: 'bits 5:1 of MSR_KVM_STEAL_TIME are reserved' }),
});
add({
  index: 0x4b564d04,
  name: 'MSR_KVM_PV_EOI_EN',
  meaning: 'paravirtual EOI enable (4-byte aligned GPA)',
  group: 'kvm-pv',
  read: stored,
  // kvm_lapic_set_pv_eoi(): IS_ALIGNED(data & ~1, 4), so only bit 1 is refused (0x4 and 0x5 are accepted).
  write: checked({ reserved: 0x2n, why: 'the PV EOI address must be 4-byte aligned' }, { check: 'pv-eoi-gpa' }),
});
add({
  index: 0x4b564d05,
  name: 'MSR_KVM_POLL_CONTROL',
  meaning: 'host-side halt polling control (bit 0)',
  group: 'kvm-pv',
  reset: 1n,
  read: stored,
  write: checked({ reserved: ~1n & U64, why: 'only bit 0 of MSR_KVM_POLL_CONTROL exists' }),
});
add({
  index: 0x4b564d06,
  name: 'MSR_KVM_ASYNC_PF_INT',
  meaning: 'async page fault interrupt vector (needs an in-kernel LAPIC)',
  group: 'kvm-pv',
  read: stored,
  write: checked(
    { needs: { lapic: true }, why: 'no in-kernel LAPIC to deliver the interrupt' },
    { reserved: ~0xffn & U64, why: 'only the vector (bits 7:0) exists' },
  ),
});
add({
  index: 0x4b564d07,
  name: 'MSR_KVM_ASYNC_PF_ACK',
  meaning: 'async page fault acknowledge',
  group: 'kvm-pv',
  read: constant(0n),
  write: ignore('the acknowledgement is taken'),
});
add({
  index: 0x4b564d08,
  name: 'MSR_KVM_MIGRATION_CONTROL',
  meaning: 'SEV live-migration control (SEV guests only)',
  group: 'kvm-pv',
});

// --- Hyper-V (needs Hyper-V CPUID leaves, which neither model has) ------------------------------------------------------------
add({
  index: 0x40000000,
  name: 'HV_X64_MSR_GUEST_OS_ID',
  meaning: 'Hyper-V guest OS id (needs Hyper-V CPUID)',
  group: 'hyper-v',
});
add({
  index: 0x40000001,
  name: 'HV_X64_MSR_HYPERCALL',
  meaning: 'Hyper-V hypercall page (needs Hyper-V CPUID)',
  group: 'hyper-v',
});

// --- syscall and segment bases ----------------------------------------------------------------------------------------------
add({
  index: 0xc0000080,
  name: 'IA32_EFER',
  meaning: 'extended features: SCE, LME, LMA, NXE, SVME, FFXSR',
  group: 'architectural',
  read: stored,
  write: { do: { kind: 'efer' }, values: [{ check: 'efer-reserved' }, { check: 'efer', guestOnly: true }] },
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
  meaning: 'SYSCALL 64-bit target (canonical)',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
});
add({
  index: 0xc0000083,
  name: 'MSR_CSTAR',
  meaning: 'SYSCALL compatibility-mode target (canonical)',
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
  write: store,
});
add({
  index: 0xc0000100,
  name: 'MSR_FS_BASE',
  meaning: 'FS segment base (canonical)',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
  passthrough: true,
});
add({
  index: 0xc0000101,
  name: 'MSR_GS_BASE',
  meaning: 'GS segment base (canonical)',
  group: 'syscall',
  read: stored,
  write: checked({ canonical: true }),
  passthrough: true,
});
add({
  index: 0xc0000102,
  name: 'MSR_KERNEL_GS_BASE',
  meaning: 'SWAPGS target (canonical)',
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
  meaning: 'RDTSCP/RDPID auxiliary value (needs RDTSCP or RDPID)',
  group: 'syscall',
  read: { gates: [tscAuxGate], do: { kind: 'stored' } },
  write: { gates: [tscAuxGate], do: { kind: 'low32' }, values: [{ check: 'tsc-aux' }] },
});
add({
  index: 0xc0000104,
  name: 'MSR_AMD64_TSC_RATIO',
  meaning: 'AMD TSC scaling ratio (needs TSCRATEMSR in CPUID)',
  group: 'amd',
  reset: 0x1_0000_0000n,
  read: { gates: [guestErr('no TSCRATEMSR in CPUID')], do: { kind: 'stored' } },
  write: writeFail('err', 'no TSCRATEMSR in CPUID'),
  hostWrite: {
    do: { kind: 'ignore', why: 'the default ratio is kept' },
    // svm_set_msr(): `data != 0 && data != svm->tsc_ratio_msr` fails; the ratio stays at its default 1.0.
    values: [
      {
        reserved: U64 ^ 0x1_0000_0000n,
        why: 'without TSCRATEMSR the host may only write 0 or the current ratio (0x100000000)',
      },
    ],
  },
});

// --- AMD ----------------------------------------------------------------------------------------------------------------------------
for (let n = 0; n < 4; n++) {
  sink(0xc0010000 + n, `MSR_K7_EVNTSEL${n}`, `legacy AMD performance event select ${n} (no vPMU)`, 'amd');
  sink(0xc0010004 + n, `MSR_K7_PERFCTR${n}`, `legacy AMD performance counter ${n} (no vPMU)`, 'amd');
}
readOnlyConstant(0xc0010010, 'MSR_AMD64_SYSCFG', 'AMD system configuration', 'amd', 0n);
add({
  index: 0xc0010015,
  name: 'MSR_K7_HWCR',
  meaning: 'AMD hardware configuration (McStatusWrEn bit 18)',
  group: 'amd',
  read: stored,
  write: checked({ check: 'hwcr' }),
});
add({
  index: 0xc001001b,
  name: 'MSR_K7_CLK_CTL',
  meaning: 'AMD clock control (synthetic)',
  group: 'amd',
  read: constant(0x20000000n),
  write: ignore('writes are accepted and dropped'),
});
sink(0xc001001f, 'MSR_AMD64_NB_CFG', 'AMD northbridge configuration', 'amd');
add({
  index: 0xc0010020,
  name: 'MSR_AMD64_PATCH_LOADER',
  meaning: 'AMD microcode patch loader (write-only)',
  group: 'amd',
  read: noReadHandler,
  write: ignore('microcode patch loads are ignored'),
});
readOnlyConstant(0xc0010055, 'MSR_K8_INT_PENDING_MSG', 'AMD interrupt pending message', 'amd', 0n);
add({
  index: 0xc0010058,
  name: 'MSR_FAM10H_MMIO_CONF_BASE',
  meaning: 'AMD MMIO configuration base (only 0 accepted)',
  group: 'amd',
  read: constant(0n),
  write: { do: { kind: 'ignore', why: '0 is accepted' }, values: [{ zeroOnly: true, why: 'only 0 may be written' }] },
});
readOnlyConstant(0xc0010112, 'MSR_K8_TSEG_ADDR', 'AMD SMM TSEG base', 'amd', 0n);
readOnlyConstant(0xc0010113, 'MSR_K8_TSEG_MASK', 'AMD SMM TSEG mask', 'amd', 0n);
add({ index: 0xc0010114, name: 'MSR_VM_CR', meaning: 'AMD SVM control (needs SVM in CPUID)', group: 'amd' });
sink(0xc0010117, 'MSR_VM_HSAVE_PA', 'AMD host save area (no nested SVM: writes dropped)', 'amd');
sink(0xc001011f, 'MSR_AMD64_VIRT_SPEC_CTRL', 'AMD virtual speculation control', 'amd');
refused(
  0xc0010140,
  'MSR_AMD64_OSVW_ID_LENGTH',
  'OS visible workaround id length (needs OSVW in CPUID)',
  'amd',
  'no OSVW in CPUID',
);
refused(
  0xc0010141,
  'MSR_AMD64_OSVW_STATUS',
  'OS visible workaround status (needs OSVW in CPUID)',
  'amd',
  'no OSVW in CPUID',
);
sink(0xc0011022, 'MSR_AMD64_DC_CFG', 'AMD data cache configuration', 'amd');
sink(0xc0011023, 'MSR_AMD64_TW_CFG', 'AMD table walker configuration', 'amd');
add({
  index: 0xc0011029,
  name: 'MSR_AMD64_DE_CFG',
  meaning: 'AMD decode configuration (LFENCE serializing; not offered here)',
  group: 'amd',
});
sink(0xc001102a, 'MSR_AMD64_BU_CFG2', 'AMD bus unit configuration 2', 'amd');
sink(0xc001102c, 'MSR_F15H_EX_CFG', 'AMD execution unit configuration', 'amd');

for (const d of defs) {
  d.read ??= noReadHandler;
  d.write ??= writeFail('unsupported', 'KVM has no write handler for it');
}

/** Every MSR the simulator knows, by index. */
export const MSR_CATALOGUE: ReadonlyMap<number, MsrDefinition> = new Map(
  defs.map((d) => [d.index, d as MsrDefinition]),
);

/** Catalogue entries sorted by index, for reference panels and completion. */
export const MSR_LIST: readonly MsrDefinition[] = [...MSR_CATALOGUE.values()].sort((a, b) => a.index - b.index);

const BY_NAME = new Map<string, MsrDefinition>();
const shortName = (n: string) => n.toUpperCase().replace(/^(MSR_IA32_|IA32_|MSR_)/, '');
for (const d of MSR_LIST) {
  BY_NAME.set(d.name.toUpperCase(), d);
  if (!BY_NAME.has(shortName(d.name))) BY_NAME.set(shortName(d.name), d);
}

/** Looks an MSR up by name, with or without its IA32_/MSR_ prefix, case-insensitively. */
export function msrByName(name: string): MsrDefinition | undefined {
  const key = name.trim().toUpperCase();
  return BY_NAME.get(key) ?? BY_NAME.get(shortName(key));
}

export function msrName(index: number): string | undefined {
  return MSR_CATALOGUE.get(index)?.name;
}
