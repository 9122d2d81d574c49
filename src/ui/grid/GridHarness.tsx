/**
 * A dev and test page for the bitmap grid alone (`?grid-harness`), with its own state so the grid's tests do not
 * depend on the app's store. Query options: `ranges` (count, default 16), `nmsrs` (per range, default 0x3000),
 * `zoom` (default 8), `fill` (`pattern` | `deny` | `allow`, default pattern).
 * It exposes `window.__gridHarness` for Playwright: the state, bit read-back, call counters and setters.
 */
import { StrictMode, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { type FilterRange, testBit } from '../../core/index';
import { BitmapGrid } from './BitmapGrid';
import { cellCenter, computeLayout } from './geometry';
import { applyOp, type HarnessOptions, harnessOptions, harnessRanges } from './harness-data';
import { gridPerf, percentile, resetGridPerf } from './perf';
import type { GridOp, GridSelection } from './types';

export interface HarnessApi {
  ranges: readonly FilterRange[];
  selection: GridSelection | null;
  zoom: number;
  focus: { range: number; bit: number; index: number } | null;
  applies: { range: number; from: number; to: number; op: GridOp }[];
  gestures: { start: number; end: number };
  bit(range: number, bit: number): boolean;
  countAllowed(range: number, from: number, to: number): number;
  setDecided(d: { range: number; bit: number } | null): void;
  jump(index: number): void;
  setZoom(z: number): void;
  /** Client coordinates of a cell's centre at the current scroll position (the grid's own layout math). */
  cellPoint(range: number, bit: number): { x: number; y: number; visible: boolean };
  perf: typeof gridPerf;
  resetPerf(): void;
  percentile: typeof percentile;
}

declare global {
  interface Window {
    __gridHarness?: HarnessApi;
  }
}

export function GridHarness({ options }: { options?: HarnessOptions }) {
  const [opts] = useState(() => options ?? harnessOptions(typeof location === 'undefined' ? '' : location.search));
  const [ranges, setRanges] = useState(() => harnessRanges(opts));
  const [zoom, setZoom] = useState(opts.zoom);
  const [selection, setSelection] = useState<GridSelection | null>(null);
  const [decided, setDecided] = useState<{ range: number; bit: number } | null>(null);
  const [jumpTo, setJumpTo] = useState<{ index: number; seq: number } | null>(null);
  const [focus, setFocus] = useState<HarnessApi['focus']>(null);
  const [gestures, setGestures] = useState({ start: 0, end: 0 });
  const applies = useRef<HarnessApi['applies']>([]);

  useEffect(() => {
    const api: HarnessApi = {
      ranges,
      selection,
      zoom,
      focus,
      applies: applies.current,
      gestures,
      bit: (r, b) => testBit(ranges[r].bitmap, b),
      countAllowed: (r, from, to) => {
        let n = 0;
        for (let b = from; b < to; b++) if (testBit(ranges[r].bitmap, b)) n++;
        return n;
      },
      setDecided,
      jump: (index) => setJumpTo((j) => ({ index, seq: (j?.seq ?? 0) + 1 })),
      setZoom,
      cellPoint: (r, b) => {
        const scroller = document.querySelector<HTMLElement>('[data-testid="msr-grid-scroll"]');
        const surface = document.querySelector<HTMLElement>('.msr-grid-surface');
        if (!scroller || !surface) throw new Error('no grid');
        const layout = computeLayout(ranges, zoom, scroller.clientWidth);
        if (String(layout.cols) !== surface.dataset.cols) throw new Error('layout mismatch');
        const c = cellCenter(layout, r, b);
        const rect = surface.getBoundingClientRect();
        const y = rect.top + c.y - scroller.scrollTop;
        return { x: rect.left + c.x, y, visible: y >= rect.top && y < rect.bottom };
      },
      perf: gridPerf,
      resetPerf: resetGridPerf,
      percentile,
    };
    window.__gridHarness = api;
  }, [ranges, selection, zoom, focus, gestures]);

  let allowed = 0;
  for (const r of ranges) for (const byte of r.bitmap) allowed += POPCOUNT[byte];

  return (
    <main
      className="grid-harness"
      style={{ padding: '0.75rem', ['--msr-grid-max-height' as string]: 'calc(100vh - 11rem)' }}
    >
      <h1 style={{ fontSize: '1.1rem', margin: '0 0 0.5rem' }}>Bitmap grid harness</h1>
      <BitmapGrid
        ranges={ranges}
        decided={decided}
        zoom={zoom}
        onZoomChange={setZoom}
        selection={selection}
        onSelectionChange={setSelection}
        onApply={(range, from, to, op) => {
          applies.current.push({ range, from, to, op });
          // synchronous, like the app's zustand store (useSyncExternalStore updates render in the same task)
          flushSync(() => setRanges((rs) => applyOp(rs, range, from, to, op)));
        }}
        onGestureStart={() => setGestures((g) => ({ ...g, start: g.start + 1 }))}
        onGestureEnd={() => setGestures((g) => ({ ...g, end: g.end + 1 }))}
        jumpTo={jumpTo}
        onFocusChange={setFocus}
      />
      <p data-testid="harness-state" data-allowed={allowed} data-gestures={`${gestures.start}/${gestures.end}`}>
        {allowed} MSRs allowed in {ranges.length} ranges · {gestures.end} edits{' '}
        <button type="button" onClick={() => setJumpTo((j) => ({ index: 0x10, seq: (j?.seq ?? 0) + 1 }))}>
          Jump to IA32_TSC (prop)
        </button>{' '}
        <button type="button" onClick={() => setDecided({ range: 0, bit: 0x10 })}>
          Mark 0x10 as decided
        </button>
      </p>
    </main>
  );
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let n = 0;
  for (let v = i; v; v >>= 1) n += v & 1;
  return n;
});

/** Mounts the harness on `el` (main.tsx calls this for `?grid-harness`) with frame timing switched on. */
export function mountGridHarness(el: HTMLElement): void {
  document.title = 'Bitmap grid harness · MSR Filter Playground';
  gridPerf.enabled = true;
  gridPerf.mountStart = performance.now();
  createRoot(el).render(
    <StrictMode>
      <GridHarness />
    </StrictMode>,
  );
}
