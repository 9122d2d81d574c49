import { KVM_MSR_FILTER_MAX_BITMAP_SIZE, KVM_MSR_FILTER_MAX_RANGES } from '../constants';
import { describeValue } from '../numbers';
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
  vmxMsrListsBypassFilter: false,
  errnoOverflow: 'E2BIG',
};

const LINUX_5_10: KernelProfile = {
  ...merged,
  id: 'linux-5.10',
  since: [5, 10],
  label: 'Linux 5.10–5.11',
  origin:
    '1a155254ff93 "KVM: x86: Introduce MSR filtering", cc4cb017678a; the x2APIC exemption is 9389b9d5d356 "KVM: VMX: ' +
    'Ignore userspace MSR filters for x2APIC", which replaced the refusal of 043248b3280c ("Forbid…") before v5.10',
  summary:
    'KVM_X86_SET_MSR_FILTER with 16 ranges and a default action; first match wins; x2APIC exempt. The call clears ' +
    'the live filter first and adds ranges one by one, so a failing call leaves a partial filter. Flags unchecked. ' +
    '(The 5.10 and 5.11 stable trees took the atomic swap of 5.12 in late March 2021, about 5.10.27: use linux-5.12 ' +
    'for those.)',
  countZeroAllowsAll: true,
  failedInstallLeaves: 'partial',
  filterRules: ['empty-default-deny'],
  rangeRules: ['skip-empty', 'bitmap-size', 'flags-valid', 'flags-nonzero'],
  checksExitMask: false,
  unsupportedCode: 'KVM_MSR_RET_INVALID',
  absentIsUnsupported: false,
  immutableFeatureMsrs: false,
  vmxMsrListsBypassFilter: false,
};

const LINUX_5_12: KernelProfile = {
  ...LINUX_5_10,
  id: 'linux-5.12',
  since: [5, 12],
  label: 'Linux 5.12',
  origin: 'b318e8decf6b "KVM: x86: Protect userspace MSR filter with SRCU, and set atomically-ish" (v5.12)',
  summary:
    'The new filter is built whole and then swapped in: a failing call leaves the previous filter untouched. ' +
    'Filter flags and the exit mask are still unchecked.',
  countZeroAllowsAll: false,
  failedInstallLeaves: 'previous',
};

const LINUX_5_13: KernelProfile = {
  ...LINUX_5_12,
  id: 'linux-5.13',
  since: [5, 13],
  label: 'Linux 5.13–5.18',
  origin: 'aca352886ebd "KVM: x86: Hoist input checks in kvm_add_msr_filter()" (v5.13-rc2)',
  summary:
    "As 5.12, and each range's flags are checked before its bitmap size (and before the bitmap is copied in): a " +
    'range with bad flags and a bad size is refused for its flags. Filter flags and the exit mask are still unchecked.',
  rangeRules: ['skip-empty', 'flags-valid', 'flags-nonzero', 'bitmap-size'],
};

const LINUX_5_19: KernelProfile = {
  ...LINUX_5_13,
  id: 'linux-5.19',
  since: [5, 19],
  label: 'Linux 5.19–6.3',
  origin:
    'cf5029d5dd7c "KVM: x86: Protect the unused bits in MSR exiting flags" (v5.19-rc8; backported to stable, e.g. ' +
    '5.10.154). The VALID_MASK series of v6.2 (be83794210e7, db205f7e1edc, c1340fe3590e, 8aff460f2167) names the ' +
    'masks with no change in behaviour; measured on Linux 6.1.192 (kvm_amd)',
  summary:
    'Unknown bits in kvm_msr_filter.flags and in the KVM_CAP_X86_USER_SPACE_MSR mask are refused with -EINVAL. ' +
    'Measured on Linux 6.1.192 (kvm_amd): the filter checks and exit reasons as here, and the host may still ' +
    'change feature MSRs (PLATFORM_INFO…) after the first KVM_RUN.',
  filterRules: ['filter-flags-valid', 'empty-default-deny'],
  checksExitMask: true,
  vmxMsrListsBypassFilter: true,
};

