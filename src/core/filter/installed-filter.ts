import { KVM_MSR_FILTER_DEFAULT_DENY } from '../constants';
import type { FilterPolicy } from '../policy/types';
import type { KernelProfile } from '../profiles/types';

/**
 * A filter as the kernel holds it once installed: ranges with nmsrs 0 dropped (array order kept), each bitmap
 * copied, laid out in typed arrays so the per-access decision touches no objects.
 */
export interface InstalledFilter {
  defaultAllow: boolean;
  count: number;
  base: Uint32Array;
  /** (base + nmsrs) mod 2^32, as the kernel's u32 arithmetic computes it. */
  end: Uint32Array;
  flags: Uint32Array;
  /** Offset of each range's bitmap in `bits`. */
  offset: Uint32Array;
  bits: Uint8Array;
  /** Index into the policy's `ranges` of each installed range. */
  source: Uint16Array;
  /**
   * The first-match walk precomputed per access type (index 0: READ, 1: WRITE): the 32-bit space cut into
   * segments where the same range (or none, -1) matches first. A decision is a binary search plus a bit test.
   */
  segStart: [Uint32Array, Uint32Array];
  segRange: [Int8Array, Int8Array];
}

/** Cuts [0, 2^32) where the set of covering ranges changes and records the first matching range of each piece. */
function segments(count: number, base: Uint32Array, end: Uint32Array, flags: Uint32Array, typeFlag: number) {
  const cuts = new Set<number>([0]);
  for (let k = 0; k < count; k++) {
    if ((flags[k] & typeFlag) === 0 || end[k] <= base[k]) continue;
    cuts.add(base[k]);
    cuts.add(end[k]);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const ranges = new Int8Array(starts.length).fill(-1);
  starts.forEach((at, i) => {
    for (let k = 0; k < count; k++) {
      if ((flags[k] & typeFlag) !== 0 && at >= base[k] && at < end[k]) {
        ranges[i] = k;
        break;
      }
    }
  });
  return { starts: Uint32Array.from(starts), ranges };
}

export function buildInstalledFilter(policy: FilterPolicy, rangeIndexes: readonly number[], profile: KernelProfile) {
  const count = rangeIndexes.length;
  const base = new Uint32Array(count);
  const end = new Uint32Array(count);
  const flags = new Uint32Array(count);
  const offset = new Uint32Array(count);
  const source = new Uint16Array(count);
  let total = 0;
  const sizes = rangeIndexes.map((i) => Math.ceil(Math.min(policy.ranges[i].nmsrs, profile.maxBitmapBytes * 8) / 8));
  for (const s of sizes) total += s;
  const bits = new Uint8Array(total);
  let at = 0;
  rangeIndexes.forEach((i, k) => {
    const r = policy.ranges[i];
    base[k] = r.base;
    end[k] = (r.base + r.nmsrs) >>> 0;
    flags[k] = r.flags;
    offset[k] = at;
    source[k] = i;
    bits.set(r.bitmap.subarray(0, sizes[k]), at);
    at += sizes[k];
  });
  const defaultAllow = profile.hasDefaultAction ? (policy.flags & KVM_MSR_FILTER_DEFAULT_DENY) === 0 : false;
  const read = segments(count, base, end, flags, 1);
  const write = segments(count, base, end, flags, 2);
  const segStart: [Uint32Array, Uint32Array] = [read.starts, write.starts];
  const segRange: [Int8Array, Int8Array] = [read.ranges, write.ranges];
  return { defaultAllow, count, base, end, flags, offset, bits, source, segStart, segRange } satisfies InstalledFilter;
}
