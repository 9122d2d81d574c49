import type { MsrAccessRule, ReadValue, WriteEffect } from '../vcpu/catalogue-types';
import type { HostCpuid, HostEntry } from './host-models';

/*
 * kvm_intel (VMX) as the kernel source says, NOT measured here: where it differs from the common catalogue
 * (vcpu/catalogue.ts, calibrated on PVM 6.18). Each entry gives only the fields that differ, and its cause: the file,
 * the function, the source line(s) and the source read. The source is the KVM x86 tree (github.com/kvm-x86/linux) as
 * stored in the search index: arch/x86/kvm/vmx/vmx.c at commit 09c6f74ecb863f76e2486a960431fe6e2b86f2c7 and
 * arch/x86/kvm/x86.c at commit 042007c262e53113ca4eb15010256231eefbed0b, a 6.18-era tree (it carries the CET MSRs and
 * vmx_guest_debugctl_read() that v6.18 merged); the v6.18 tag itself could not be read, so "6.18" below means that
 * tree. Every "vmx.c:N" / "x86.c:N" is a line number of the file at that commit (counted from the stored text);
 * line numbers of other releases differ. A few facts are cited by function only, marked "line not read": they live
 * in parts of x86.c, nested.c or svm.c that were not read. Rules that depend on the host CPU (what a wrmsr to the
 * real SPEC_CTRL accepts, MPX, LBR format, TSX) are stated for the host named in each cause, or left to the common
 * rule and listed in docs/formats.md as not modelled.
 */

const U64 = 0xffff_ffff_ffff_ffffn;
const VMX_C = 'vmx.c (kvm-x86 6.18-era, 09c6f74ecb86)';
const X86_C = 'x86.c (kvm-x86 6.18-era, 042007c262e5)';

const stored: MsrAccessRule<ReadValue> = { do: { kind: 'stored' } };
const store: MsrAccessRule<WriteEffect> = { do: { kind: 'store' } };
const refuse = (why: string) => ({
  read: { do: { kind: 'fail', code: 'err', why } } as MsrAccessRule<ReadValue>,
  write: { do: { kind: 'fail', code: 'err', why } } as MsrAccessRule<WriteEffect>,
});
const unknown = {
  read: { do: { kind: 'fail', code: 'unsupported', why: 'kvm_intel does not know this AMD MSR' } },
  write: { do: { kind: 'fail', code: 'unsupported', why: 'kvm_intel does not know this AMD MSR' } },
  hostWrite: undefined,
} satisfies Partial<HostEntry>;

/**
 * linux64's CPUID on a kvm_intel host: KVM_SET_CPUID2 keeps the leaves it is given (no host leaves 1/7/0xd as on the
 * measured PVM kernel, so no TSC_ADJUST), and RDTSCP survives the AND with KVM_GET_SUPPORTED_CPUID on every VMX CPU
 * with the RDTSCP execution control. MAXPHYADDR is the host CPU's and is not known here: linux64's 48 is kept.
 */
export const VMX_SOURCE_CPUID: HostCpuid = {
  add: ['rdtscp'],
  remove: ['tsc_adjust'],
};

