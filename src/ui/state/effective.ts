import { type EffectiveView, effectiveView } from '../../core/effective/policy-effects';
import { getProfile } from '../../core/profiles/profiles';
import { memoByPolicyAndProfile } from './derived';

/**
 * The effective policy over the whole MSR space (empty with an error when the kernel refuses the policy). Apart
 * from derived.ts so that the sweep's code loads with the panels that show it, not with the first render.
 */
export const effectiveOf = memoByPolicyAndProfile(
  (policy, profile): EffectiveView => effectiveView(getProfile(profile), policy),
);
