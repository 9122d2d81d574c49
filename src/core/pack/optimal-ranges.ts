import type { MsrInterval } from './intervals';

/**
 * The cost of a set of ranges, compared in this order: ranges, then the bitmap bytes the kernel copies and
 * allocates (BITS_TO_LONGS(nmsrs) * 8 each), then the bytes the bitmaps need (ceil(nmsrs / 8) each).
 */
export interface PackCost {
  ranges: number;
  kernelBytes: number;
  bitmapBytes: number;
}

export const ZERO_COST: PackCost = { ranges: 0, kernelBytes: 0, bitmapBytes: 0 };

export function rangeCost(nmsrs: number): PackCost {
  return { ranges: 1, kernelBytes: Math.ceil(nmsrs / 64) * 8, bitmapBytes: Math.ceil(nmsrs / 8) };
}

export function addCost(a: PackCost, b: PackCost): PackCost {
  return {
    ranges: a.ranges + b.ranges,
    kernelBytes: a.kernelBytes + b.kernelBytes,
    bitmapBytes: a.bitmapBytes + b.bitmapBytes,
  };
}

/** Negative when a is cheaper than b. */
export function compareCost(a: PackCost, b: PackCost): number {
  return a.ranges - b.ranges || a.kernelBytes - b.kernelBytes || a.bitmapBytes - b.bitmapBytes;
}

/** A span [start, end) that one range covers. */
export type Span = MsrInterval;

/**
 * The states of the covering DP: positions u that are the first target MSR not yet covered. They are the
 * intervals' starts, plus the cut points u + maxLen that fall strictly inside an interval (a range that cannot
 * reach an interval's end should be as long as it may be: maxLen is a multiple of 64, so the cut costs no rounding).
 */
function coverStates(targets: readonly MsrInterval[], maxLen: number): { pos: number; k: number }[] {
  const states: { pos: number; k: number }[] = [];
  for (let k = 0; k < targets.length; k++) {
    states.push({ pos: targets[k][0], k });
  }
  // cut chains: from any state, u + maxLen strictly inside some interval j
  const seen = new Set(states.map((s) => s.pos));
  const queue = [...states];
  while (queue.length) {
    const { pos, k } = queue.pop() as { pos: number; k: number };
    const c = pos + maxLen;
    let j = k;
    while (j < targets.length && targets[j][1] <= c) j++;
    if (j < targets.length && targets[j][0] < c && !seen.has(c)) {
      seen.add(c);
      const st = { pos: c, k: j };
      states.push(st);
      queue.push(st);
    }
  }
  return states.sort((a, b) => a.pos - b.pos);
}

interface Choice {
  end: number;
  next: number; // index into states, or -1 when done
}

/** Range end options from a state: ends of intervals within reach, and the cut at pos + maxLen. */
function* endOptions(
  targets: readonly MsrInterval[],
  maxLen: number,
  pos: number,
  k: number,
): Generator<{ end: number; nextPos: number | null }> {
  const reach = pos + maxLen;
  let j = k;
  for (; j < targets.length && targets[j][1] <= reach; j++) {
    yield { end: targets[j][1], nextPos: j + 1 < targets.length ? targets[j + 1][0] : null };
  }
  if (j < targets.length && targets[j][0] < reach) yield { end: reach, nextPos: reach };
}

/**
 * The cheapest set of disjoint spans, each at most maxLen long, that covers every target MSR (fewest spans, then
 * fewest kernel bitmap bytes, then fewest bitmap bytes). Dynamic programming over the sorted intervals, from the
 * last to the first; optimal among all covers by disjoint spans (property-tested against exhaustive search).
 */