const entries: [number, HostEntry][] = [
  [
    0x3a,
    {
      meaning: 'lock (bit 0) and VMX/SGX/LMCE enables; kvm_intel emulates it for the guest and the host',
      read: stored,
      hostRead: stored,
      write: { do: { kind: 'store' }, values: [{ check: 'feature-control', guestOnly: true }] },
      hostWrite: {
        do: { kind: 'store' },
        values: [
          {
            reserved: U64 ^ 0x16_0007n,
            why: 'the host may set only KVM_SUPPORTED_FEATURE_CONTROL (lock, VMX in/outside SMX, SGX LC, SGX, LMCE)',
          },
        ],
      },
      cause:
        `${VMX_C}: vmx.c:2190 vmx_get_msr case MSR_IA32_FEAT_CTL returns msr_ia32_feature_control to the guest ` +
        'and the host; vmx.c:2495-2496 vmx_set_msr -> is_vmx_feature_control_msr_valid() (vmx.c:2088): a guest ' +
        'write fails once FEAT_CTL_LOCKED is set (vmx.c:2100-2102) and may set only ' +
        'msr_ia32_feature_control_valid_bits (vmx.c:2107; FEAT_CTL_LOCKED from __vmx_vcpu_reset vmx.c:5032, plus ' +
        'the VMX enables with VMX in CPUID vmx.c:7896, SGX with SGX vmx.c:7924 and 7929, LMCE with MCG_LMCE_P ' +
        'vmx_setup_mce vmx.c:8380: none here); the host may set any bit of KVM_SUPPORTED_FEATURE_CONTROL ' +
        '(vmx.c:2081, 0x160007; vmx.c:2104-2105), locked or not',
    },
  ],
  [
    0x4d0,
    {
      name: 'IA32_MCG_EXT_CTL',
      group: 'mca',
      meaning: 'local machine-check enable (LMCE_EN, bit 0; the guest needs LMCE enabled in FEATURE_CONTROL)',
      read: {
        gates: [
          {
            unless: { msrBits: { index: 0x3a, mask: 0x10_0000n } },
            code: 'err',
            guestOnly: true,
            why: 'FEATURE_CONTROL does not enable LMCE (bit 20)',
          },
        ],
        do: { kind: 'stored' },
      },
      write: {
        gates: [
          {
            unless: { msrBits: { index: 0x3a, mask: 0x10_0000n } },
            code: 'err',
            guestOnly: true,
            why: 'FEATURE_CONTROL does not enable LMCE (bit 20)',
          },
        ],
        do: { kind: 'store' },
        values: [{ reserved: U64 ^ 1n, why: 'only LMCE_EN (bit 0) exists' }],
      },
      cause:
        `${VMX_C}: vmx.c:2183-2187 vmx_get_msr / vmx.c:2487-2491 vmx_set_msr case MSR_IA32_MCG_EXT_CTL: the ` +
        'guest needs FEAT_CTL_LMCE_ENABLED in msr_ia32_feature_control (only the host can set it here); ' +
        'data & ~MCG_EXT_CTL_LMCE_EN (vmx.c:2491) fails for both',
    },
  ],
  [
    0x8b,
    {
      reset: 0x1_0000_0000n,
      cause:
        `${VMX_C}: vmx.c:5030-5031 __vmx_vcpu_reset: vcpu->arch.microcode_version = 0x100000000 ` +
        '(KVM_X86_QUIRK_STUFF_FEATURE_MSRS, on by default); x86.c:3961-3963 (042007c262e5) kvm_set_msr_common ' +
        'case MSR_IA32_UCODE_REV keeps the guest write-ignored, host-settable rule (read: x86.c:4423)',
    },
  ],
  [
    0x9e,
    {
      meaning: 'SMRAM base (SMM: the host may read and write it, the guest may not)',
      reset: 0x30000n,
      read: {
        gates: [{ unless: { never: true }, code: 'err', guestOnly: true, why: 'IA32_SMBASE is host-only' }],
        do: { kind: 'stored' },
      },
      hostWrite: store,
      cause:
        `${X86_C}: x86.c:4500-4501 kvm_get_msr_common / x86.c:4109-4110 kvm_set_msr_common case MSR_IA32_SMBASE: ` +
        '`!IS_ENABLED(CONFIG_KVM_SMM) || !host_initiated` returns 1, so with CONFIG_KVM_SMM=y (distribution ' +
        'kernels) the host reads smbase (0x30000 at reset: kvm_vcpu_reset, line not read) and writes it; ' +
        'vmx.c:7149-7156 (09c6f74ecb86) vmx_has_emulated_msr reports it with unrestricted guest',
    },
  ],
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
        values: [{ reserved: U64 ^ 0x7n, why: 'the host CPU refuses the value (kvm_spec_ctrl_test_value)' }],
      },
      cause:
        `${VMX_C}: vmx.c:2160-2162 vmx_get_msr / vmx.c:2440-2442 vmx_set_msr case MSR_IA32_SPEC_CTRL: ` +
        '`!host_initiated && !guest_has_spec_ctrl_msr()` returns 1; kvm_spec_ctrl_test_value() (called at ' +
        'vmx.c:2445; its x86.c body, line not read) tries the value on the real MSR, so the valid bits are the ' +
        "host CPU's: modelled as IBRS|STIBP|SSBD (bits 2:0), which every SPEC_CTRL CPU has (newer ones accept more)",
    },
  ],
  [
    0x49,
    {
      write: {
        gates: [{ unless: { feature: 'spec_ctrl' }, code: 'err', guestOnly: true, why: 'no IBPB in CPUID' }],
        do: { kind: 'ignore', why: 'the barrier command is accepted' },
        values: [{ reserved: U64 ^ 1n, why: 'only IBPB (bit 0): an Intel host has no SBPB' }],
      },
      cause:
        `${X86_C}: x86.c:3990 kvm_set_msr_common case MSR_IA32_PRED_CMD: the guest needs ` +
        'guest_has_pred_cmd_msr() (x86.c:3994); reserved_bits = ~(IBPB|SBPB) (x86.c:3991), plus SBPB without ' +
        'X86_FEATURE_SBPB on the host (x86.c:4008, Intel has none); data & reserved_bits fails (x86.c:4011)',
    },
  ],
  [
    0x10b,
    {
      write: {
        gates: [{ unless: { feature: 'flush_l1d' }, code: 'err', guestOnly: true, why: 'no FLUSH_L1D in CPUID' }],
        do: { kind: 'ignore', why: 'the flush command is accepted' },
        values: [{ reserved: U64 ^ 1n, why: 'only L1D_FLUSH (bit 0)' }],
      },
      cause:
        `${X86_C}: x86.c:4020-4022 kvm_set_msr_common case MSR_IA32_FLUSH_CMD: the guest needs FLUSH_L1D in ` +
        'CPUID; x86.c:4025 `!boot_cpu_has(X86_FEATURE_FLUSH_L1D) || (data & ~L1D_FLUSH)` returns 1 (a host with ' +
        'FLUSH_L1D)',
    },
  ],
  [
    0x140,
    {
      write: { do: { kind: 'store' }, values: [{ check: 'misc-features' }] },
      cause:
        `${X86_C}: x86.c:4288-4291 kvm_set_msr_common case MSR_MISC_FEATURES_ENABLES: only CPUID_FAULT (bit 0), ` +
        'and that only with supports_cpuid_fault(); PVM stores any value',
    },
  ],
  [
    0x1a0,
    {
      reset: 0x1800n,
      write: { do: { kind: 'masked', mask: U64 ^ 0x80n }, values: [{ check: 'misc-enable', guestOnly: true }] },
      hostWrite: store,
      cause:
        `${X86_C}: x86.c:4085-4095 kvm_set_msr_common case MSR_IA32_MISC_ENABLE: BTS_UNAVAIL|PEBS_UNAVAIL ` +
        '(0x1800) at reset (kvm_vcpu_reset, line not read) and read-only for the guest (PMU_RO_MASK, x86.c:4090), ' +
        'a guest write keeps the old EMON (bit 7, x86.c:4094-4095); PVM resets it to 1 and stores any value',
    },
  ],
  [
    0x1d9,
    {
      meaning: 'LBR (bit 0) and BTF (bit 1) are dropped; any other bit #GPs (no bus-lock detection, LBR or RTM here)',
      read: stored,
      write: {
        do: { kind: 'masked', mask: 0n },
        values: [{ reserved: U64 ^ 0x3n, why: 'not in vmx_get_supported_debugctl() for this vCPU' }],
      },
      cause:
        `${VMX_C}: vmx.c:2398-2399 vmx_set_msr case MSR_IA32_DEBUGCTLMSR -> vmx_is_valid_debugctl() ` +
        '(vmx.c:2318-2327): bits outside vmx_get_supported_debugctl() (vmx.c:2299-2315) fail but BTF and LBR, ' +
        'which are dropped (kvm_pr_unimpl_wrmsr vmx.c:2324, data &= supported vmx.c:2402); supported needs ' +
        'BUS_LOCK_DETECT, LBR (a vPMU) or RTM in the guest CPUID, none here. A host write may also set the bits ' +
        "its CPU supports (bus-lock detect 2, LBR 0 and 11, RTM_DEBUG 15): host-dependent, modelled as the guest's",
    },
  ],
  [
    0xe1,
    {
      name: 'IA32_UMWAIT_CONTROL',
      group: 'power',
      meaning: 'UMWAIT/TPAUSE C0.2 disable and time limit (needs WAITPKG for the guest)',
      read: {
        gates: [{ unless: { never: true }, code: 'err', guestOnly: true, why: 'no WAITPKG in CPUID' }],
        do: { kind: 'stored' },
      },
      write: {
        gates: [{ unless: { never: true }, code: 'err', guestOnly: true, why: 'no WAITPKG in CPUID' }],
        do: { kind: 'store' },
        values: [{ reserved: 0xffff_ffff_0000_0002n, why: 'bit 1 and bits 63:32 are reserved' }],
      },
      cause:
        `${VMX_C}: vmx.c:2154-2155 vmx_get_msr / vmx.c:2430-2431 vmx_set_msr case MSR_IA32_UMWAIT_CONTROL: ` +
        '`!host_initiated && !vmx_has_waitpkg()` returns 1 (no WAITPKG in either vCPU model); ' +
        'data & (BIT(1) | GENMASK(63, 32)) fails (vmx.c:2435); 0 at reset (vmx_vcpu_reset, vmx.c:5052)',
    },
  ],
  [
    0xd90,
    {
      name: 'IA32_BNDCFGS',
      group: 'architectural',
      meaning: 'MPX configuration (refused: no MPX on the host)',
      ...refuse('kvm_mpx_supported() is false: the host has no MPX'),
      cause:
        `${VMX_C}: vmx.c:2176-2177 vmx_get_msr / vmx.c:2414-2415 vmx_set_msr case MSR_IA32_BNDCFGS: ` +
        '`!kvm_mpx_supported()` returns 1 for the guest and the host; modelled for a host without MPX (Intel ' +
        'dropped it from Ice Lake on)',
    },
  ],
  [
    0xc0000104,
    {
      ...unknown,
      meaning: 'AMD TSC scaling ratio (unknown to kvm_intel)',
      cause: `${VMX_C}: vmx.c:7160-7162 vmx_has_emulated_msr case MSR_AMD64_TSC_RATIO "is AMD only"; only svm.c handles it`,
    },
  ],
  [
    0xc001011f,
    {
      ...unknown,
      meaning: 'AMD virtual speculation control (unknown to kvm_intel)',
      cause: `${VMX_C}: vmx.c:7159-7162 vmx_has_emulated_msr case MSR_AMD64_VIRT_SPEC_CTRL "is AMD only"; only svm.c handles it`,
    },
  ],
];

