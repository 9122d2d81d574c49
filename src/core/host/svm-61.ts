import type { Gate, MsrAccessRule, ReadValue, WriteEffect } from '../vcpu/catalogue-types';
import type { HostCpuid, HostEntry } from './host-models';

/*
 * kvm_amd on Linux 6.1 (Debian 12's 6.1.192, under QEMU TCG with -cpu EPYC,+svm), as measured by
 * `npx tsx oracle/survey.mjs --kvm=svm-6.1` (oracle/survey/svm-6.1): where it differs from the common catalogue
 * (vcpu/catalogue.ts, calibrated on PVM 6.18). Each entry gives only the fields that differ, and its cause: `svm.c`
 * (the backend) or `6.1` (the kernel version: the common x86 code changed later), as far as the kernel source says.
 * The kernel-version rule that also changes the exit reason (INVAL before the 6.12 UNSUPPORTED split) is the
 * catalogue's FailCode `absent`, read through the profile (linux-5.19).
 */

const U64 = 0xffff_ffff_ffff_ffffn;
const stored: MsrAccessRule<ReadValue> = { do: { kind: 'stored' } };
const store: MsrAccessRule<WriteEffect> = { do: { kind: 'store' } };
const ignore = (why: string): MsrAccessRule<WriteEffect> => ({ do: { kind: 'ignore', why } });
const readFail = (code: 'err' | 'unsupported', why: string): MsrAccessRule<ReadValue> => ({
  do: { kind: 'fail', code, why },
});
const writeFail = (code: 'err' | 'unsupported', why: string): MsrAccessRule<WriteEffect> => ({
  do: { kind: 'fail', code, why },
});
const guestOnlyFail = (code: 'err' | 'unsupported', why: string): Gate => ({
  unless: { never: true },
  code,
  guestOnly: true,
  why,
});
const hostZeroOnly: MsrAccessRule<WriteEffect> = {
  do: { kind: 'store' },
  values: [{ zeroOnly: true, why: 'the host may only write 0 to it' }],
};

/** linux64's CPUID on this host: the oracle's leaves ANDed with what QEMU's EPYC offers, and nothing overridden. */
export const SVM_61_CPUID: HostCpuid = {
  // KVM 6.1 keeps the CPUID it is given (no leaf 7 from the host: no TSC_ADJUST); EPYC has RDTSCP; QEMU's
  // default phys-bits is 40 (CPUID 0x80000008 EAX 0x3028)
  add: ['rdtscp'],
  remove: ['tsc_adjust'],
  maxPhysAddr: 40,
};

/** Windows 6.1 routes to code that refuses (returns 1) the indexes it does not implement. */
export const SVM_61_REFUSED: readonly { range: readonly [number, number]; why: string }[] = [
  ...(
    [
      [0x270, 0x276],
      [0x278, 0x27f],
      [0x2a0, 0x2fe],
    ] as const
  ).map((range) => ({
    range,
    why: '6.1 x86.c routes 0x200-0x2ff but the MCx_CTL2 banks to the MTRR code, which refuses what is not an MTRR',
  })),
  ...(
    [
      [0x40000000, 0x4000009f],
      [0x400000b0, 0x400000b7],
      [0x400000f1, 0x400000f5],
      [0x400000ff, 0x40000108],
    ] as const
  ).map((range) => ({ range, why: '6.1 x86.c routes the Hyper-V MSR ranges to hyperv.c, which refuses this one' })),
];

