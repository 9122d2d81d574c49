import { containsIndex, type MsrInterval, normalizeIntervals } from './intervals';
import { addCost, compareCost, type PackCost, rangeCost, type Span, ZERO_COST } from './optimal-ranges';

/**
 * Packing reads and writes together. The kernel keeps one bitmap per range and, for each access type, lets the
 * first range whose flags hold that type decide. A READ|WRITE range gives one bit to both types, so it cannot by
 * itself decide an MSR whose read and write must differ; an earlier READ or WRITE range over that MSR settles one
 * type and leaves the other to it. So a policy is three layers of spans: READ, WRITE and READ|WRITE ranges, the
 * single-type ones placed first (any policy can be reordered so, without losing what it can express, and spans of
 * one layer can be made disjoint without adding a range). For every MSR, with r, w, b saying which layers cover it:
 *   both flipped:      (r or b) and (w or b)
 *   only read flipped: r or (b and w)            only write flipped: w or (b and r)
 *   neither:           anything
 * and on kernels that refuse overlapping ranges sharing a flag (the allow-list series): never b with r or w.
 * An MSR "flipped" for a type gets the opposite of the default action for that type.
 */

/** The class of a run of MSRs: which types are flipped (bit 0: read, bit 1: write). */
export type CoverClass = 0 | 1 | 2 | 3;

export const LAYER_READ = 0;
export const LAYER_WRITE = 1;
export const LAYER_BOTH = 2;

export interface MixedCoverInput {
  /** Coordinates c0 < c1 < ... ; segment j is [xs[j], xs[j+1]). */
  xs: readonly number[];
  /** The class of each segment. */
  cls: readonly CoverClass[];
  /** The most MSRs one range may hold. */
  maxLen: number;
  /** Ranges sharing a flag may not overlap (the allow-list series' rule). */
  strict: boolean;
  /** The cost of one range of n MSRs (default rangeCost). */
  cost?: (nmsrs: number) => PackCost;
  /**
   * Nearest mode: at most this many ranges; targets may be left at the default, fewest first (counted per MSR and
   * type). Without it every target is met with the fewest ranges.
   */
  budget?: number;
  /** Give up (return null) after visiting this many states. */
  stateLimit?: number;
  /** Keep at most this many states per set of open layers (a bounded search: the result says if it cut any). */
  beam?: number;
  /**
   * Try every choice at every coordinate (the plain reference in tests). Otherwise a span starts only where its
   * layer is needed, and a span is cut into two only when it cannot go on (neither loses a cheaper cover: a start
   * moved right to where it is needed costs no more, and a cut moved to the last place it is possible neither).
   */
  exhaustive?: boolean;
}

export interface MixedCover {
  /** Spans per layer: [READ, WRITE, READ|WRITE], each sorted and disjoint. */
  layers: [Span[], Span[], Span[]];
  cost: PackCost;
  /** Target (MSR, type) pairs left at the default (nearest mode only). */
  unmet: number;
  /** The targets left at the default, per type (nearest mode only). */
  dropped: { read: MsrInterval[]; write: MsrInterval[] };
  /** The beam cut states: the cover is the best found, not proven the cheapest. */
  truncated: boolean;
}

/** Which coverings satisfy a class (bit 0: READ layer, bit 1: WRITE layer, bit 2: READ|WRITE layer). */
export function coverSatisfies(cls: CoverClass, cover: number, strict: boolean): boolean {
  const r = (cover & 1) !== 0;
  const w = (cover & 2) !== 0;
  const b = (cover & 4) !== 0;
  if (strict && b && (r || w)) return false;
  switch (cls) {
    case 0:
      return true;
    case 1:
      return r || (b && w);
    case 2:
      return w || (b && r);
    default:
      return (r || b) && (w || b);
  }
}

/** Every newly started span is needed here: without it the segment's class would not be met. */
function freshSpansNeeded(met: CoverClass, cover: number, fresh: number, strict: boolean): boolean {
  for (let l = 0; l < 3; l++) if (fresh & (1 << l) && coverSatisfies(met, cover & ~(1 << l), strict)) return false;
  return true;
}

interface State {
  /** Open span start per layer, or -1. */
  s0: number;
  s1: number;
  s2: number;
  g: PackCost;
  unmet: number;
  parent: State | null;
  /** Spans closed on the way into this state: [layer, start, end]. */
  closed: [number, number, number][] | null;
  /** The segment's class as met (nearest mode; differs from the input class where targets were dropped). */
  met: CoverClass;
}

const starts = (s: State) => [s.s0, s.s1, s.s2];

function pattern(s: State): number {
  return (s.s0 >= 0 ? 1 : 0) | (s.s1 >= 0 ? 2 : 0) | (s.s2 >= 0 ? 4 : 0);
}

function openCount(s: State): number {
  return (s.s0 >= 0 ? 1 : 0) + (s.s1 >= 0 ? 1 : 0) + (s.s2 >= 0 ? 1 : 0);
}

