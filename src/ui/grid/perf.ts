/**
 * Frame-time instrumentation of the grid, off unless a harness turns it on (one boolean test per event when off).
 * For each pointer event: `handler` is the time from entering the handler to the end of its own synchronous paint;
 * `commit` the time until the grid has painted the owner's new `ranges` (the confirmed state); `frame` the time
 * until the next animation frame after that, i.e. when the browser shows it.
 */
export interface PointerSample {
  type: string;
  /** Whether the event changed bits (painted cells). */
  applied: boolean;
  handler: number;
  commit?: number;
  frame?: number;
  /** Handler entry to the next animation frame after the handler's own paint: when that paint is shown. */
  shown?: number;
  /** event.timeStamp to handler entry: the browser's own queueing, for information. */
  queue: number;
}

export interface GridPerf {
  enabled: boolean;
  samples: PointerSample[];
  /** Samples waiting for the props commit, with their start times. */
  pending: { t0: number; sample: PointerSample }[];
  /** Full paints: duration of the paint itself, ms. */
  fullPaints: number[];
  /** performance.now() when the first full paint ended, and how long that paint took. */
  firstPaintEnd: number | null;
  firstPaintMs: number | null;
  /** Where the first full paint's time went. */
  firstPaintBreakdown: { setup: number; raster: number; put: number; text: number } | null;
  /** Set by a harness: performance.now() when it asked React to render the page. */
  mountStart: number | null;
  /** performance.now() when the grid first rendered (its function body ran with the ranges). */
  firstRender: number | null;
  /** performance.now() of the first animation frame after the first full paint. */
  firstFrame: number | null;
}

export const gridPerf: GridPerf = {
  enabled: false,
  samples: [],
  pending: [],
  fullPaints: [],
  firstPaintEnd: null,
  firstPaintMs: null,
  firstPaintBreakdown: null,
  mountStart: null,
  firstRender: null,
  firstFrame: null,
};

/** Starts timing a pointer event: call first thing in the handler. Null when timing is off. */
export function perfBegin(type: string, timeStamp: number): { t0: number; sample: PointerSample } | null {
  if (!gridPerf.enabled) return null;
  const t0 = performance.now();
  const sample: PointerSample = { type, applied: false, handler: Number.NaN, queue: Math.max(0, t0 - timeStamp) };
  const token = { t0, sample };
  // pending from the start: with a synchronous owner the commit happens inside the handler
  gridPerf.pending.push(token);
  return token;
}

/** Ends timing a pointer event after its synchronous paint. */
export function perfEnd(token: { t0: number; sample: PointerSample } | null, applied: boolean): void {
  if (!token) return;
  const { t0, sample } = token;
  const now = performance.now();
  sample.handler = now - t0;
  sample.applied = applied;
  gridPerf.samples.push(sample);
  if (!applied) {
    gridPerf.pending = gridPerf.pending.filter((p) => p !== token);
    sample.commit = sample.handler;
    sample.frame = undefined;
  } else if (sample.commit !== undefined) {
    sample.commit = Math.max(sample.commit, sample.handler);
  }
  requestAnimationFrame(() => {
    sample.shown = performance.now() - t0;
    if (!applied) sample.frame = sample.shown;
  });
}

/** The grid has painted new `ranges` from its owner: every pending event is committed. */
export function perfCommit(): void {
  if (!gridPerf.enabled || gridPerf.pending.length === 0) return;
  const now = performance.now();
  const done = gridPerf.pending;
  gridPerf.pending = [];
  for (const p of done) p.sample.commit = now - p.t0;
  requestAnimationFrame(() => {
    const t = performance.now();
    for (const p of done) p.sample.frame = t - p.t0;
  });
}

export function perfFullPaint(ms: number, breakdown?: GridPerf['firstPaintBreakdown']): void {
  if (!gridPerf.enabled) return;
  gridPerf.fullPaints.push(ms);
  if (gridPerf.firstPaintEnd === null) {
    gridPerf.firstPaintEnd = performance.now();
    gridPerf.firstPaintMs = ms;
    gridPerf.firstPaintBreakdown = breakdown ? { ...breakdown } : null;
    requestAnimationFrame(() => {
      gridPerf.firstFrame = performance.now();
    });
  }
}

export function resetGridPerf(): void {
  gridPerf.samples = [];
  gridPerf.pending = [];
  gridPerf.fullPaints = [];
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
