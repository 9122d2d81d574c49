import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePolicies } from '../effective/policy-effects';
import { validatePolicy } from '../filter/validate';
import type { FilterPolicy } from '../policy/types';
import { PROFILE_IDS, PROFILES } from '../profiles/profiles';
import { policyArb } from '../test-support/arbitraries';
import { intervalsSize, type MsrInterval, normalizeIntervals, sameIntervals } from './intervals';
import { listToTargets, parseMsrList } from './msr-list';
import { addCost, cheapestCover, compareCost, type PackCost, rangeCost, ZERO_COST } from './optimal-ranges';
import { offerRewrite, packTargets, policyCost, rewritePolicy, targetDifferences } from './pack';

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

  it('packs reads and writes together: 0x10 r plus 0xc0000080-0xc0000081 rw is a READ range and a READ|WRITE range', () => {
    const profile = PROFILES['linux-6.12'];
    const out = packTargets(listToTargets(parseMsrList('0x10 r\n0xc0000080-0xc0000081 rw\n')), profile);
    expect(out.exact).toBe(true);
    expect(out.policy?.ranges.map((r) => [r.flags, r.base, r.nmsrs])).toEqual([
      [1, 0x10, 1],
      [3, 0xc0000080, 2],
    ]);
    expect(targetDifferences(profile, out.policy as FilterPolicy, out.targets)).toEqual([]);
  });

  it('a READ|WRITE range with an earlier single-type range for the MSRs whose read and write differ', () => {
    const profile = PROFILES['linux-6.12'];
    // 0x10-0x2f read and write, but 0x15 read only: one READ|WRITE range, and one WRITE range before it for 0x15
    const out = packTargets(listToTargets(parseMsrList('0x10-0x14 rw\n0x15 r\n0x16-0x2f rw\n')), profile);
    expect(out.exact).toBe(true);
    expect(out.policy?.ranges.map((r) => [r.flags, r.base, r.nmsrs])).toEqual([
      [2, 0x15, 1],
      [3, 0x10, 0x20],
    ]);
    expect(targetDifferences(profile, out.policy as FilterPolicy, out.targets)).toEqual([]);
    // the allow-list series refuses overlapping ranges that share a flag: there it is READ and WRITE ranges
    const seed = PROFILES['allowlist-v4'];
    const s = packTargets(listToTargets(parseMsrList('0x10-0x14 rw\n0x15 r\n0x16-0x2f rw\n')), seed);
    expect(validatePolicy(s.policy as FilterPolicy, seed).error).toBeNull();
    expect(s.policy?.ranges).toHaveLength(2);
    expect(targetDifferences(seed, s.policy as FilterPolicy, s.targets)).toEqual([]);
  });

  it.each(PROFILE_IDS)(
    'never needs more ranges than packing each access type on its own, and allows exactly the list (%s)',
    (id) => {
      const profile = PROFILES[id];
      const near = fc.oneof(fc.integer({ min: 0, max: 0x60 }), fc.integer({ min: 0xc0000080, max: 0xc00000a0 }));
      fc.assert(
        fc.property(fc.array(fc.tuple(near, fc.constantFrom(1, 2, 3)), { maxLength: 25 }), (entries) => {
          const read = toIntervals(entries.filter(([, c]) => c & 1).map(([m]) => m));
          const write = toIntervals(entries.filter(([, c]) => c & 2).map(([m]) => m));
          const out = packTargets({ defaultAction: 'deny', read, write }, profile);
          expect(out.exact).toBe(true);
          const policy = out.policy as FilterPolicy;
          expect(validatePolicy(policy, profile).error).toBeNull();
          expect(targetDifferences(profile, policy, out.targets)).toEqual([]);
          const perType = sameIntervals(out.targets.read, out.targets.write)
            ? cheapestCover(out.targets.read, 0x3000).cost.ranges
            : cheapestCover(out.targets.read, 0x3000).cost.ranges +
              cheapestCover(out.targets.write, 0x3000).cost.ranges;
          expect(out.rangesNeeded).toBeLessThanOrEqual(Math.max(1, perType));
          expect(out.notes.join(' ')).not.toMatch(/packed on its own|internal/);
        }),
        { numRuns: id === 'linux-6.12' ? 150 : 40, seed: 12 },
      );
    },
  );

  it('the nearest policy leaves out no more targets than packing each type on its own would', () => {
    const profile = PROFILES['linux-6.12'];
    // 12 clusters read and write, 8 read only: 20 ranges needed, 16 allowed
    const both = Array.from({ length: 12 }, (_, i) => i * 0x10000);
    const readOnly = Array.from({ length: 8 }, (_, i) => 0x80000000 + i * 0x10000);
    const out = packTargets(
      { defaultAction: 'deny', read: toIntervals([...both, ...readOnly]), write: toIntervals(both) },
      profile,
    );
    expect(out.exact).toBe(false);
    expect(out.rangesNeeded).toBe(20);
    expect(out.policy?.ranges).toHaveLength(16);
    // 16 ranges: 16 of the 20 clusters; dropping a read-only cluster loses 1 (MSR, type), a shared one 2
    expect(intervalsSize(out.leftOut.read) + intervalsSize(out.leftOut.write)).toBe(4);
    expect(out.leftOut.write).toEqual([]);
    expect(out.notes.join(' ')).toMatch(/needs 20 ranges; linux-6\.12 takes 16/);
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

  it('rewrites per-type READ and WRITE ranges into fewer mixed ranges, proven equal first', () => {
    const profile = PROFILES['linux-6.12'];
    const bits = (n: number, allowed: number[]) => {
      const b = new Uint8Array(Math.ceil(n / 8));
      for (const i of allowed) b[i >>> 3] |= 1 << (i & 7);
      return b;
    };
    // DEFAULT_DENY: reads of 0x10 and of EFER and STAR, writes of EFER and STAR, as a VMM packing per type writes it
    const policy: FilterPolicy = {
      flags: 1,
      ranges: [
        { flags: 1, base: 0x10, nmsrs: 1, bitmap: bits(1, [0]) },
        { flags: 1, base: 0xc0000080, nmsrs: 2, bitmap: bits(2, [0, 1]) },
        { flags: 2, base: 0xc0000080, nmsrs: 2, bitmap: bits(2, [0, 1]) },
      ],
    };
    const out = rewritePolicy(policy, profile);
    expect(out.provenEqual).toBe(true);
    expect(out.before.ranges).toBe(3);
    expect(out.after.ranges).toBe(2);
    expect(out.policy.ranges.map((r) => r.flags)).toEqual([1, 3]);
    expect(comparePolicies(profile, policy, profile, out.policy).differences).toEqual([]);
    expect(out.notes.join(' ')).toMatch(/3 → 2 ranges.*no difference with the input/);
  });

  it('offers a rewrite only when the effective-policy comparison finds no difference', () => {
    const profile = PROFILES['linux-6.12'];
    const policy: FilterPolicy = {
      flags: 0,
      ranges: [{ flags: 3, base: 0x10, nmsrs: 2, bitmap: new Uint8Array([1]) }],
    };
    const wrong: FilterPolicy = { flags: 0, ranges: [{ flags: 3, base: 0x10, nmsrs: 1, bitmap: new Uint8Array([0]) }] };
    const refused = offerRewrite(policy, wrong, profile);
    expect(refused.provenEqual).toBe(false);
    expect(refused.policy).toBe(policy);
    expect(refused.notes.join(' ')).toMatch(/not equivalent \((read|write) 0x0000001[01]/);
    const right: FilterPolicy = { flags: 0, ranges: [{ flags: 3, base: 0x11, nmsrs: 1, bitmap: new Uint8Array([0]) }] };
    const offered = offerRewrite(policy, right, profile);
    expect(offered.provenEqual).toBe(true);
    expect(offered.policy).toBe(right);
  });

  it('merges ranges that one range can hold', () => {
    const profile = PROFILES['linux-6.12'];
    const one = (base: number) => ({ flags: 3, base, nmsrs: 1, bitmap: new Uint8Array([0]) });
    const policy = { flags: 0, ranges: [one(0x10), one(0x11), one(0x12), one(0x40)] };
    const out = rewritePolicy(policy, profile);
    expect(out.after.ranges).toBe(1);
    expect(out.before.ranges).toBe(4);
  });
});
