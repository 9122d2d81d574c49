/** Sets of MSR indexes as sorted, disjoint, non-adjacent half-open intervals [start, end). */
export type MsrInterval = readonly [start: number, end: number];

/** Sorts and merges overlapping or adjacent intervals; drops empty ones. */
export function normalizeIntervals(list: readonly MsrInterval[]): MsrInterval[] {
  const sorted = list.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The part of `a` outside [from, to). */
export function removeSpan(a: readonly MsrInterval[], from: number, to: number): MsrInterval[] {
  const out: MsrInterval[] = [];
  for (const [s, e] of a) {
    if (e <= from || s >= to) out.push([s, e]);
    else {
      if (s < from) out.push([s, from]);
      if (e > to) out.push([to, e]);
    }
  }
  return out;
}

/** The part of `a` inside [from, to). */
export function clipSpan(a: readonly MsrInterval[], from: number, to: number): MsrInterval[] {
  const out: MsrInterval[] = [];
  for (const [s, e] of a) {
    const lo = Math.max(s, from);
    const hi = Math.min(e, to);
    if (hi > lo) out.push([lo, hi]);
  }
  return out;
}

export function intervalsSize(a: readonly MsrInterval[]): number {
  let n = 0;
  for (const [s, e] of a) n += e - s;
  return n;
}

export function sameIntervals(a: readonly MsrInterval[], b: readonly MsrInterval[]): boolean {
  return a.length === b.length && a.every(([s, e], i) => s === b[i][0] && e === b[i][1]);
}

export function containsIndex(a: readonly MsrInterval[], index: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (index < a[mid][0]) hi = mid - 1;
    else if (index >= a[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}