export function cheapestCover(targets: readonly MsrInterval[], maxLen: number): { spans: Span[]; cost: PackCost } {
  if (targets.length === 0) return { spans: [], cost: ZERO_COST };
  const states = coverStates(targets, maxLen);
  const at = new Map<number, number>();
  states.forEach((s, i) => {
    at.set(s.pos, i);
  });
  const best: PackCost[] = new Array(states.length);
  const choice: Choice[] = new Array(states.length);
  for (let i = states.length - 1; i >= 0; i--) {
    const { pos, k } = states[i];
    let bestCost: PackCost | null = null;
    let bestChoice: Choice | null = null;
    for (const opt of endOptions(targets, maxLen, pos, k)) {
      const next = opt.nextPos === null ? -1 : (at.get(opt.nextPos) as number);
      const c = addCost(rangeCost(opt.end - pos), next < 0 ? ZERO_COST : best[next]);
      if (bestCost === null || compareCost(c, bestCost) < 0) {
        bestCost = c;
        bestChoice = { end: opt.end, next };
      }
    }
    best[i] = bestCost as PackCost;
    choice[i] = bestChoice as Choice;
  }
  const spans: Span[] = [];
  for (let i = 0; i >= 0; i = choice[i].next) spans.push([states[i].pos, choice[i].end]);
  return { spans, cost: best[0] };
}

/**
 * For k = 0..maxSpans: the most target MSRs that k disjoint spans of at most maxLen can cover, the cheapest way
 * (the "nearest policy that fits" when the cheapest cover needs too many ranges). Returns the spans for each k.
 */
export function bestPartialCovers(
  targets: readonly MsrInterval[],
  maxLen: number,
  maxSpans: number,
): { covered: number; spans: Span[] }[] {
  const out: { covered: number; spans: Span[] }[] = [{ covered: 0, spans: [] }];
  if (targets.length === 0) {
    for (let k = 1; k <= maxSpans; k++) out.push({ covered: 0, spans: [] });
    return out;
  }
  const states = coverStates(targets, maxLen);
  const at = new Map<number, number>();
  states.forEach((s, i) => {
    at.set(s.pos, i);
  });
  // prefix sums of target sizes, to count covered MSRs in [pos, end)
  const prefix: number[] = [0];
  for (const [s, e] of targets) prefix.push(prefix[prefix.length - 1] + (e - s));
  const coveredBefore = (x: number): number => {
    // target MSRs < x
    let lo = 0;
    let hi = targets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (targets[mid][1] <= x) lo = mid + 1;
      else hi = mid;
    }
    const partial = lo < targets.length ? Math.max(0, Math.min(x, targets[lo][1]) - targets[lo][0]) : 0;
    return prefix[lo] + partial;
  };
  const n = states.length;
  // value[k][i]: [covered, -kernelBytes] best from state i with k spans
  type Val = { covered: number; cost: PackCost; end: number; next: number; skip: boolean };
  const val: Val[][] = [];
  for (let k = 0; k <= maxSpans; k++) val.push(new Array(n));
  const better = (a: Val, b: Val | undefined) =>
    !b || a.covered > b.covered || (a.covered === b.covered && compareCost(a.cost, b.cost) < 0);
  for (let k = 0; k <= maxSpans; k++) {
    for (let i = n - 1; i >= 0; i--) {
      const { pos, k: iv } = states[i];
      // skip the rest of this interval
      const skipNext = iv + 1 < targets.length ? (at.get(targets[iv + 1][0]) as number) : -1;
      let b: Val = {
        covered: skipNext < 0 ? 0 : val[k][skipNext].covered,
        cost: skipNext < 0 ? ZERO_COST : val[k][skipNext].cost,
        end: pos,
        next: skipNext,
        skip: true,
      };
      if (k > 0) {
        for (const opt of endOptions(targets, maxLen, pos, iv)) {
          const next = opt.nextPos === null ? -1 : (at.get(opt.nextPos) as number);
          const rest = next < 0 ? { covered: 0, cost: ZERO_COST } : val[k - 1][next];
          const cand: Val = {
            covered: coveredBefore(opt.end) - coveredBefore(pos) + rest.covered,
            cost: addCost(rangeCost(opt.end - pos), rest.cost),
            end: opt.end,
            next,
            skip: false,
          };
          if (better(cand, b)) b = cand;
        }
      }
      val[k][i] = b;
    }
  }
  for (let k = 1; k <= maxSpans; k++) {
    const spans: Span[] = [];
    let i = 0;
    let kk = k;
    while (i >= 0) {
      const v = val[kk][i];
      if (!v.skip) {
        spans.push([states[i].pos, v.end]);
        kk--;
      }
      i = v.next;
    }
    out.push({ covered: val[k][0].covered, spans });
  }
  return out;
}