/** The VMX capability MSRs KVM emulates for a nested hypervisor: KVM_FIRST_EMULATED_VMX_MSR ... KVM_LAST_EMULATED_VMX_MSR. */
const VMX_CAPABILITY_MSRS: readonly string[] = [
  'IA32_VMX_BASIC',
  'IA32_VMX_PINBASED_CTLS',
  'IA32_VMX_PROCBASED_CTLS',
  'IA32_VMX_EXIT_CTLS',
  'IA32_VMX_ENTRY_CTLS',
  'IA32_VMX_MISC',
  'IA32_VMX_CR0_FIXED0',
  'IA32_VMX_CR0_FIXED1',
  'IA32_VMX_CR4_FIXED0',
  'IA32_VMX_CR4_FIXED1',
  'IA32_VMX_VMCS_ENUM',
  'IA32_VMX_PROCBASED_CTLS2',
  'IA32_VMX_EPT_VPID_CAP',
  'IA32_VMX_TRUE_PINBASED_CTLS',
  'IA32_VMX_TRUE_PROCBASED_CTLS',
  'IA32_VMX_TRUE_EXIT_CTLS',
  'IA32_VMX_TRUE_ENTRY_CTLS',
  'IA32_VMX_VMFUNC',
];
VMX_CAPABILITY_MSRS.forEach((name, i) => {
  entries.push([
    0x480 + i,
    {
      name,
      group: 'architectural',
      meaning: 'VMX capability for a nested hypervisor (refused: no VMX in the guest CPUID)',
      ...refuse('no VMX in CPUID: KVM offers no nested VMX to this vCPU'),
      cause:
        `${VMX_C}: vmx.c:2200-2201 vmx_get_msr case KVM_FIRST_EMULATED_VMX_MSR ... KVM_LAST_EMULATED_VMX_MSR ` +
        '(0x480-0x491): `!guest_cpu_cap_has(vcpu, X86_FEATURE_VMX)` returns 1, for the host as well (neither model ' +
        'has VMX); vmx.c:2526-2531 vmx_set_msr: read-only for the guest (vmx.c:2527-2528), the host needs VMX in ' +
        'CPUID too (vmx.c:2529; then vmx_set_vmx_msr, nested.c, line not read). The VM-wide KVM_GET_MSRS on ' +
        '/dev/kvm reads them with nested=1 (vmx_get_feature_msr, vmx.c:2112-2118): not a vCPU access',
    },
  ]);
});

