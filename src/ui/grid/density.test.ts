import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillBits, filledBitmap, KVM_MSR_FILTER_READ, testBit } from '../../core/index';
import { allowedDensity } from './density';
import { labelStride } from './painter';

describe('allowedDensity', () => {
  it('matches counting the bits one by one (whole ranges)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x3000 }),
        fc.array(fc.tuple(fc.nat(0x3000), fc.nat(0x3000))),
        (n, spans) => {
          const b = filledBitmap(n, false);
          for (const [a, c] of spans) fillBits(b, Math.min(a, c, n), Math.min(Math.max(a, c), n), true);
          const r = { flags: KVM_MSR_FILTER_READ, base: 0, nmsrs: n, bitmap: b };
          let on = 0;
          for (let i = 0; i < n; i++) if (testBit(b, i)) on++;
          expect(allowedDensity(r, 1)[0]).toBeCloseTo(on / n, 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits a range into slices: a half-allowed range is 1 then 0', () => {
    const b = filledBitmap(64, false);
    fillBits(b, 0, 32, true);
    expect(allowedDensity({ flags: KVM_MSR_FILTER_READ, base: 0, nmsrs: 64, bitmap: b }, 2)).toEqual([1, 0]);
  });
});

describe('labelStride', () => {
  it('labels every row from zoom 10 up, and every 2nd, 4th… row (a power of two) below', () => {
    expect(labelStride(12)).toBe(1);
    expect(labelStride(10)).toBe(1);
    expect(labelStride(8)).toBe(2);
    expect(labelStride(4)).toBe(4);
    expect(labelStride(2)).toBe(8);
  });
});
