import fc from 'fast-check';
import type { FilterPolicy, FilterRange } from '../policy/types';

/** Interesting bases: near 0, the x2APIC window, the AMD/Intel windows and the top of the space. */
const baseArb = fc.oneof(
  fc.integer({ min: 0, max: 0x3000 }),
  fc.integer({ min: 0x700, max: 0x900 }),
  fc.constantFrom(0xc0000000, 0xc0010000, 0x40000000, 0x4b564d00),
  fc.integer({ min: 0xffff_f000, max: 0xffff_ffff }),
  fc.integer({ min: 0, max: 0xffff_ffff }),
);

export const rangeArb = (opts: { validOnly?: boolean } = {}): fc.Arbitrary<FilterRange> =>
  fc
    .record({
      flags: opts.validOnly
        ? fc.constantFrom(1, 2, 3)
        : fc.oneof(fc.constantFrom(1, 2, 3), fc.constantFrom(0, 4, 7, 0xff)),
      base: baseArb,
      nmsrs: opts.validOnly
        ? fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 0x3000 }))
        : fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 0x3001 })),
      seed: fc.integer(),
      density: fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
    })
    .map(({ flags, base, nmsrs, seed, density }) => {
      const bitmap = new Uint8Array(Math.ceil(Math.min(nmsrs, 0x3001) / 8));
      let x = seed | 0;
      for (let i = 0; i < bitmap.length; i++) {
        let byte = 0;
        for (let b = 0; b < 8; b++) {
          x = (Math.imul(x, 1103515245) + 12345) | 0;
          if (((x >>> 8) & 0xffff) / 0x10000 < density) byte |= 1 << b;
        }
        bitmap[i] = byte;
      }
      return { flags, base, nmsrs, bitmap };
    });

export const policyArb = (opts: { validOnly?: boolean; maxRanges?: number } = {}): fc.Arbitrary<FilterPolicy> =>
  fc.record({
    flags: opts.validOnly ? fc.constantFrom(0, 1) : fc.constantFrom(0, 1, 2, 3),
    ranges: fc.array(rangeArb(opts), { maxLength: opts.maxRanges ?? 16 }),
  });

/** An index either inside or at the edge of one of the policy's ranges, or anywhere. */
export function indexNear(policy: FilterPolicy): fc.Arbitrary<number> {
  const edges = policy.ranges.flatMap((r) => [r.base - 1, r.base, r.base + 1, r.base + r.nmsrs - 1, r.base + r.nmsrs]);
  const inside = policy.ranges.map((r) =>
    fc.integer({ min: r.base, max: Math.min(0xffff_ffff, r.base + Math.max(0, r.nmsrs - 1)) }),
  );
  return fc.oneof(
    fc.integer({ min: 0, max: 0xffff_ffff }),
    fc.integer({ min: 0x7f0, max: 0x910 }),
    ...(edges.length ? [fc.constantFrom(...edges.map((e) => e >>> 0))] : []),
    ...inside,
  );
}
