import { filledBitmap } from '../policy/bitmap';
import type { FilterPolicy, FilterRange } from '../policy/types';

export const R = 1;
export const W = 2;
export const RW = 3;
export const DEFAULT_DENY = 1;

/** A range whose listed bits (offsets from base) are set to `on` and every other bit to `!on`. */
export function range(
  flags: number,
  base: number,
  nmsrs: number,
  opts: { allow?: number[]; deny?: number[]; all?: boolean } = {},
): FilterRange {
  const all = opts.all ?? opts.deny !== undefined;
  const bitmap = filledBitmap(Math.max(nmsrs, 1), all);
  for (const b of opts.allow ?? []) bitmap[b >>> 3] |= 1 << (b & 7);
  for (const b of opts.deny ?? []) bitmap[b >>> 3] &= ~(1 << (b & 7));
  return { flags, base, nmsrs, bitmap };
}

export function policy(flags: number, ranges: FilterRange[]): FilterPolicy {
  return { flags, ranges };
}