const entries: [number, HostEntry][] = [
  [
    0x48,
    {
      meaning: 'IBRS, STIBP, SSBD speculation controls (needs SPEC_CTRL in CPUID for the guest)',
      read: {
        gates: [{ unless: { feature: 'spec_ctrl' }, code: 'err', guestOnly: true, why: 'no SPEC_CTRL in CPUID' }],
        do: { kind: 'stored' },
      },
      write: {
        gates: [{ unless: { feature: 'spec_ctrl' }, code: 'err', guestOnly: true, why: 'no SPEC_CTRL in CPUID' }],
        do: { kind: 'store' },
      },
      cause:
        'svm.c svm_get_msr/svm_set_msr MSR_IA32_SPEC_CTRL: `!host_initiated && !guest_has_spec_ctrl_msr()` returns 1',
    },
  ],
  [
    0x49,
    {
      write: {
        gates: [{ unless: { feature: 'spec_ctrl' }, code: 'err', why: 'no IBPB in CPUID' }],
        do: { kind: 'ignore', why: 'the barrier command is accepted' },
      },
      cause: '6.1 x86.c kvm_set_msr_common MSR_IA32_PRED_CMD: refused without IBPB (the host too)',
    },
  ],
  [0x8b, { reset: 0x0100_0065n, cause: 'svm.c: vcpu->arch.microcode_version = 0x01000065' }],
  [
    0x9e,
    {
      meaning: 'SMRAM base (SMM: the host may read and write it, the guest outside SMM may not)',
      reset: 0x30000n,
      read: {
        gates: [guestOnlyFail('err', 'IA32_SMBASE is readable only by the host outside SMM')],
        do: { kind: 'stored' },
      },
      write: writeFail('err', 'IA32_SMBASE is writable only by the host'),
      hostWrite: store,
      cause: '6.1 x86.c MSR_IA32_SMBASE: SMM is always built before CONFIG_KVM_SMM (6.2); host-initiated only',
    },
  ],
  [
    0x10a,
    {
      reset: 0x4000_0000_0c00_0069n,
      hostWrite: store,
      cause:
        '6.1 x86.c: vcpu->arch.arch_capabilities = kvm_get_arch_capabilities() for every vCPU, and a host write ' +
        "is not checked against the supported bits (later kernels check); the value is this QEMU CPU's",
    },
  ],
  [
    0x10b,
    {
      write: writeFail('unsupported', 'IA32_FLUSH_CMD is handled by kvm_intel only in 6.1'),
      cause: '6.1: MSR_IA32_FLUSH_CMD lives in vmx.c; the common x86 code took it later',
    },
  ],
  [
    0x122,
    {
      read: readFail('unsupported', 'IA32_TSX_CTRL is handled by kvm_intel only'),
      write: writeFail('unsupported', 'IA32_TSX_CTRL is handled by kvm_intel only'),
      cause: 'vmx.c only (MSR_IA32_TSX_CTRL); PVM handles it',
    },
  ],
  [
    0x140,
    {
      write: { do: { kind: 'store' }, values: [{ check: 'misc-features' }] },
      cause: 'x86.c MSR_MISC_FEATURES_ENABLES: only CPUID_FAULT (bit 0); PVM stores any value',
    },
  ],
  [
    0x1a0,
    {
      reset: 0x1800n,
      write: { do: { kind: 'masked', mask: U64 ^ 0x80n }, values: [{ check: 'misc-enable', guestOnly: true }] },
      hostWrite: store,
      cause:
        'x86.c kvm_vcpu_reset: BTS_UNAVAIL|PEBS_UNAVAIL (0x1800), read-only for the guest; a guest write drops ' +
        'bit 7 (EMON, no vPMU); PVM resets it to 1 and stores any value',
    },
  ],
  [
    0xda0,
    {
      hostWrite: hostZeroOnly,
      cause: '6.1 x86.c MSR_IA32_XSS: only the guest needs XSAVES; the host may write the supported bits (none)',
    },
  ],
  [
    0xc0000103,
    {
      write: {
        gates: [
          {
            unless: { anyFeature: ['rdtscp', 'rdpid'] },
            code: 'err',
            guestOnly: true,
            why: 'no RDTSCP or RDPID in CPUID',
          },
        ],
        do: { kind: 'low32' },
        values: [{ check: 'tsc-aux-intel' }],
      },
      cause: '6.1 x86.c MSR_TSC_AUX: bits 63:32 refused only on an Intel vCPU (later: unless AMD-compatible)',
    },
  ],
  [
    0xc0010115,
    {
      name: 'MSR_VM_IGNNE',
      group: 'amd',
      meaning: 'AMD IGNNE# control (write-only: writes are accepted and dropped)',
      read: readFail('unsupported', 'KVM has no read handler for it'),
      write: ignore('svm.c: unimplemented wrmsr, accepted and dropped'),
      cause: 'svm.c svm_set_msr MSR_VM_IGNNE: vcpu_unimpl(), accepted',
    },
  ],
  [
    0xc001011f,
    {
      meaning: 'AMD virtual speculation control (needs VIRT_SSBD in CPUID for the guest)',
      read: { gates: [guestOnlyFail('err', 'no VIRT_SSBD in CPUID')], do: { kind: 'stored' } },
      write: { gates: [guestOnlyFail('err', 'no VIRT_SSBD in CPUID')], do: { kind: 'store' } },
      hostWrite: hostZeroOnly,
      cause: 'svm.c MSR_AMD64_VIRT_SPEC_CTRL: guest needs VIRT_SSBD; the host may set only supported bits (none here)',
    },
  ],
  ...([0x175, 0x176] as const).map((index): [number, HostEntry] => [
    index,
    {
      write: { do: { kind: 'low32' } },
      cause:
        'svm.c svm_set_msr MSR_IA32_SYSENTER_EIP/ESP: the VMCB keeps (u32)data; the high half only for a vCPU ' +
        'whose CPUID vendor is Intel (neither model here). A guest write reaches KVM only when a filter denies it: ' +
        'otherwise the CPU runs it (the pass-through check)',
    },
  ]),
  [
    0xc0011021,
    {
      name: 'MSR_F15H_IC_CFG',
      group: 'amd',
      meaning: 'AMD family 15h instruction cache configuration (reads 0 with a CPUID family; no write handler)',
      read: {
        gates: [{ unless: { feature: 'msr' }, code: 'unsupported', why: 'no CPUID leaf 1: guest_cpuid_family() < 0' }],
        do: { kind: 'constant', value: 0n },
      },
      write: writeFail('unsupported', 'KVM has no write handler for it'),
      cause: 'svm.c svm_get_msr MSR_F15H_IC_CFG: 0 unless the family is 15h models 2-1fh; unknown without CPUID',
    },
  ],
  [
    0xc0010114,
    {
      meaning: 'AMD SVM control (bits 4:0)',
      read: stored,
      write: { do: { kind: 'store' }, values: [{ reserved: U64 ^ 0x1fn, why: 'only bits 4:0 of VM_CR exist' }] },
      cause: 'svm.c svm_set_vm_cr: SVM_VM_CR_VALID_MASK',
    },
  ],
  [
    0xc0010117,
    {
      meaning: 'AMD host save area (page-aligned, below MAXPHYADDR)',
      read: stored,
      write: { do: { kind: 'masked', mask: U64 ^ 0xfffn }, values: [{ check: 'page-gpa', guestOnly: true }] },
      cause: 'svm.c MSR_VM_HSAVE_PA: page_address_valid() for the guest; the host may set any value (& PAGE_MASK)',
    },
  ],
  [
    0xc0011029,
    {
      meaning: 'AMD decode configuration (LFENCE serializing, bit 1)',
      read: stored,
      write: {
        do: { kind: 'store' },
        values: [
          { reserved: U64 ^ 0x2n, why: 'only LFENCE_SERIALIZE (bit 1) is supported' },
          { equals: 0x2n, guestOnly: true, why: 'the guest may not change a bit of DE_CFG' },
        ],
      },
      cause: 'svm.c MSR_AMD64_DE_CFG: supported bits from the feature MSR (0x2); the guest may not change a bit',
    },
  ],
];

