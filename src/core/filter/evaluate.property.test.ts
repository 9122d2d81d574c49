import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterPolicy } from '../policy/types';
import { PROFILE_IDS, PROFILES } from '../profiles/profiles';
import type { KernelProfile } from '../profiles/types';
import { indexNear, policyArb } from '../test-support/arbitraries';
import { accessTypeFlag, decidingPolicyRange, decisionAllowed, filterDecision } from './evaluate';
import { installPolicy } from './install';
import { validatePolicy } from './validate';

/**
 * The reference: kvm_msr_allowed written as directly as the kernel's loop, over the policy itself (no compiled
 * form): skip empty ranges, u32 end, first range whose flags include the type decides by its bit.
 */
function referenceAllowed(
  profile: KernelProfile,
  policy: FilterPolicy,
  index: number,
  type: number,
): { allowed: boolean; range: number | null } {
  if (profile.x2apicExempt && index >= 0x800 && index <= 0x8ff) return { allowed: true, range: null };
  const live = policy.ranges.map((r, i) => ({ r, i })).filter(({ r }) => profile.api === 'add-range' || r.nmsrs !== 0);
  if (live.length === 0) return { allowed: true, range: null };
  for (const { r, i } of live) {
    const start = r.base;
    const end = (r.base + r.nmsrs) % 0x1_0000_0000;
    if (index >= start && index < end && (r.flags & type) !== 0) {
      const bit = index - start;
      const byte = bit >> 3;
      return { allowed: byte < r.bitmap.length && ((r.bitmap[byte] >> (bit & 7)) & 1) === 1, range: i };
    }
  }
  const defaultAllow = profile.hasDefaultAction ? (policy.flags & 1) === 0 : false;
  return { allowed: defaultAllow, range: null };
}

describe('the evaluator against a plain reference', () => {
  it.each(PROFILE_IDS)('agrees on 10,000 random valid policies and accesses (%s)', (id) => {
    const profile = PROFILES[id];
    const arb = policyArb({ validOnly: true, maxRanges: profile.maxRanges })
      .filter((p) => validatePolicy(p, profile).error === null)
      .chain((p) =>
        fc.tuple(
          fc.constant(p),
          fc.array(fc.tuple(indexNear(p), fc.constantFrom(1, 2)), { minLength: 1, maxLength: 8 }),
        ),
      );
    let checked = 0;
    fc.assert(
      fc.property(arb, ([policy, accesses]) => {
        const installed = installPolicy(profile, null, policy).installed;
        for (const [index, type] of accesses) {
          const d = filterDecision(profile, installed, index, type);
          const ref = referenceAllowed(profile, policy, index, type);
          expect({ allowed: decisionAllowed(d), range: decidingPolicyRange(installed, d) }).toEqual(ref);
          checked++;
        }
      }),
      { numRuns: 2500, seed: 0x5eed },
    );
    expect(checked).toBeGreaterThanOrEqual(2500);
  });

  it('the trace names the deciding range and bit exactly when a range decides', () => {
    const profile = PROFILES['linux-6.12'];
    fc.assert(
      fc.property(
        policyArb({ validOnly: true }).chain((p) => fc.tuple(fc.constant(p), indexNear(p), fc.constantFrom(1, 2))),
        ([policy, index, type]) => {
          const installed = installPolicy(profile, null, policy).installed;
          const trace: { range?: number; bit?: number }[] = [];
          const d = filterDecision(profile, installed, index, type, trace as never);
          const last = trace[trace.length - 1];
          const range = decidingPolicyRange(installed, d);
          expect(last.range === undefined ? null : last.range).toBe(range === null ? null : range);
          if (range !== null) expect(last.bit).toBe(index - policy.ranges[range].base);
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('accessTypeFlag maps read and write to the kernel flags', () => {
    expect([accessTypeFlag('read'), accessTypeFlag('write')]).toEqual([1, 2]);
  });
});
