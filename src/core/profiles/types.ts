import type { Errno, ExitReason } from '../constants';

export type ProfileId =
  | 'allowlist-v4'
  | 'linux-5.10'
  | 'linux-5.12'
  | 'linux-5.13'
  | 'linux-5.19'
  | 'linux-6.4'
  | 'linux-6.12';

/** A check over the whole filter, run before any range is looked at. */
export type FilterRuleId = 'filter-flags-valid' | 'empty-default-deny';
/** A check over one range; the profile lists them in the kernel's order. */
export type RangeRuleId =
  | 'skip-empty'
  | 'bitmap-size'
  | 'flags-valid'
  | 'flags-nonzero'
  | 'range-count'
  | 'overlap-shared-flag';

/**
 * One kernel's semantics of the MSR filter. Everything that differs between kernels is here, as data;
 * the validator, the installer and the evaluator read it and are shared by every profile.
 */
export interface KernelProfile {
  id: ProfileId;
  /** The mainline release that brought this profile's change (absent: not a mainline release). */
  since?: readonly [major: number, minor: number];
  label: string;
  /** When and where this behaviour comes from. */
  origin: string;
  summary: string;
  /** `add-range`: the allow-list series' one-range-per-ioctl API; `set-filter`: KVM_X86_SET_MSR_FILTER. */
  api: 'add-range' | 'set-filter';
  maxRanges: number;
  maxBitmapBytes: number;
  /** The filter has a default action (DEFAULT_ALLOW/DEFAULT_DENY); the seed series denied uncovered MSRs. */
  hasDefaultAction: boolean;
  /** No installed range (count 0) means everything is allowed. */
  countZeroAllowsAll: boolean;
  /** x2APIC MSRs 0x800-0x8ff are never filtered. */
  x2apicExempt: boolean;
  /** What a failing call leaves installed: what was added before the error, or the previous filter. */
  failedInstallLeaves: 'partial' | 'previous';
  filterRules: readonly FilterRuleId[];
  rangeRules: readonly RangeRuleId[];
  /** KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR) rejects bits outside 0x7. */
  checksExitMask: boolean;
  /** The internal return code of a filtered access and the exit reason it maps to. */
  deniedCode: string;
  deniedExitReason: ExitReason;
  /** The internal code for "MSR unknown to KVM" (→ UNKNOWN exit). */
  unsupportedCode: string;
  /** Since 6.12 more "MSR absent from this vCPU model" cases return UNSUPPORTED instead of 1 (→ INVAL). */
  absentIsUnsupported: boolean;
  /**
   * kvm_is_immutable_feature_msr() (measured on 6.18, absent on 6.1; the exact release not checked): once the vCPU
   * has run, KVM_SET_MSRS may write the feature MSRs (PLATFORM_INFO, ARCH_CAPABILITIES, PERF_CAPABILITIES, DE_CFG)
   * only with the value they hold.
   */
  immutableFeatureMsrs: boolean;
  /**
   * MSRs in a nested guest's VMX VM-entry/VM-exit MSR load/store lists do not meet the filter (ac8d6cad3c7b
   * "KVM: x86: Only do MSR filtering when access MSR by rdmsr/wrmsr"; nested_vmx_load_msr() calls kvm_set_msr()),
   * from v5.18, until 653ea4489e69 "KVM: nVMX: Honor userspace MSR filter lists for nested VM-Enter/VM-Exit"
   * (v6.12) made them honour it again. 5.18 itself falls in the linux-5.13 profile, which does not model it.
   */
  vmxMsrListsBypassFilter: boolean;
  errnoOverflow: Errno;
}
