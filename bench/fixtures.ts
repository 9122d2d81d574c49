import { type FilterPolicy, getProfile, type InstalledFilter, installPolicy } from '../src/core/index';
import { seededRng } from '../src/core/test-support/fuzz';

/** A deterministic generator, so every run measures the same data. */
export function rng(seed: number): () => number {
  return seededRng(seed).next;
}

export const FULL = 0x3000;
const BASES = [
  0x1000, 0x4000, 0x7000, 0xa000, 0x40000000, 0x40003000, 0x4b564d00, 0xc0000000, 0xc0003000, 0xc0010000, 0xc0013000,
  0x10000, 0x20000, 0x30000, 0x80000000, 0xf0000000,
];

/** 16 ranges of 0x3000 MSRs each. `content`: random bits, or all allowed with a few denied holes (a real policy). */
export function sixteenFullRanges(content: 'random' | 'sparse-denies', seed = 1): FilterPolicy {
  const next = rng(seed);
  return {
    flags: 1,
    ranges: BASES.map((base, i) => {
      const bitmap = new Uint8Array(FULL / 8);
      if (content === 'random') for (let j = 0; j < bitmap.length; j++) bitmap[j] = next() & 0xff;
      else {
        bitmap.fill(0xff);
        for (let k = 0; k < 24; k++) {
          const bit = next() % FULL;
          bitmap[bit >>> 3] &= ~(1 << (bit & 7));
        }
      }
      return { flags: i % 3 === 0 ? 1 : i % 3 === 1 ? 2 : 3, base, nmsrs: FULL, bitmap };
    }),
  };
}

export function installed(policy: FilterPolicy): InstalledFilter {
  const out = installPolicy(getProfile('linux-6.12'), null, policy);
  if (!out.installed || out.errno) throw new Error(`benchmark policy refused: ${out.errno}`);
  return out.installed;
}

/** Random indexes: half inside the ranges, half anywhere in the 32-bit space. */
export function randomIndexes(policy: FilterPolicy, n: number, seed = 2): Uint32Array {
  const next = rng(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r & 1) {
      const range = policy.ranges[(r >>> 1) % policy.ranges.length];
      out[i] = range.base + (next() % range.nmsrs);
    } else out[i] = next();
  }
  return out;
}
