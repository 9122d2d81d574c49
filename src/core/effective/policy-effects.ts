import type { AccessType } from '../constants';
import { installPolicy } from '../filter/install';
import type { ValidationError } from '../filter/validate';
import type { FilterPolicy } from '../policy/types';
import type { KernelProfile } from '../profiles/types';
import { diffIntervals, type PolicyDifference } from './compare';
import { effectivePolicy, type PolicyInterval } from './effective-policy';

export interface EffectiveView {
  /** The kernel refuses the policy: nothing is evaluated. */
  error: ValidationError | null;
  read: PolicyInterval[];
  write: PolicyInterval[];
}

/** The effective policy of a policy on a fresh VM under a profile (empty when the kernel refuses it). */
export function effectiveView(profile: KernelProfile, policy: FilterPolicy): EffectiveView {
  const out = installPolicy(profile, null, policy);
  if (out.error) return { error: out.error, read: [], write: [] };
  return {
    error: null,
    read: effectivePolicy(profile, out.installed, 'read'),
    write: effectivePolicy(profile, out.installed, 'write'),
  };
}

export interface Comparison {
  a: EffectiveView;
  b: EffectiveView;
  differences: PolicyDifference[];
}

/** Compares (policy A under profile A) with (policy B under profile B): two policies, or two kernels on one. */
export function comparePolicies(
  profileA: KernelProfile,
  policyA: FilterPolicy,
  profileB: KernelProfile,
  policyB: FilterPolicy,
): Comparison {
  const a = effectiveView(profileA, policyA);
  const b = effectiveView(profileB, policyB);
  const differences: PolicyDifference[] = [];
  if (!a.error && !b.error) {
    for (const type of ['read', 'write'] as AccessType[]) differences.push(...diffIntervals(type, a[type], b[type]));
  }
  return { a, b, differences };
}