/** A dominates B: every completion of B is at least as good from A (same open layers, spans no older). */
function dominates(a: State, b: State, nearest: boolean): boolean {
  if (a.s0 < b.s0 || a.s1 < b.s1 || a.s2 < b.s2) return false;
  if (!nearest) return compareCost(a.g, b.g) <= 0;
  if (a.unmet > b.unmet || a.g.ranges > b.g.ranges) return false;
  return (
    a.g.kernelBytes - b.g.kernelBytes < 0 || (a.g.kernelBytes === b.g.kernelBytes && a.g.bitmapBytes <= b.g.bitmapBytes)
  );
}

function objective(a: State, b: State): number {
  return a.unmet - b.unmet || compareCost(a.g, b.g);
}

/** Per layer: 0 not covering, 1 continuing the open span, 2 a new span from this segment's start. */
const CHOICES: [number, number, number][] = [];
for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 3; c++) CHOICES.push([a, b, c]);

/** The classes a segment may be met as in nearest mode, with the (MSR, type) pairs each leaves unmet per MSR. */
function metOptions(cls: CoverClass, nearest: boolean): [CoverClass, number][] {
  if (!nearest || cls === 0) return [[cls, 0]];
  if (cls === 3)
    return [
      [3, 0],
      [1, 1],
      [2, 1],
      [0, 2],
    ];
  return [
    [cls, 0],
    [0, 1],
  ];
}

/**
 * The cheapest three-layer cover of the segments (fewest ranges, then kernel bitmap bytes, then bitmap bytes), by
 * dynamic programming over the coordinates with dominance pruning; in nearest mode the fewest unmet targets within
 * the budget first. Exact over covers whose span ends are coordinates. Null when the state limit is reached.
 */
export function mixedCover(input: MixedCoverInput): MixedCover | null {
  const { xs, cls, maxLen, strict } = input;
  const cost = input.cost ?? rangeCost;
  const nearest = input.budget !== undefined;
  const budget = input.budget ?? Number.POSITIVE_INFINITY;
  const limit = input.stateLimit ?? 4_000_000;
  const exhaustive = input.exhaustive ?? false;
  let visited = 0;
  let truncated = false;
  let states: State[] = [{ s0: -1, s1: -1, s2: -1, g: ZERO_COST, unmet: 0, parent: null, closed: null, met: 0 }];
  for (let j = 0; j < cls.length; j++) {
    const x = xs[j];
    const y = xs[j + 1];
    const len = y - x;
    const free = cls[j] === 0;
    const next: State[] = [];
    for (const st of states) {
      const open = starts(st);
      for (const choice of CHOICES) {
        let ok = true;
        let cover = 0;
        let fresh = 0;
        for (let l = 0; l < 3 && ok; l++) {
          const c = choice[l];
          const canGoOn = open[l] >= 0 && y - open[l] <= maxLen;
          if (c === 1) ok = canGoOn;
          else if (c === 2) ok = !free && len <= maxLen && (exhaustive || !canGoOn);
          if (c !== 0) cover |= 1 << l;
          if (c === 2) fresh |= 1 << l;
        }
        if (!ok) continue;
        for (const [met, perMsr] of metOptions(cls[j], nearest)) {
          if (!coverSatisfies(met, cover, strict)) continue;
          if (!exhaustive && fresh && !freshSpansNeeded(met, cover, fresh, strict)) continue;
          let g = st.g;
          let closed: [number, number, number][] | null = null;
          const ns = [-1, -1, -1];
          for (let l = 0; l < 3; l++) {
            const c = choice[l];
            if (open[l] >= 0 && c !== 1) {
              g = addCost(g, cost(x - open[l]));
              if (!closed) closed = [];
              closed.push([l, open[l], x]);
            }
            ns[l] = c === 1 ? open[l] : c === 2 ? x : -1;
          }
          const n: State = {
            s0: ns[0],
            s1: ns[1],
            s2: ns[2],
            g,
            unmet: st.unmet + perMsr * len,
            parent: st,
            closed,
            met,
          };
          if (nearest && n.g.ranges + openCount(n) > budget) continue;
          next.push(n);
        }
      }
    }
    visited += next.length;
    if (visited > limit) return null;
    const pruned = prune(next, nearest, input.beam ?? Number.POSITIVE_INFINITY);
    states = pruned.states;
    if (pruned.truncated) truncated = true;
  }
  // close what is still open
  let best: State | null = null;
  const end = xs[xs.length - 1];
  for (const st of states) {
    let g = st.g;
    const closed: [number, number, number][] = [];
    const open = starts(st);
    for (let l = 0; l < 3; l++) {
      if (open[l] >= 0) {
        g = addCost(g, cost(end - open[l]));
        closed.push([l, open[l], end]);
      }
    }
    const fin: State = { s0: -1, s1: -1, s2: -1, g, unmet: st.unmet, parent: st, closed, met: 0 };
    if (nearest && fin.g.ranges > budget) continue;
    if (!best || objective(fin, best) < 0) best = fin;
  }
  if (!best) return null;
  const layers: [Span[], Span[], Span[]] = [[], [], []];
  const dropped = { read: [] as MsrInterval[], write: [] as MsrInterval[] };
  // walk back: the state after segment j is at depth j + 1
  const chain: State[] = [];
  for (let s: State | null = best; s; s = s.parent) chain.push(s);
  chain.reverse(); // [initial, after seg 0, ..., after seg K-1, final]
  for (let k = 1; k < chain.length; k++) {
    const s = chain[k];
    for (const [l, a, b] of s.closed ?? []) layers[l].push([a, b]);
    const j = k - 1;
    if (j < cls.length && nearest) {
      const lost = cls[j] & ~s.met;
      if (lost & 1) dropped.read.push([xs[j], xs[j + 1]]);
      if (lost & 2) dropped.write.push([xs[j], xs[j + 1]]);
    }
  }
  for (const l of layers) l.sort((a, b) => a[0] - b[0]);
  return {
    layers,
    cost: best.g,
    unmet: best.unmet,
    dropped: { read: normalizeIntervals(dropped.read), write: normalizeIntervals(dropped.write) },
    truncated,
  };
}