const LINUX_6_4: KernelProfile = {
  ...LINUX_5_19,
  id: 'linux-6.4',
  since: [6, 4],
  label: 'Linux 6.4–6.11 (from the source)',
  origin:
    '0094f62c7eaa "KVM: x86: Disallow writes to immutable feature MSRs after KVM_RUN" (v6.4, kvm-x86-pmu-6.4); ' +
    'from the kernel source, not measured here',
  summary:
    'As 5.19, and once the vCPU has run KVM_SET_MSRS may write the feature MSRs (PLATFORM_INFO, ' +
    'ARCH_CAPABILITIES, PERF_CAPABILITIES…) only with the value they hold.',
  immutableFeatureMsrs: true,
};

const LINUX_6_12: KernelProfile = {
  ...LINUX_6_4,
  id: 'linux-6.12',
  since: [6, 12],
  label: 'Linux 6.12+ (newest)',
  origin:
    'KVM_MSR_RET_INVALID renamed KVM_MSR_RET_UNSUPPORTED and returned for MSRs the vCPU model lacks ' +
    '("KVM: x86: Rename KVM_MSR_RET_INVALID to KVM_MSR_RET_UNSUPPORTED" and its series; also in stable trees, ' +
    'e.g. 6.6.130); measured against a real 6.18.44 kernel',
  summary:
    'What a current kernel does: KVM_MSR_RET_INVALID is renamed UNSUPPORTED and MSRs that the vCPU model lacks ' +
    'report UNSUPPORTED (an UNKNOWN exit) rather than a plain #GP (an INVAL exit).',
  unsupportedCode: 'KVM_MSR_RET_UNSUPPORTED',
  absentIsUnsupported: true,
  // measured on 6.18: a host write of 0 to MSR_PLATFORM_INFO succeeds before the first guest access, fails after
  immutableFeatureMsrs: true,
  vmxMsrListsBypassFilter: false,
};

export const PROFILES: Readonly<Record<ProfileId, KernelProfile>> = {
  'allowlist-v4': ALLOWLIST_V4,
  'linux-5.10': LINUX_5_10,
  'linux-5.12': LINUX_5_12,
  'linux-5.13': LINUX_5_13,
  'linux-5.19': LINUX_5_19,
  'linux-6.4': LINUX_6_4,
  'linux-6.12': LINUX_6_12,
};

export const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];
export const NEWEST_PROFILE: ProfileId = 'linux-6.12';

export function isProfileId(v: unknown): v is ProfileId {
  return typeof v === 'string' && Object.hasOwn(PROFILES, v);
}

/**
 * The profile a user's name means: a profile id, or `linux-X.Y` for any release from 5.10 on, which names the
 * profile of the newest change at or before it (`linux-6.1` is `linux-5.19`; so is `linux-6.0`, that profile's old id,
 * too). Stable backports are not seen: 5.10.154 has the 5.19 flag checks, `linux-5.10` does not. Null: no such
 * profile (or a release before the MSR filter).
 */
export function resolveProfileId(v: unknown): ProfileId | null {
  if (isProfileId(v)) return v;
  if (typeof v !== 'string') return null;
  const m = /^linux-(\d{1,2})\.(\d{1,3})$/.exec(v);
  if (!m) return null;
  const version = Number(m[1]) * 1000 + Number(m[2]);
  let best: KernelProfile | null = null;
  for (const p of Object.values(PROFILES)) {
    if (!p.since) continue;
    const since = p.since[0] * 1000 + p.since[1];
    if (since <= version && (!best?.since || since > best.since[0] * 1000 + best.since[1])) best = p;
  }
  return best?.id ?? null;
}

/** The one line a reader gives for a profile name it cannot resolve. */
export function unknownProfileMessage(v: unknown): string {
  return `unknown profile ${describeValue(v)} (known: ${PROFILE_IDS.join(', ')}, or linux-X.Y for a release from 5.10 on)`;
}

export function getProfile(id: ProfileId): KernelProfile {
  return PROFILES[id];
}
