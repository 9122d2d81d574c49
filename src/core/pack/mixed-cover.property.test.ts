import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MsrInterval, normalizeIntervals } from './intervals';
import { coverSegments, type MixedCover, mixedCover } from './mixed-cover';
import { compareCost } from './optimal-ranges';

/** A tiny target: for each MSR 0..n-1, is its read flipped, is its write flipped. */
interface Tiny {
  read: boolean[];
  write: boolean[];
}

const toIntervals = (bits: readonly boolean[]): MsrInterval[] =>
  normalizeIntervals(bits.flatMap((b, i) => (b ? [[i, i + 1] as MsrInterval] : [])));

/**
 * Exhaustive search, independent of the layer model: is there an ordered list of k ranges (any flags READ, WRITE or
 * READ|WRITE, any spans of at most maxLen inside 0..n, any order and overlap) and bitmaps such that, with the
 * kernel's first match per access type, exactly the flipped (MSR, type) pairs are decided against the default?
 * For a fixed list the bitmaps exist unless one bit is asked to be both 0 and 1.
 */
function existsPolicy(t: Tiny, k: number, maxLen: number, strict: boolean): boolean {
  const n = t.read.length;
  const ranges: { flags: number; base: number; end: number }[] = [];
  for (let flags = 1; flags <= 3; flags++)
    for (let base = 0; base < n; base++)
      for (let end = base + 1; end <= Math.min(n, base + maxLen); end++) ranges.push({ flags, base, end });
  const pick: number[] = [];
  const feasible = (): boolean => {
    const list = pick.map((i) => ranges[i]);
    if (strict) {
      for (let a = 0; a < list.length; a++)
        for (let b = a + 1; b < list.length; b++)
          if (list[a].flags & list[b].flags && list[a].base < list[b].end && list[b].base < list[a].end) return false;
    }
    for (let m = 0; m < n; m++) {
      const need: (boolean | undefined)[] = list.map(() => undefined);
      for (const [type, want] of [
        [1, t.read[m]],
        [2, t.write[m]],
      ] as const) {
        const i = list.findIndex((r) => r.flags & type && m >= r.base && m < r.end);
        if (i < 0) {
          if (want) return false;
          continue;
        }
        if (need[i] !== undefined && need[i] !== want) return false;
        need[i] = want;
      }
    }
    return true;
  };
  const go = (depth: number): boolean => {
    if (depth === k) return feasible();
    for (let i = 0; i < ranges.length; i++) {
      pick.push(i);
      const found = go(depth + 1);
      pick.pop();
      if (found) return true;
    }
    return false;
  };
  return go(0);
}

function solve(t: Tiny, maxLen: number, strict: boolean, everyIndex = false): MixedCover {
  const { xs, cls } = coverSegments(toIntervals(t.read), toIntervals(t.write), maxLen, everyIndex);
  const out = mixedCover({ xs, cls, maxLen, strict });
  if (!out) throw new Error('state limit');
  return out;
}

/** Checks a cover by the same first-match rule: singles first, READ|WRITE last, bits chosen per MSR. */
function coverIsExact(t: Tiny, c: MixedCover, maxLen: number, strict: boolean): boolean {
  const ranges = [
    ...c.layers[0].map(([s, e]) => ({ flags: 1, s, e })),
    ...c.layers[1].map(([s, e]) => ({ flags: 2, s, e })),
    ...c.layers[2].map(([s, e]) => ({ flags: 3, s, e })),
  ];
  if (ranges.some((r) => r.e - r.s > maxLen || r.e <= r.s)) return false;
  if (strict)
    for (const a of ranges)
      for (const b of ranges) if (a !== b && a.flags & b.flags && a.s < b.e && b.s < a.e) return false;
  for (let m = 0; m < t.read.length; m++) {
    const bits = new Map<number, boolean>();
    for (const [type, want] of [
      [1, t.read[m]],
      [2, t.write[m]],
    ] as const) {
      const i = ranges.findIndex((r) => r.flags & type && m >= r.s && m < r.e);
      if (i < 0) {
        if (want) return false;
      } else if (bits.has(i) && bits.get(i) !== want) return false;
      else bits.set(i, want);
    }
  }
  return true;
}

const tinyArb = (n: number) =>
  fc
    .array(fc.constantFrom(0, 0, 1, 2, 3, 3), { minLength: n, maxLength: n })
    .map((classes): Tiny => ({ read: classes.map((c) => (c & 1) !== 0), write: classes.map((c) => (c & 2) !== 0) }));

describe('mixed cover (reads and writes packed together)', () => {
  it('needs no more ranges than any policy found by exhaustive search (first match per access type)', () => {
    fc.assert(
      fc.property(tinyArb(5), fc.integer({ min: 1, max: 5 }), fc.boolean(), (t, maxLen, strict) => {
        const c = solve(t, maxLen, strict);
        expect(coverIsExact(t, c, maxLen, strict)).toBe(true);
        const k = c.cost.ranges;
        // no list of fewer ranges does it (searched up to 3 ranges), and k ranges do
        if (k - 1 <= 3 && k > 0) expect(existsPolicy(t, k - 1, maxLen, strict)).toBe(false);
        if (k <= 2) expect(existsPolicy(t, k, maxLen, strict)).toBe(true);
      }),
      { numRuns: 250, seed: 31 },
    );
  });

  it('costs the same as the plain DP over every MSR index (ranges, kernel bytes, bitmap bytes)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 160 }), fc.constantFrom(1, 2, 3)),
          {
            maxLength: 7,
          },
        ),
        fc.constantFrom(64, 128),
        fc.boolean(),
        (runs, maxLen, strict) => {
          const read = runs.filter(([, , c]) => c & 1).map(([s, l]) => [s, s + l] as MsrInterval);
          const write = runs.filter(([, , c]) => c & 2).map(([s, l]) => [s, s + l] as MsrInterval);
          const seg = coverSegments(read, write, maxLen);
          const plain = coverSegments(read, write, maxLen, true);
          const a = mixedCover({ ...seg, maxLen, strict });
          const b = mixedCover({ ...plain, maxLen, strict, exhaustive: true });
          if (!a || !b) throw new Error('state limit');
          expect(compareCost(a.cost, b.cost)).toBe(0);
        },
      ),
      { numRuns: 60, seed: 17 },
    );
  });
});