function prune(list: State[], nearest: boolean, beam: number): { states: State[]; truncated: boolean } {
  // a state with more closed ranges than another's closed and open ones together can never catch up: that one may
  // close everything here and open afresh wherever this one's spans continue
  let bound = Number.POSITIVE_INFINITY;
  if (!nearest) for (const s of list) bound = Math.min(bound, s.g.ranges + openCount(s));
  const groups = new Map<number, State[]>();
  for (const s of list) {
    if (s.g.ranges > bound) continue;
    const p = pattern(s);
    const g = groups.get(p);
    if (g) g.push(s);
    else groups.set(p, [s]);
  }
  const out: State[] = [];
  let truncated = false;
  for (const group of groups.values()) {
    group.sort((a, b) => objective(a, b) || b.s0 + b.s1 + b.s2 - (a.s0 + a.s1 + a.s2));
    const kept: State[] = [];
    for (const s of group) {
      if (kept.some((k) => dominates(k, s, nearest))) continue;
      if (kept.length >= beam) {
        truncated = true;
        break;
      }
      kept.push(s);
    }
    out.push(...kept);
  }
  return { states: out, truncated };
}

/** The cost that counts ranges only (the first pass of bestMixedCover). */
const RANGES_ONLY = (): PackCost => ({ ranges: 1, kernelBytes: 0, bitmapBytes: 0 });

/**
 * The cover with the fewest ranges, then bytes: an exact search counting ranges only, and a bounded search over
 * the full cost; the bounded one is taken when it is as few ranges (the bytes are then the best it found, and
 * proven least unless it cut states), else the exact one re-costed. Null when even the exact search is too large.
 */
export function bestMixedCover(input: Omit<MixedCoverInput, 'beam' | 'cost'>, beam = 48): MixedCover | null {
  const full = mixedCover({ ...input, beam });
  if (full && !full.truncated) return full;
  const fewest = mixedCover({ ...input, cost: RANGES_ONLY });
  if (!fewest) return full;
  if (full && (input.budget === undefined ? full.cost.ranges <= fewest.cost.ranges : full.unmet <= fewest.unmet))
    return full;
  let cost = ZERO_COST;
  for (const layer of fewest.layers) for (const [s, e] of layer) cost = addCost(cost, rangeCost(e - s));
  return { ...fewest, cost, truncated: true };
}

/** The classes of [lo, hi) from the read and write targets, as coordinates and segment classes. */
export function coverSegments(
  read: readonly MsrInterval[],
  write: readonly MsrInterval[],
  maxLen: number,
  everyIndex = false,
): { xs: number[]; cls: CoverClass[] } {
  const r = normalizeIntervals(read);
  const w = normalizeIntervals(write);
  const edges = new Set<number>();
  for (const [s, e] of [...r, ...w]) {
    edges.add(s);
    edges.add(e);
  }
  if (edges.size === 0) return { xs: [], cls: [] };
  let xs = [...edges].sort((a, b) => a - b);
  if (everyIndex) {
    const all: number[] = [];
    for (let i = xs[0]; i <= xs[xs.length - 1]; i++) all.push(i);
    xs = all;
  }
  // every edge is a coordinate, so a segment lies wholly inside or outside each list
  const classOf = (a: number): CoverClass =>
    ((containsIndex(r, a) ? 1 : 0) | (containsIndex(w, a) ? 2 : 0)) as CoverClass;
  let cls = xs.slice(0, -1).map(classOf);
  if (!everyIndex) {
    // cut points: a range that cannot reach a run's end should be as long as it may be, from either side
    const inTarget = (p: number) => {
      let lo = 0;
      let hi = cls.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (p < xs[mid]) hi = mid - 1;
        else if (p >= xs[mid + 1]) lo = mid + 1;
        else return cls[mid] !== 0 && p > xs[mid];
      }
      return false;
    };
    const extra = new Set<number>();
    for (const b of xs) {
      for (let p = b + maxLen; inTarget(p); p += maxLen) extra.add(p);
      for (let p = b - maxLen; inTarget(p); p -= maxLen) extra.add(p);
    }
    if (extra.size) {
      xs = [...new Set([...xs, ...extra])].sort((a, b) => a - b);
      cls = xs.slice(0, -1).map(classOf);
    }
  }
  return { xs, cls };
}