/** Intel PT with pt_mode=0 (PT_MODE_SYSTEM, the default): every access returns 1. */
const RTIT: [number, string][] = [
  [0x560, 'IA32_RTIT_OUTPUT_BASE'],
  [0x561, 'IA32_RTIT_OUTPUT_MASK_PTRS'],
  [0x570, 'IA32_RTIT_CTL'],
  [0x571, 'IA32_RTIT_STATUS'],
  [0x572, 'IA32_RTIT_CR3_MATCH'],
  ...Array.from({ length: 8 }, (_, n): [number, string] => [0x580 + n, `IA32_RTIT_ADDR${n >> 1}_${n & 1 ? 'B' : 'A'}`]),
];
for (const [index, name] of RTIT) {
  entries.push([
    index,
    {
      name,
      group: 'architectural',
      meaning: 'Intel PT register (refused: KVM does not virtualize PT by default)',
      ...refuse('Intel PT is not in host-guest mode (kvm_intel pt_mode=0)'),
      cause:
        `${VMX_C}: vmx.c:2219-2263 vmx_get_msr case MSR_IA32_RTIT_*: \`!vmx_pt_mode_is_host_guest()\` returns ` +
        '1; vmx.c:2532-2590 vmx_set_msr: `!vmx_pt_mode_is_host_guest()` (RTIT_CTL, vmx.c:2533) or ' +
        '!pt_can_write_msr() (the others; vmx.c:1234-1236, which needs host-guest mode) returns 1, with the ' +
        'default module parameter pt_mode=0 (PT_MODE_SYSTEM, vmx.c:213)',
    },
  ]);
}

