import {
  bitmapBytesFor,
  type FilterPolicy,
  type FilterRange,
  fillBits,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
} from '../../core/index';

/** Pure, copy-on-write edits of a policy: every function returns a new policy and never mutates its input. */

export type BitOp = 'allow' | 'deny' | 'invert';

function withRanges(policy: FilterPolicy, ranges: FilterRange[]): FilterPolicy {
  return { ...policy, ranges };
}

export function updateRange(policy: FilterPolicy, i: number, patch: Partial<FilterRange>): FilterPolicy {
  if (i < 0 || i >= policy.ranges.length) return policy;
  const ranges = policy.ranges.slice();
  ranges[i] = { ...ranges[i], ...patch };
  return withRanges(policy, ranges);
}

/** How many MSRs a new range covers: one 8-byte word of bitmap, enough to paint on. */
export const NEW_RANGE_MSRS = 64;

/**
 * A new range that continues after the last one (the highest end of any range, so that repeated adds never stack
 * on each other): READ|WRITE, NEW_RANGE_MSRS MSRs, all denied (bits clear, as QEMU installs them).
 */
export function newRange(policy: FilterPolicy): FilterRange {
  let end = 0;
  for (const r of policy.ranges) end = Math.max(end, (r.base >>> 0) + (r.nmsrs >>> 0));
  const base = Math.min(end, 0xffff_ffff - NEW_RANGE_MSRS + 1) >>> 0;
  return {
    flags: KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
    base,
    nmsrs: NEW_RANGE_MSRS,
    bitmap: new Uint8Array(bitmapBytesFor(NEW_RANGE_MSRS)),
  };
}

export function addRange(policy: FilterPolicy, range: FilterRange = newRange(policy)): FilterPolicy {
  return withRanges(policy, [...policy.ranges, range]);
}

export function removeRange(policy: FilterPolicy, i: number): FilterPolicy {
  if (i < 0 || i >= policy.ranges.length) return policy;
  return withRanges(
    policy,
    policy.ranges.filter((_, k) => k !== i),
  );
}

export function duplicateRange(policy: FilterPolicy, i: number): FilterPolicy {
  if (i < 0 || i >= policy.ranges.length) return policy;
  const r = policy.ranges[i];
  const ranges = policy.ranges.slice();
  ranges.splice(i + 1, 0, { ...r, bitmap: r.bitmap.slice() });
  return withRanges(policy, ranges);
}

/** Moves range i by `delta` places (-1 up, +1 down); order matters, the first match decides. */
export function moveRange(policy: FilterPolicy, i: number, delta: number): FilterPolicy {
  const j = i + delta;
  if (i < 0 || i >= policy.ranges.length || j < 0 || j >= policy.ranges.length) return policy;
  const ranges = policy.ranges.slice();
  [ranges[i], ranges[j]] = [ranges[j], ranges[i]];
  return withRanges(policy, ranges);
}

/**
 * Sets, clears or inverts bits [from, to) of range i. The bitmap grows as needed (missing bytes read as zero) and
 * is never shrunk: bits past nmsrs are kept, so shrinking nmsrs and growing it back loses nothing.
 */
export function applyBits(policy: FilterPolicy, i: number, from: number, to: number, op: BitOp): FilterPolicy {
  const r = policy.ranges[i];
  if (!r) return policy;
  const lo = Math.max(0, Math.floor(from));
  const hi = Math.min(Math.floor(to), r.nmsrs);
  if (hi <= lo) return policy;
  const bitmap = new Uint8Array(Math.max(r.bitmap.length, bitmapBytesFor(hi)));
  bitmap.set(r.bitmap);
  if (op === 'invert') {
    for (let b = lo; b < hi; b++) bitmap[b >>> 3] ^= 1 << (b & 7);
  } else {
    fillBits(bitmap, lo, hi, op === 'allow');
  }
  return updateRange(policy, i, { bitmap });
}

/** Turns READ or WRITE on or off in a range's flags, keeping any other bits as they are. */
export function setRangeAccess(flags: number, bit: number, on: boolean): number {
  return (on ? flags | bit : flags & ~bit) >>> 0;
}

export const ACCESS_BITS = { read: KVM_MSR_FILTER_READ, write: KVM_MSR_FILTER_WRITE } as const;
