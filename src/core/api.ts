import { ACCESS_FLAG, type AccessType, type Errno } from './constants';
import { effectivePolicy, type PolicyInterval } from './effective/effective-policy';
import { decidingPolicyRange, decisionAllowed, filterDecision } from './filter/evaluate';
import { installPolicy } from './filter/install';
import type { FilterPolicy } from './policy/types';
import { getProfile, NEWEST_PROFILE } from './profiles/profiles';
import type { ProfileId } from './profiles/types';

/** The filter's verdict on one access, as `evaluate` gives it. */
export interface FilterVerdict {
  /** Whether the filter lets the access through (KVM may still refuse it: run a scenario to see that). */
  allowed: boolean;
  /** The index in `policy.ranges` of the range that decided; null: the default action or an exemption. */
  range: number | null;
  /** Set when the kernel would refuse the policy itself: then no filter is in force and nothing is filtered. */
  errno: Errno | null;
}

/**
 * The filter decision for one MSR access under `policy` as the profile's kernel installs it (first match wins,
 * x2APIC exemption, default action). Stable API; the simulator's full path (KVM's emulation, exits) is runScenario.
 */
export function evaluate(
  policy: FilterPolicy,
  access: { index: number; type: AccessType },
  profileId: ProfileId = NEWEST_PROFILE,
): FilterVerdict {
  const profile = getProfile(profileId);
  const outcome = installPolicy(profile, null, policy);
  const d = filterDecision(profile, outcome.installed, access.index >>> 0, ACCESS_FLAG[access.type]);
  return { allowed: decisionAllowed(d), range: decidingPolicyRange(outcome.installed, d), errno: outcome.errno };
}

/** The whole 32-bit MSR space as allowed/denied intervals for one access type, under the profile's kernel. */
export function effectivePolicyOf(
  policy: FilterPolicy,
  type: AccessType,
  profileId: ProfileId = NEWEST_PROFILE,
): PolicyInterval[] {
  const profile = getProfile(profileId);
  return effectivePolicy(profile, installPolicy(profile, null, policy).installed, type);
}
