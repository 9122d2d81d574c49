import { type AccessType, X2APIC_FIRST, X2APIC_LAST } from '../constants';
import { accessTypeFlag } from '../filter/evaluate';
import type { InstalledFilter } from '../filter/installed-filter';
import type { KernelProfile } from '../profiles/types';

export const MSR_SPACE_END = 0x1_0000_0000;

export type IntervalCause = 'range' | 'default' | 'x2apic' | 'no-filter';

/** [start, end) of the 32-bit MSR space with one verdict; `range` is the deciding policy range. */
export interface PolicyInterval {
  start: number;
  end: number;
  allowed: boolean;
  range: number | null;
  cause: IntervalCause;
}

function push(out: PolicyInterval[], iv: PolicyInterval): void {
  if (iv.end <= iv.start) return;
  const last = out[out.length - 1];
  if (
    last &&
    last.end === iv.start &&
    last.allowed === iv.allowed &&
    last.range === iv.range &&
    last.cause === iv.cause
  ) {
    last.end = iv.end;
  } else {
    out.push(iv);
  }
}

/** Appends the runs of equal bits of installed range k over MSRs [from, to). */
function pushBitRuns(out: PolicyInterval[], f: InstalledFilter, k: number, from: number, to: number): void {
  const base = f.base[k];
  const bits = f.bits;
  const off = f.offset[k];
  const range = f.source[k];
  let i = from - base;
  const stop = to - base;
  while (i < stop) {
    const cur = (bits[off + (i >>> 3)] >>> (i & 7)) & 1;
    let j = i + 1;
    // bit by bit up to a byte boundary, then whole bytes while they are all equal to `cur`
    while (j < stop && (j & 7) !== 0 && ((bits[off + (j >>> 3)] >>> (j & 7)) & 1) === cur) j++;
    if (j < stop && (j & 7) === 0) {
      const full = cur ? 0xff : 0;
      while (j + 8 <= stop && bits[off + (j >>> 3)] === full) j += 8;
      while (j < stop && ((bits[off + (j >>> 3)] >>> (j & 7)) & 1) === cur) j++;
    }
    push(out, { start: base + i, end: base + j, allowed: cur === 1, range, cause: 'range' });
    i = j;
  }
}

/** Walks the install-time first-match segments of this access type (InstalledFilter.segStart) over [from, to). */
function sweep(f: InstalledFilter, typeFlag: number, from: number, to: number, out: PolicyInterval[]) {
  const starts = f.segStart[typeFlag - 1];
  const ranges = f.segRange[typeFlag - 1];
  for (let i = 0; i < starts.length; i++) {
    const lo = Math.max(starts[i], from);
    const hi = Math.min(i + 1 < starts.length ? starts[i + 1] : MSR_SPACE_END, to);
    if (lo >= hi) continue;
    const k = ranges[i];
    if (k >= 0) pushBitRuns(out, f, k, lo, hi);
    else push(out, { start: lo, end: hi, allowed: f.defaultAllow, range: null, cause: 'default' });
  }
}

/**
 * The whole 32-bit MSR space for one access type as sorted, merged intervals, each with the verdict and the
 * range (or default action, or x2APIC exemption) that decides it. Equivalent to evaluating every index.
 */
export function effectivePolicy(profile: KernelProfile, f: InstalledFilter | null, type: AccessType): PolicyInterval[] {
  const out: PolicyInterval[] = [];
  const allowAll = f === null || (f.count === 0 && profile.countZeroAllowsAll);
  const segments: [number, number][] = profile.x2apicExempt
    ? [
        [0, X2APIC_FIRST],
        [X2APIC_LAST + 1, MSR_SPACE_END],
      ]
    : [[0, MSR_SPACE_END]];
  for (let s = 0; s < segments.length; s++) {
    const [from, to] = segments[s];
    if (allowAll) push(out, { start: from, end: to, allowed: true, range: null, cause: 'no-filter' });
    else sweep(f, accessTypeFlag(type), from, to, out);
    if (profile.x2apicExempt && s === 0) {
      push(out, { start: X2APIC_FIRST, end: X2APIC_LAST + 1, allowed: true, range: null, cause: 'x2apic' });
    }
  }
  return out;
}

/** Finds the interval containing `index` (binary search). */
export function intervalAt(intervals: readonly PolicyInterval[], index: number): PolicyInterval | undefined {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const iv = intervals[mid];
    if (index < iv.start) hi = mid - 1;
    else if (index >= iv.end) lo = mid + 1;
    else return iv;
  }
  return undefined;
}

/** How many MSRs the intervals allow. */
export function countAllowed(intervals: readonly PolicyInterval[]): number {
  let n = 0;
  for (const iv of intervals) if (iv.allowed) n += iv.end - iv.start;
  return n;
}
