import type { FilterRange } from '../../core/index';
import { drawnBits } from './geometry';

const POP = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v; v >>= 1) n += v & 1;
  return n;
});

/**
 * The share of allowed MSRs of a range in `buckets` equal slices (0..1 each), from the bitmap's bytes (whole bytes
 * per slice, so a full range of 0x3000 MSRs costs 0x600 table look-ups).
 */
export function allowedDensity(r: FilterRange, buckets: number): number[] {
  const bits = drawnBits(r.nmsrs);
  if (bits === 0) return [];
  const bytes = Math.ceil(bits / 8);
  const n = Math.max(1, Math.min(buckets, bytes));
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * bytes) / n);
    const to = Math.floor(((k + 1) * bytes) / n);
    let on = 0;
    let total = 0;
    for (let b = from; b < to; b++) {
      const valid = b === bytes - 1 && bits % 8 ? bits % 8 : 8;
      const mask = valid === 8 ? 0xff : (1 << valid) - 1;
      on += POP[(r.bitmap[b] ?? 0) & mask];
      total += valid;
    }
    out.push(total ? on / total : 0);
  }
  return out;
}
