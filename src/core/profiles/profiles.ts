import { KVM_MSR_FILTER_MAX_BITMAP_SIZE, KVM_MSR_FILTER_MAX_RANGES } from '../constants';
import type { KernelProfile, ProfileId } from './types';

const merged = {
  api: 'set-filter',
  maxRanges: KVM_MSR_FILTER_MAX_RANGES,
  maxBitmapBytes: KVM_MSR_FILTER_MAX_BITMAP_SIZE,
  hasDefaultAction: true,
  x2apicExempt: true,
  deniedCode: 'KVM_MSR_RET_FILTERED',
  deniedExitReason: 'filter',
  errnoOverflow: 'E2BIG',
} as const;

const ALLOWLIST_V4: KernelProfile = {
  id: 'allowlist-v4',
  label: 'Allow-list series v4 (Aug 2020)',
  origin: '"KVM: x86: Introduce allow list for MSR emulation", v4 on the kvm list, 3 Aug 2020 (never merged)',
  summary:
    'One range per KVM_X86_ADD_MSR_ALLOWLIST call, at most 10; overlapping ranges that share a flag are refused; no ' +
    'default action: with no ranges everything is allowed, otherwise an uncovered MSR is denied with -ENOENT.',
  api: 'add-range',
  maxRanges: 10,
  maxBitmapBytes: KVM_MSR_FILTER_MAX_BITMAP_SIZE,
  hasDefaultAction: false,
  countZeroAllowsAll: true,
  x2apicExempt: false,
  failedInstallLeaves: 'partial',
  filterRules: [],
  rangeRules: ['bitmap-size', 'flags-valid', 'range-count', 'overlap-shared-flag'],
  checksExitMask: false,
  deniedCode: '-ENOENT',
  deniedExitReason: 'unknown',
  unsupportedCode: '-ENOENT',
  absentIsUnsupported: false,
  immutableFeatureMsrs: false,
  errnoOverflow: 'E2BIG',
};

const LINUX_5_10: KernelProfile = {
  ...merged,
  id: 'linux-5.10',
  label: 'Linux 5.10',
  origin: '1a155254ff93 "KVM: x86: Introduce MSR filtering", 043248b3280c, cc4cb017678a (v5.10)',
  summary:
    'KVM_X86_SET_MSR_FILTER with 16 ranges and a default action; first match wins; x2APIC exempt. The call clears ' +
    'the live filter first and adds ranges one by one, so a failing call leaves a partial filter. Flags unchecked.',
  countZeroAllowsAll: true,
  failedInstallLeaves: 'partial',
  filterRules: ['empty-default-deny'],
  rangeRules: ['skip-empty', 'bitmap-size', 'flags-valid', 'flags-nonzero'],
  checksExitMask: false,
  unsupportedCode: 'KVM_MSR_RET_INVALID',
  absentIsUnsupported: false,
  immutableFeatureMsrs: false,
};

const LINUX_5_12: KernelProfile = {
  ...LINUX_5_10,
  id: 'linux-5.12',
  label: 'Linux 5.12',
  origin: 'b318e8decf6b "KVM: x86: Protect userspace MSR filter with SRCU, and set atomically-ish" (v5.12)',
  summary:
    'The new filter is built whole and then swapped in: a failing call leaves the previous filter untouched. ' +
    'Filter flags and the exit mask are still unchecked.',
  countZeroAllowsAll: false,
  failedInstallLeaves: 'previous',
};

const LINUX_6_0: KernelProfile = {
  ...LINUX_5_12,
  id: 'linux-6.0',
  label: 'Linux 6.0',
  origin: 'cf5029d5dd7c "KVM: x86: Protect the unused bits in MSR exiting flags" (v6.0, backported to stable)',
  summary:
    'Unknown bits in kvm_msr_filter.flags and in the KVM_CAP_X86_USER_SPACE_MSR mask are refused with -EINVAL. ' +
    'Measured on Linux 6.1.192 (kvm_amd): the filter checks and exit reasons as here, and the host may still ' +
    'change feature MSRs (PLATFORM_INFO…) after the first KVM_RUN.',
  filterRules: ['filter-flags-valid', 'empty-default-deny'],
  rangeRules: ['skip-empty', 'flags-valid', 'flags-nonzero', 'bitmap-size'],
  checksExitMask: true,
};

const LINUX_6_12: KernelProfile = {
  ...LINUX_6_0,
  id: 'linux-6.12',
  label: 'Linux 6.12+ (newest)',
  origin: 'KVM_MSR_RET_UNSUPPORTED split (v6.12); measured against a real 6.18 kernel',
  summary:
    'What a current kernel does: KVM_MSR_RET_INVALID is renamed UNSUPPORTED and MSRs that the vCPU model lacks ' +
    'report UNSUPPORTED (an UNKNOWN exit) rather than a plain #GP (an INVAL exit).',
  unsupportedCode: 'KVM_MSR_RET_UNSUPPORTED',
  absentIsUnsupported: true,
  // measured on 6.18: a host write of 0 to MSR_PLATFORM_INFO succeeds before the first guest access, fails after
  immutableFeatureMsrs: true,
};

export const PROFILES: Readonly<Record<ProfileId, KernelProfile>> = {
  'allowlist-v4': ALLOWLIST_V4,
  'linux-5.10': LINUX_5_10,
  'linux-5.12': LINUX_5_12,
  'linux-6.0': LINUX_6_0,
  'linux-6.12': LINUX_6_12,
};

export const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];
export const NEWEST_PROFILE: ProfileId = 'linux-6.12';

export function isProfileId(v: unknown): v is ProfileId {
  return typeof v === 'string' && Object.hasOwn(PROFILES, v);
}

export function getProfile(id: ProfileId): KernelProfile {
  return PROFILES[id];
}