for (const index of [0x1db, 0x1dc, 0x1dd, 0x1de]) {
  entries.push([
    index,
    {
      hostWrite: writeFail('unsupported', 'no LBR virtualization: the host cannot write it either'),
      cause: 'svm.c 6.1: no write handler for the LBR MSRs without lbrv (PVM takes a host write of 0)',
    },
  ]);
}

/** PMU MSRs 6.1 lists for migration (msrs_to_save) but no vPMU here emulates: unknown to the guest, host 0 only. */
const PMU_TO_SAVE: [number, string][] = [
  [0x309, 'MSR_CORE_PERF_FIXED_CTR0'],
  [0x30a, 'MSR_CORE_PERF_FIXED_CTR1'],
  [0x30b, 'MSR_CORE_PERF_FIXED_CTR2'],
  [0x38d, 'IA32_FIXED_CTR_CTRL'],
  [0x38e, 'IA32_PERF_GLOBAL_STATUS'],
  [0x38f, 'IA32_PERF_GLOBAL_CTRL'],
  [0x390, 'IA32_PERF_GLOBAL_OVF_CTRL'],
  [0x3f1, 'MSR_IA32_PEBS_ENABLE'],
  [0x3f2, 'MSR_PEBS_DATA_CFG'],
  [0x600, 'MSR_IA32_DS_AREA'],
  ...Array.from({ length: 6 }, (_, n): [number, string][] => [
    [0xc0010200 + 2 * n, `MSR_F15H_PERF_CTL${n}`],
    [0xc0010201 + 2 * n, `MSR_F15H_PERF_CTR${n}`],
  ]).flat(),
];
for (const [index, name] of PMU_TO_SAVE) {
  entries.push([
    index,
    {
      name,
      group: 'power',
      meaning: 'PMU register (no vPMU: unknown to the guest; the host reads 0 and may write 0)',
      read: { gates: [guestOnlyFail('unsupported', 'no vPMU')], do: { kind: 'constant', value: 0n } },
      write: writeFail('unsupported', 'no vPMU'),
      hostWrite: hostZeroOnly,
      cause: '6.1 x86.c: host-initiated accesses to MSRs in msrs_to_save that KVM cannot emulate read 0 and take 0',
    },
  ]);
}