export const VMX_SOURCE_ENTRIES: ReadonlyMap<number, HostEntry> = new Map(entries);

/**
 * WRMSRs kvm_intel completes in its VM-exit fastpath (vmx_exit_handlers_fastpath() for EXIT_REASON_MSR_WRITE, outside
 * a nested guest), before the MSR filter: the filter never sees them. IA32_TSC_DEADLINE: handle_fastpath_set_tscdeadline()
 * (5.8) took it whenever the VMX preemption timer could run the APIC timer (the kvm_intel default); "KVM: x86:
 * Unconditionally handle MSR_IA32_TSC_DEADLINE in fastpath exits" (2025) takes it always, in __handle_fastpath_wrmsr(),
 * which calls kvm_set_lapic_tscdeadline_msr() with no kvm_msr_allowed(). The maintainers have known of the bypass since
 * June 2023 (kvm list). Not on PVM (measured: a denied WRMSR of 0x6e0 exits with FILTER) nor on the measured kvm_amd 6.1
 * (no preemption timer). The x2APIC ICR (0x830) takes the same path but is exempt from the filter anyway.
 */
export const VMX_FASTPATH_WRITES: ReadonlyMap<number, string> = new Map([
  [
    0x6e0,
    `kvm_intel's VM-exit fastpath writes IA32_TSC_DEADLINE before the filter is consulted (${X86_C} ` +
      '__handle_fastpath_wrmsr(), line not read; from 5.8 whenever the VMX preemption timer runs the APIC timer, the default)',
  ],
]);
