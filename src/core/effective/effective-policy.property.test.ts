import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessTypeFlag, decidingPolicyRange, decisionAllowed, filterDecision } from '../filter/evaluate';
import { installPolicy } from '../filter/install';
import { validatePolicy } from '../filter/validate';
import { PROFILE_IDS, PROFILES } from '../profiles/profiles';
import { indexNear, policyArb } from '../test-support/arbitraries';
import { diffIntervals } from './compare';
import { effectivePolicy, intervalAt, MSR_SPACE_END } from './effective-policy';

describe('effective policy', () => {
  it.each(PROFILE_IDS)('intervals agree with per-index evaluation on sampled indexes (%s)', (id) => {
    const profile = PROFILES[id];
    const arb = policyArb({ validOnly: true, maxRanges: profile.maxRanges })
      .filter((p) => validatePolicy(p, profile).error === null)
      .chain((p) =>
        fc.tuple(
          fc.constant(p),
          fc.constantFrom('read' as const, 'write' as const),
          fc.array(indexNear(p), { minLength: 20, maxLength: 20 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([policy, type, indexes]) => {
        const f = installPolicy(profile, null, policy).installed;
        const intervals = effectivePolicy(profile, f, type);
        // sorted, contiguous, covering [0, 2^32), maximal
        expect(intervals[0].start).toBe(0);
        expect(intervals[intervals.length - 1].end).toBe(MSR_SPACE_END);
        for (let i = 1; i < intervals.length; i++) expect(intervals[i].start).toBe(intervals[i - 1].end);
        for (const index of indexes) {
          const d = filterDecision(profile, f, index, accessTypeFlag(type));
          const iv = intervalAt(intervals, index);
          expect(iv && { allowed: iv.allowed, range: iv.range }).toEqual({
            allowed: decisionAllowed(d),
            range: decidingPolicyRange(f, d),
          });
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('the difference of a policy with itself is empty, and with its inverse covers what it decides', () => {
    const profile = PROFILES['linux-6.12'];
    fc.assert(
      fc.property(policyArb({ validOnly: true }), (policy) => {
        if (validatePolicy(policy, profile).error) return;
        const f = installPolicy(profile, null, policy).installed;
        const a = effectivePolicy(profile, f, 'read');
        expect(diffIntervals('read', a, a)).toEqual([]);
        const inverse = {
          ...policy,
          flags: policy.flags ^ 1,
          ranges: policy.ranges.map((r) => ({ ...r, bitmap: r.bitmap.map((b) => ~b & 0xff) })),
        };
        if (validatePolicy(inverse, profile).error) return;
        const b = effectivePolicy(profile, installPolicy(profile, null, inverse).installed, 'read');
        const diff = diffIntervals('read', a, b);
        const x2apic = 0x100;
        const differing = diff.reduce((n, d) => n + (d.end - d.start), 0);
        expect(differing).toBe(MSR_SPACE_END - x2apic);
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
