import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePolicies } from '../effective/policy-effects';
import { validatePolicy } from '../filter/validate';
import { PROFILE_IDS, PROFILES } from '../profiles/profiles';
import { policyArb } from '../test-support/arbitraries';
import { type MsrInterval, normalizeIntervals } from './intervals';
import { parseMsrList } from './msr-list';
import { addCost, cheapestCover, compareCost, type PackCost, rangeCost, ZERO_COST } from './optimal-ranges';
import { packTargets, policyCost, rewritePolicy, targetDifferences } from './pack';

/** Exhaustive search over every cover by disjoint spans of at most maxLen (no assumption about where spans start). */
function bruteForceCover(points: readonly number[], maxLen: number): PackCost {
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  let best: PackCost | null = null;
  const go = (i: number, prevEnd: number, cost: PackCost) => {
    if (best && cost.ranges > best.ranges) return;
    if (i === sorted.length) {
      if (!best || compareCost(cost, best) < 0) best = cost;
      return;
    }
    const t = sorted[i];
    for (let a = Math.max(prevEnd, t - maxLen + 1); a <= t; a++) {
      for (let b = t + 1; b <= a + maxLen; b++) {
        let j = i;
        while (j < sorted.length && sorted[j] < b) j++;
        go(j, b, addCost(cost, rangeCost(b - a)));
      }
    }
  };
  go(0, Number.NEGATIVE_INFINITY, ZERO_COST);
  return best ?? ZERO_COST;
}

const toIntervals = (points: readonly number[]): MsrInterval[] => normalizeIntervals(points.map((p) => [p, p + 1]));

describe('pack: the covering DP', () => {
  it('is as cheap as exhaustive search on small inputs (ranges, then kernel bytes, then bitmap bytes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 7 }),
        fc.integer({ min: 1, max: 8 }),
        (points, maxLen) => {
          const dp = cheapestCover(toIntervals(points), maxLen);
          expect(dp.cost).toEqual(bruteForceCover(points, maxLen));
          // and the spans it returns really cover every point, each within maxLen, disjoint
          for (const p of points) expect(dp.spans.some(([s, e]) => p >= s && p < e)).toBe(true);
          for (const [s, e] of dp.spans) expect(e - s).toBeLessThanOrEqual(maxLen);
          for (let i = 1; i < dp.spans.length; i++) expect(dp.spans[i][0]).toBeGreaterThanOrEqual(dp.spans[i - 1][1]);
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });

  it('spends bytes only when it saves ranges: gaps of more than 64 MSRs cost a range, not bytes', () => {
    const a = cheapestCover(toIntervals([0, 1000]), 0x3000);
    expect(a.cost.ranges).toBe(1);
    const b = cheapestCover(toIntervals([0, 0x3000]), 0x3000);
    expect(b.cost).toEqual({ ranges: 2, kernelBytes: 16, bitmapBytes: 2 });
  });
});

const listArb = fc.record({
  mode: fc.constantFrom('allow' as const, 'deny' as const),
  read: fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x3000 }),
      fc.integer({ min: 0x7f0, max: 0x910 }),
      fc.integer({ min: 0xc0000000, max: 0xc0000200 }),
      fc.integer({ min: 0, max: 0xffffffff }),
    ),
    { maxLength: 30 },
  ),
  sameWrite: fc.boolean(),
  write: fc.array(fc.integer({ min: 0, max: 0x3000 }), { maxLength: 10 }),
});

describe('pack: lists', () => {
  it.each(PROFILE_IDS)('always validates and allows exactly the list when it fits (%s)', (id) => {
    const profile = PROFILES[id];
    fc.assert(
      fc.property(listArb, (l) => {
        const read = toIntervals(l.read);
        const write = l.sameWrite ? read : toIntervals(l.write);
        const targets = { defaultAction: l.mode === 'allow' ? ('deny' as const) : ('allow' as const), read, write };
        const out = packTargets(targets, profile);
        if (!out.policy) {
          expect(out.exact).toBe(false);
          return;
        }
        expect(validatePolicy(out.policy, profile).error).toBeNull();
        expect(out.policy.ranges.length).toBeLessThanOrEqual(profile.maxRanges);
        for (const r of out.policy.ranges) expect(Math.ceil(r.nmsrs / 64) * 8).toBeLessThanOrEqual(0x600);
        if (out.exact) expect(targetDifferences(profile, out.policy, out.targets)).toEqual([]);
        else expect(out.rangesNeeded).toBeGreaterThan(profile.maxRanges);
      }),
      { numRuns: id === 'linux-6.12' ? 200 : 40, seed: 5 },
    );
  });

  it('says how many ranges a list needs when it cannot fit, and offers the nearest that does', () => {
    const profile = PROFILES['linux-6.12'];
    const points = Array.from({ length: 20 }, (_, i) => i * 0x10000);
    const out = packTargets({ defaultAction: 'deny', read: toIntervals(points), write: toIntervals(points) }, profile);
    expect(out.exact).toBe(false);
    expect(out.rangesNeeded).toBe(20);
    expect(out.policy?.ranges).toHaveLength(16);
    expect(out.leftOut.read.length).toBe(4);
    expect(out.notes.join(' ')).toMatch(/needs 20 ranges/);
  });

  it('reads text lists with names, ranges and access types', () => {
    const l = parseMsrList('# boot\nIA32_TSC r\n0xc0000080-0xc0000084 rw\n0x1b w\n');
    expect(l.read).toEqual([
      [0x10, 0x11],
      [0xc0000080, 0xc0000085],
    ]);
    expect(l.write).toEqual([
      [0x1b, 0x1c],
      [0xc0000080, 0xc0000085],
    ]);
    expect(() => parseMsrList('0x10\nNOT_AN_MSR\n')).toThrow(/line 2/);
  });
});

describe('pack: rewriting a policy', () => {
  it.each(['linux-6.12', 'linux-5.10', 'allowlist-v4'] as const)(
    'is valid, never larger, and equal to the input by the effective-policy comparison (%s)',
    (id) => {
      const profile = PROFILES[id];
      fc.assert(
        fc.property(policyArb({ validOnly: true, maxRanges: profile.maxRanges }), (policy) => {
          if (validatePolicy(policy, profile).error) return;
          const out = rewritePolicy(policy, profile);
          expect(validatePolicy(out.policy, profile).error).toBeNull();
          expect(compareCost(policyCost(out.policy), policyCost(policy))).toBeLessThanOrEqual(0);
          expect(comparePolicies(profile, policy, profile, out.policy).differences).toEqual([]);
          expect(out.provenEqual).toBe(true);
        }),
        { numRuns: 60, seed: 9 },
      );
    },
  );

  it('merges ranges that one range can hold', () => {
    const profile = PROFILES['linux-6.12'];
    const one = (base: number) => ({ flags: 3, base, nmsrs: 1, bitmap: new Uint8Array([0]) });
    const policy = { flags: 0, ranges: [one(0x10), one(0x11), one(0x12), one(0x40)] };
    const out = rewritePolicy(policy, profile);
    expect(out.after.ranges).toBe(1);
    expect(out.before.ranges).toBe(4);
  });
});
