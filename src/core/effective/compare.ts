import type { AccessType } from '../constants';
import type { PolicyInterval } from './effective-policy';

export interface VerdictSide {
  allowed: boolean;
  range: number | null;
  cause: PolicyInterval['cause'];
}

/** [start, end) where the two sides' verdicts differ. */
export interface PolicyDifference {
  type: AccessType;
  start: number;
  end: number;
  a: VerdictSide;
  b: VerdictSide;
}

const side = (iv: PolicyInterval): VerdictSide => ({ allowed: iv.allowed, range: iv.range, cause: iv.cause });

/** Walks two interval lists over the same space together and reports where allow/deny differ. */
export function diffIntervals(
  type: AccessType,
  a: readonly PolicyInterval[],
  b: readonly PolicyInterval[],
): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  let i = 0;
  let j = 0;
  let at = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    const end = Math.min(x.end, y.end);
    if (x.allowed !== y.allowed) {
      const last = out[out.length - 1];
      if (
        last &&
        last.end === at &&
        last.a.allowed === x.allowed &&
        last.a.range === x.range &&
        last.b.range === y.range
      ) {
        last.end = end;
      } else {
        out.push({ type, start: at, end, a: side(x), b: side(y) });
      }
    }
    at = end;
    if (x.end === end) i++;
    if (y.end === end) j++;
  }
  return out;
}