/** Hyper-V MSRs: known to KVM 6.1 (CONFIG_KVM_HYPERV did not exist yet), refused to a guest without Hyper-V CPUID. */
const noHv = 'no Hyper-V CPUID: the guest may not use Hyper-V MSRs';
const HV_CAUSE =
  '6.1 hyperv.c kvm_hv_get_msr/kvm_hv_set_msr: guest accesses need Hyper-V CPUID (hv_check_msr_access); the host ' +
  'may use them; PVM has none';
const hv = (
  name: string,
  meaning: string,
  read: ReadValue,
  hostWrite: MsrAccessRule<WriteEffect>,
  more: Partial<HostEntry> = {},
): HostEntry => ({
  name,
  group: 'hyper-v',
  meaning,
  read: { gates: [guestOnlyFail('err', noHv)], do: read },
  write: writeFail('err', noHv),
  hostWrite,
  cause: HV_CAUSE,
  ...more,
});
const synicOff: MsrAccessRule<WriteEffect> = {
  do: { kind: 'store' },
  values: [{ zeroOnly: true, why: 'SynIC is not active: the host may write only 0' }],
};
entries.push(
  [0x40000000, hv('HV_X64_MSR_GUEST_OS_ID', 'Hyper-V guest OS id', { kind: 'stored' }, store)],
  [
    0x40000001,
    hv(
      'HV_X64_MSR_HYPERCALL',
      'Hyper-V hypercall page (kept 0 while GUEST_OS_ID is 0)',
      { kind: 'constant', value: 0n },
      ignore('no guest OS id: the hypercall page stays off'),
    ),
  ],
  [
    0x40000002,
    hv(
      'HV_X64_MSR_VP_INDEX',
      'Hyper-V virtual processor index (32 bits, below KVM_MAX_VCPUS)',
      { kind: 'stored' },
      { do: { kind: 'low32' }, values: [{ check: 'hv-vp-index' }] },
    ),
  ],
  [
    0x40000003,
    hv(
      'HV_X64_MSR_RESET',
      'Hyper-V reset (reads 0; a host write of 1 resets the VM: not simulated)',
      {
        kind: 'constant',
        value: 0n,
      },
      ignore('a host write of RESET other than 1 does nothing'),
    ),
  ],
  [
    0x40000010,
    hv(
      'HV_X64_MSR_VP_RUNTIME',
      'Hyper-V virtual processor run time (counts)',
      { kind: 'tsc' },
      ignore('sets the run-time offset'),
      {
        volatile: true,
      },
    ),
  ],
  [
    0x40000020,
    hv(
      'HV_X64_MSR_TIME_REF_COUNT',
      'Hyper-V reference counter (100 ns ticks)',
      { kind: 'tsc' },
      ignore('read-only counter'),
      {
        volatile: true,
      },
    ),
  ],
  [0x40000021, hv('HV_X64_MSR_REFERENCE_TSC', 'Hyper-V reference TSC page', { kind: 'stored' }, store)],
  [
    0x40000022,
    hv(
      'HV_X64_MSR_TSC_FREQUENCY',
      "Hyper-V TSC frequency (the host's: its value differs per machine and is not compared)",
      { kind: 'constant', value: 0x85dbe608n },
      ignore('read-only'),
      { volatile: true },
    ),
  ],
  [
    0x40000023,
    hv(
      'HV_X64_MSR_APIC_FREQUENCY',
      'Hyper-V APIC bus frequency (1 GHz)',
      { kind: 'constant', value: 1_000_000_000n },
      ignore('read-only'),
    ),
  ],
  [
    0x40000073,
    hv(
      'HV_X64_MSR_VP_ASSIST_PAGE',
      'Hyper-V VP assist page (bit 0 enables; the page must be guest memory)',
      { kind: 'stored' },
      {
        do: { kind: 'store' },
        values: [{ check: 'hv-assist-gpa' }],
      },
    ),
  ],
  [
    0x40000070,
    hv(
      'HV_X64_MSR_EOI',
      'Hyper-V EOI through the in-kernel LAPIC (write-only)',
      { kind: 'fail', code: 'err', why: 'EOI is write-only' },
      {
        gates: [{ unless: { lapic: true }, code: 'err', why: 'no in-kernel LAPIC' }],
        do: { kind: 'ignore', why: 'end of interrupt signalled' },
        values: [{ reserved: 0xffff_ffff_0000_0000n, why: 'the LAPIC register is 32 bits' }],
      },
    ),
  ],
  [
    0x40000071,
    hv(
      'HV_X64_MSR_ICR',
      'Hyper-V ICR through the in-kernel LAPIC (64 bits)',
      { kind: 'stored' },
      {
        gates: [{ unless: { lapic: true }, code: 'err', why: 'no in-kernel LAPIC' }],
        do: { kind: 'masked', mask: U64 ^ 0x1000n },
        values: [{ reserved: 0xfff3_2000n, why: 'ICR bits 31:20, 17:16 and 13 are reserved' }],
      },
      {
        read: {
          gates: [guestOnlyFail('err', noHv), { unless: { lapic: true }, code: 'err', why: 'no in-kernel LAPIC' }],
          do: { kind: 'stored' },
        },
      },
    ),
  ],
  [
    0x40000072,
    hv(
      'HV_X64_MSR_TPR',
      'Hyper-V TPR through the in-kernel LAPIC',
      { kind: 'stored' },
      {
        gates: [{ unless: { lapic: true }, code: 'err', why: 'no in-kernel LAPIC' }],
        do: { kind: 'masked', mask: 0xffn },
        values: [{ reserved: 0xffff_ffff_0000_0000n, why: 'the LAPIC register is 32 bits' }],
      },
      {
        read: {
          gates: [guestOnlyFail('err', noHv), { unless: { lapic: true }, code: 'err', why: 'no in-kernel LAPIC' }],
          do: { kind: 'stored' },
        },
      },
    ),
  ],
  [0x40000080, hv('HV_X64_MSR_SCONTROL', 'Hyper-V SynIC control', { kind: 'stored' }, synicOff)],
  [0x40000081, hv('HV_X64_MSR_SVERSION', 'Hyper-V SynIC version', { kind: 'stored' }, synicOff, { reset: 1n })],
  [0x40000082, hv('HV_X64_MSR_SIEFP', 'Hyper-V SynIC event flags page', { kind: 'stored' }, synicOff)],
  [0x40000083, hv('HV_X64_MSR_SIMP', 'Hyper-V SynIC message page', { kind: 'stored' }, synicOff)],
  [0x40000084, hv('HV_X64_MSR_EOM', 'Hyper-V SynIC end of message', { kind: 'stored' }, synicOff)],
  ...Array.from({ length: 16 }, (_, n): [number, HostEntry] => [
    0x40000090 + n,
    hv(`HV_X64_MSR_SINT${n}`, `Hyper-V SynIC interrupt source ${n} (masked at reset)`, { kind: 'stored' }, synicOff, {
      reset: 0x10000n,
    }),
  ]),
  ...Array.from({ length: 8 }, (_, n): [number, HostEntry] => [
    0x400000b0 + n,
    hv(
      `HV_X64_MSR_STIMER${n >> 1}_${n & 1 ? 'COUNT' : 'CONFIG'}`,
      `Hyper-V synthetic timer ${n >> 1} ${n & 1 ? 'count' : 'configuration'}`,
      { kind: 'stored' },
      synicOff,
    ),
  ]),
  ...(
    [
      [0x400000f1, 'HV_X64_MSR_SYNDBG_CONTROL'],
      [0x400000f2, 'HV_X64_MSR_SYNDBG_STATUS'],
      [0x400000f3, 'HV_X64_MSR_SYNDBG_SEND_BUFFER'],
      [0x400000f4, 'HV_X64_MSR_SYNDBG_RECV_BUFFER'],
      [0x400000f5, 'HV_X64_MSR_SYNDBG_PENDING_BUFFER'],
      [0x400000ff, 'HV_X64_MSR_SYNDBG_OPTIONS'],
      [0x40000100, 'HV_X64_MSR_CRASH_P0'],
      [0x40000101, 'HV_X64_MSR_CRASH_P1'],
      [0x40000102, 'HV_X64_MSR_CRASH_P2'],
      [0x40000103, 'HV_X64_MSR_CRASH_P3'],
      [0x40000104, 'HV_X64_MSR_CRASH_P4'],
      [0x40000106, 'HV_X64_MSR_REENLIGHTENMENT_CONTROL'],
      [0x40000107, 'HV_X64_MSR_TSC_EMULATION_CONTROL'],
      [0x40000108, 'HV_X64_MSR_TSC_EMULATION_STATUS'],
    ] as const
  ).map(([index, name]): [number, HostEntry] => [
    index,
    hv(name, 'Hyper-V register (the host may set any value)', { kind: 'stored' }, store),
  ]),
  [
    0x40000105,
    hv(
      'HV_X64_MSR_CRASH_CTL',
      'Hyper-V crash control (CRASH_NOTIFY, bit 63)',
      { kind: 'stored' },
      {
        do: { kind: 'masked', mask: 1n << 63n },
      },
    ),
  ],
);

export const SVM_61_ENTRIES: ReadonlyMap<number, HostEntry> = new Map(entries);
