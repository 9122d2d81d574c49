/**
 * The bitmap grid: every bit of every range on a canvas, virtualised to the visible rows of a scroll container.
 * Click toggles, drag paints (the first cell's new value decides allow or deny for the whole drag), Shift+drag
 * selects a span, A/D/I or the toolbar apply allow/deny/invert to the selection (or the focused cell). One tab
 * stop; arrows, Home/End, PageUp/PageDown, Ctrl+Home/End move the focus; Space toggles; Shift extends the
 * selection; a polite live region announces the focused MSR.
 *
 * The grid owns no document state: it renders `ranges` and reports edits through `onApply`, bracketed by
 * `onGestureStart`/`onGestureEnd` (one undo step per drag or key). It paints an edit in the event handler itself,
 * ahead of the new props (see GridPainter), so each pointer event is on screen within its frame.
 */
import {
  type FormEvent,
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { hex32, msrName, testBit } from '../../core/index';
import {
  type Cell,
  COLUMN_CHOICES,
  cellRect,
  cellsAlong,
  clampCell,
  clampSelection,
  computeLayout,
  FALLBACK_HEIGHT,
  FALLBACK_WIDTH,
  firstCell,
  type GridLayout,
  hitTest,
  hitTestInRange,
  type NavKey,
  navigate,
  pageRows,
  rangeCovering,
  scrollToReveal,
  stepZoom,
  toSpans,
} from './geometry';
import { Overview } from './Overview';
import { GridPainter, type PaintInput } from './painter';
import { gridPerf, perfBegin, perfCommit, perfEnd, perfFullPaint } from './perf';
import { COLOR_VARS, FALLBACK_COLORS, type GridColors, parseColor } from './raster';
import { describeCell, describeSelection, resolveJump } from './text';
import type { BitmapGridProps, GridOp, GridSelection } from './types';
import './grid.css';

export type { BitmapGridProps, GridCell, GridOp, GridSelection } from './types';

type Drag =
  | {
      kind: 'paint';
      pointerId: number;
      op: 'allow' | 'deny';
      last: { x: number; y: number };
      lastCell: Cell;
      visited: Set<number>;
    }
  | { kind: 'select'; pointerId: number; anchor: Cell }
  | { kind: 'tap'; pointerId: number; cell: Cell };

const cellKey = (c: Cell) => c.range * 0x10_0000 + c.bit;
const sameCell = (a: Cell | null, b: Cell | null) => a === b || (!!a && !!b && a.range === b.range && a.bit === b.bit);
const sameSel = (a: GridSelection | null, b: GridSelection | null) =>
  a === b || (!!a && !!b && a.range === b.range && a.from === b.from && a.to === b.to);

const NAV_KEYS: Record<string, NavKey> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
};

/** Turns any CSS colour the browser understands into one the rasteriser can parse (rgb/rgba/hex). */
function canonicalColor(css: string, scratch: () => CanvasRenderingContext2D | null): string | null {
  if (parseColor(css)) return css;
  const ctx = scratch();
  if (!ctx) return null;
  try {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#010203';
    ctx.fillStyle = css;
    if (ctx.fillStyle === '#010203') return null;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    if (d[3] === 0) return null;
    return `rgba(${d[0]}, ${d[1]}, ${d[2]}, ${(d[3] / 255).toFixed(3)})`;
  } catch {
    return null;
  }
}

/** Reads --grid-* from the element's computed style, resolving each through a probe (light-dark(), var(), oklch). */
function readColors(root: HTMLElement, probe: HTMLElement | null): GridColors {
  const out: GridColors = { ...FALLBACK_COLORS };
  let scratchCtx: CanvasRenderingContext2D | null | undefined;
  const scratch = () => {
    if (scratchCtx === undefined) {
      const c = document.createElement('canvas');
      c.width = 1;
      c.height = 1;
      scratchCtx = c.getContext('2d', { willReadFrequently: true });
    }
    return scratchCtx;
  };
  let style: CSSStyleDeclaration;
  let docStyle: CSSStyleDeclaration | null = null;
  try {
    style = getComputedStyle(root);
  } catch {
    return out;
  }
  for (const { key, cssVar } of COLOR_VARS) {
    let raw = style.getPropertyValue(cssVar).trim();
    if (!raw) {
      // environments without custom-property inheritance (happy-dom): ask the document element directly
      docStyle ??= getComputedStyle(document.documentElement);
      raw = docStyle.getPropertyValue(cssVar).trim();
    }
    if (!raw) continue;
    let resolved = raw;
    if (probe) {
      probe.style.color = '';
      probe.style.color = raw;
      const c = probe.style.color ? getComputedStyle(probe).color : '';
      if (c) resolved = c;
    }
    out[key] = canonicalColor(resolved, scratch) ?? (canonicalColor(raw, scratch) || out[key]);
  }
  return out;
}

export function BitmapGrid(props: BitmapGridProps) {
  const { ranges, decided, zoom, selection, jumpTo } = props;
  if (gridPerf.enabled && gridPerf.firstRender === null) gridPerf.firstRender = performance.now();
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const surfaceRef = useRef<HTMLDivElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const probeRef = useRef<HTMLSpanElement>(null);
  const painterRef = useRef<GridPainter | null>(null);
  if (!painterRef.current) painterRef.current = new GridPainter();
  const painter = painterRef.current;

  const [viewport, setViewport] = useState<{ w: number; h: number } | null>(null);
  const [dpr, setDpr] = useState(() => (typeof window !== 'undefined' && window.devicePixelRatio) || 1);
  const [colors, setColors] = useState<GridColors>(FALLBACK_COLORS);
  const [focus, setFocus] = useState<Cell | null>(null);
  const [hover, setHover] = useState<Cell | null>(null);
  const [surfaceFocused, setSurfaceFocused] = useState(false);
  const [focusWithin, setFocusWithin] = useState(false);
  const [jumpText, setJumpText] = useState('');
  const [jumpError, setJumpError] = useState('');
  const [notice, setNotice] = useState('');
  /** 16, 32 or 64 columns, or 0: as many as fit. */
  const [colsWanted, setColsWanted] = useState(0);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  /** What a plain drag (mouse) or a long press then drag (touch) does. */
  const [dragMode, setDragMode] = useState<'paint' | 'select'>('paint');

  const shapeKey = ranges.map((r) => `${r.base}:${r.nmsrs}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the layout depends on the ranges' shapes only (shapeKey)
  const layout: GridLayout = useMemo(
    () =>
      computeLayout(ranges, zoom, viewport?.w ?? FALLBACK_WIDTH, {
        cols: colsWanted || undefined,
        collapsed: collapsed.size ? collapsed : undefined,
      }),
    [shapeKey, zoom, viewport?.w, colsWanted, collapsed],
  );
  const canvasW = Math.max(viewport?.w ?? FALLBACK_WIDTH, layout.width);
  const canvasH = Math.max(0, Math.min(viewport?.h ?? FALLBACK_HEIGHT, layout.totalHeight));

  const focusCell = clampCell(layout, focus);
  const hoverCell = hover && hitTestValid(layout, hover) ? hover : null;
  const sel = clampSelection(layout, selection);
  const decidedCell = decided && hitTestValid(layout, decided) ? decided : null;

  // Latest values for native listeners and handlers.
  const live = useRef({ props, layout, focusCell, sel, canvasW, canvasH, dpr, colors, hoverCell, dragMode, collapsed });
  live.current = { props, layout, focusCell, sel, canvasW, canvasH, dpr, colors, hoverCell, dragMode, collapsed };
  /** The pointer's last position during a drag (for auto-scroll past an edge) and the long-press timer. */
  const pointer = useRef<{ x: number; y: number; id: number } | null>(null);
  const autoScroll = useRef<number | null>(null);
  const longPress = useRef<{ timer: ReturnType<typeof setTimeout>; x: number; y: number } | null>(null);
  const drag = useRef<Drag | null>(null);
  const pendingJump = useRef<{ index: number; focusSurface: boolean; range: number } | null>(null);
  const anchor = useRef<Cell | null>(null);
  const zoomAnchor = useRef<{ cell: Cell; offsetY: number } | null>(null);
  const prevLayout = useRef<GridLayout | null>(null);
  const prevRanges = useRef(ranges);
  const wheelAcc = useRef(0);

  const paintInput = useCallback((): PaintInput => {
    const l = live.current;
    return {
      ranges: l.props.ranges,
      layout: l.layout,
      width: l.canvasW,
      height: l.canvasH,
      dpr: l.dpr,
      scrollTop: scrollRef.current?.scrollTop ?? 0,
      colors: l.colors,
    };
  }, []);

  const paintOverlay = useCallback(() => {
    const l = live.current;
    painter.paintOverlay({
      focus: l.focusCell,
      showFocus: document.activeElement === surfaceRef.current,
      hover: l.hoverCell,
      decided: l.props.decided && hitTestValid(l.layout, l.props.decided) ? l.props.decided : null,
      selection: l.sel,
      marks: l.props.marks,
    });
  }, [painter]);

  // Measure the scroll container; follow its size.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => {
      const w = el.clientWidth || FALLBACK_WIDTH;
      const h = el.clientHeight || FALLBACK_HEIGHT;
      setViewport((v) => (v && v.w === w && v.h === h ? v : { w, h }));
      setDpr(window.devicePixelRatio || 1);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);

  // Colours from CSS variables; re-read when the theme may have changed.
  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const read = () => {
      const c = readColors(root, probeRef.current);
      setColors((old) => (JSON.stringify(old) === JSON.stringify(c) ? old : c));
    };
    read();
    const mo = typeof MutationObserver !== 'undefined' ? new MutationObserver(read) : null;
    const attrs = { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-color-scheme'] };
    mo?.observe(document.documentElement, attrs);
    if (document.body) mo?.observe(document.body, attrs);
    const mq = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    mq?.addEventListener?.('change', read);
    return () => {
      mo?.disconnect();
      mq?.removeEventListener?.('change', read);
    };
  }, []);

  // Keep the cell under the pointer (Ctrl+wheel) or the focused/top cell in place when the zoom changes.
  useLayoutEffect(() => {
    const prev = prevLayout.current;
    prevLayout.current = layout;
    const el = scrollRef.current;
    if (!prev || !el || (prev.zoom === layout.zoom && prev.cols === layout.cols)) return;
    let target = zoomAnchor.current;
    zoomAnchor.current = null;
    if (!target) {
      const top = el.scrollTop;
      const f = clampCell(prev, focus);
      const fr = f ? cellRect(prev, f.range, f.bit) : null;
      if (f && fr && fr.y >= top && fr.y < top + el.clientHeight) target = { cell: f, offsetY: fr.y - top };
      else {
        const c = hitTestInRange(prev, Math.max(0, bandIndexAt(prev, top)), 0, top) ?? null;
        if (c) target = { cell: c, offsetY: cellRect(prev, c.range, c.bit).y - top };
      }
    }
    if (target && target.cell.range < layout.bands.length && layout.bands[target.cell.range].bits > 0) {
      const c = clampCell(layout, target.cell);
      if (c) el.scrollTop = Math.max(0, cellRect(layout, c.range, c.bit).y - target.offsetY);
    }
  });

  // Paint: full when the view changed, else the rows whose bits changed; then the overlay.
  useLayoutEffect(() => {
    if (!viewport) return;
    painter.attach(baseRef.current, overlayRef.current);
    const result = painter.update(paintInput());
    paintOverlay();
    if (result === 'full') perfFullPaint(painter.stats.lastFullMs, painter.stats.lastFull);
    if (prevRanges.current !== ranges) perfCommit();
    prevRanges.current = ranges;
  });

  // Repaint on scroll (the canvases are sticky; the content under them moves).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      if (painter.update(paintInput()) === 'full') perfFullPaint(painter.stats.lastFullMs, painter.stats.lastFull);
      paintOverlay();
      setHover((h) => (h && !drag.current ? null : h));
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [painter, paintInput, paintOverlay]);

  // Ctrl/Cmd+wheel zooms around the pointer.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
      wheelAcc.current += dy;
      if (Math.abs(wheelAcc.current) < 40) return;
      const dir = wheelAcc.current < 0 ? 1 : -1;
      wheelAcc.current = 0;
      const l = live.current;
      const next = stepZoom(l.props.zoom, dir);
      if (next === l.layout.zoom) return;
      const surface = surfaceRef.current;
      if (surface) {
        const rect = surface.getBoundingClientRect();
        const x = e.clientX - rect.left;
        const y = e.clientY - rect.top + el.scrollTop;
        const c = hitTest(l.layout, x, y);
        if (c) zoomAnchor.current = { cell: c, offsetY: cellRect(l.layout, c.range, c.bit).y - el.scrollTop };
      }
      l.props.onZoomChange(next);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // After a long press, the finger paints or selects: the page must not scroll under it.
  useEffect(() => {
    const el = surfaceRef.current;
    if (!el) return;
    const onTouchMove = (e: TouchEvent) => {
      if (drag.current && drag.current.kind !== 'tap' && e.cancelable) e.preventDefault();
    };
    el.addEventListener('touchmove', onTouchMove, { passive: false });
    return () => el.removeEventListener('touchmove', onTouchMove);
  }, []);

  // Announce only while the grid or its tools hold the keyboard focus.
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const onIn = () => setFocusWithin(true);
    const onOut = (e: FocusEvent) => {
      if (!root.contains(e.relatedTarget as Node | null)) setFocusWithin(false);
    };
    root.addEventListener('focusin', onIn);
    root.addEventListener('focusout', onOut);
    return () => {
      root.removeEventListener('focusin', onIn);
      root.removeEventListener('focusout', onOut);
    };
  }, []);

  // Report focus changes.
  const focusIndex = focusCell ? ((ranges[focusCell.range].base >>> 0) + focusCell.bit) >>> 0 : -1;
  // biome-ignore lint/correctness/useExhaustiveDependencies: report only when the focused cell itself changes
  useEffect(() => {
    const cb = live.current.props.onFocusChange;
    const f = live.current.focusCell;
    cb?.(f ? { range: f.range, bit: f.bit, index: focusIndex } : null);
  }, [focusCell?.range, focusCell?.bit, focusIndex]);

  // End a paint gesture that is still open when the grid goes away.
  useEffect(
    () => () => {
      if (drag.current?.kind === 'paint') live.current.props.onGestureEnd();
      drag.current = null;
    },
    [],
  );

  const reveal = useCallback((cell: Cell, center = false) => {
    const el = scrollRef.current;
    if (!el) return;
    const l = live.current;
    const rect = cellRect(l.layout, cell.range, cell.bit);
    const band = l.layout.bands[cell.range];
    const vh = l.canvasH || el.clientHeight;
    let top: number;
    if (center) top = Math.max(0, rect.y - vh / 2);
    else {
      // keep the band's header in view when the cell is in its first row
      const withHeader =
        rect.y - band.cellsTop < l.layout.zoom ? { ...rect, y: band.top, h: rect.y + rect.h - band.top } : rect;
      top = scrollToReveal(el.scrollTop, vh, withHeader);
    }
    if (Math.abs(top - el.scrollTop) >= 0.5) el.scrollTop = top;
  }, []);

  const moveFocus = useCallback((cell: Cell) => setFocus((f) => (sameCell(f, cell) ? f : cell)), []);

  const setSel = useCallback((s: GridSelection | null) => {
    const l = live.current;
    if (!sameSel(l.props.selection, s)) l.props.onSelectionChange(s);
  }, []);

  const apply = useCallback(
    (range: number, from: number, to: number, op: GridOp) => {
      live.current.props.onApply(range, from, to, op);
      painter.applyLocal(range, from, to, op);
    },
    [painter],
  );

  /** One undo step: allow/deny/invert the selection, or the focused cell when nothing is selected. */
  const applyToTarget = useCallback(
    (op: GridOp) => {
      const l = live.current;
      // the selection only while the focus is in it (or nothing is focused): never an off-screen span
      const sel = l.sel && (!l.focusCell || selectionHas(l.sel, l.focusCell)) ? l.sel : null;
      const target =
        sel ?? (l.focusCell ? { range: l.focusCell.range, from: l.focusCell.bit, to: l.focusCell.bit + 1 } : null);
      if (!target) return;
      l.props.onGestureStart();
      apply(target.range, target.from, target.to, op);
      l.props.onGestureEnd();
    },
    [apply],
  );

  const jumpToIndex = useCallback(
    (index: number, focusSurface: boolean, inRange?: number): boolean => {
      const l = live.current;
      const wanted = inRange !== undefined ? l.props.ranges[inRange] : undefined;
      const covers =
        wanted !== undefined && ((index >>> 0) - (wanted.base >>> 0)) >>> 0 < drawnBitsOf(l.layout, inRange as number);
      const r = covers ? (inRange as number) : rangeCovering(l.props.ranges, index);
      if (r < 0) {
        const name = msrName(index);
        setNotice(`MSR ${hex32(index)}${name ? ` ${name}` : ''} is not in any range.`);
        return false;
      }
      const cell = { range: r, bit: ((index >>> 0) - (l.props.ranges[r].base >>> 0)) >>> 0 };
      setNotice('');
      if (l.collapsed.has(r)) {
        // a link into a collapsed range opens it; the jump runs again once the layout has the range's rows
        setCollapsed((c) => withoutKey(c, r));
        pendingJump.current = { index, focusSurface, range: r };
        return true;
      }
      // A/D/I and the toolbar act on what the user sees: a selection the focus leaves is cleared.
      if (l.sel && !selectionHas(l.sel, cell)) {
        anchor.current = null;
        setSel(null);
      }
      moveFocus(cell);
      reveal(cell, true);
      if (focusSurface) {
        surfaceRef.current?.focus({ preventScroll: true });
        // on a phone the grid may be above or below the screen: bring it in
        const box = scrollRef.current?.getBoundingClientRect();
        if (box && (box.bottom < 0 || box.top > window.innerHeight))
          scrollRef.current?.scrollIntoView?.({ block: 'nearest' });
      }
      return true;
    },
    [moveFocus, reveal, setSel],
  );

  // The jumpTo prop: act on each new seq.
  const jumpSeq = jumpTo?.seq;
  useEffect(() => {
    const j = live.current.props.jumpTo;
    if (jumpSeq === undefined || !j) return;
    jumpToIndex(j.index, j.focus !== false, j.range);
  }, [jumpSeq, jumpToIndex]);

  // A jump that had to open a collapsed range first.
  useEffect(() => {
    const p = pendingJump.current;
    if (!p || collapsed.has(p.range)) return;
    pendingJump.current = null;
    jumpToIndex(p.index, p.focusSurface, p.range);
  }, [collapsed, jumpToIndex]);

  const toggleCollapsed = useCallback((range: number) => {
    setCollapsed((c) => (c.has(range) ? withoutKey(c, range) : new Set([...c, range])));
  }, []);

  /** Scrolls the grid so that a range's header is at the top. */
  const scrollToRange = useCallback((range: number) => {
    const el = scrollRef.current;
    const band = live.current.layout.bands[range];
    if (el && band) el.scrollTop = band.top;
  }, []);

  // While a paint or select drag is past the top or bottom edge, scroll, faster the further out the pointer is.
  const stopAutoScroll = () => {
    if (autoScroll.current !== null) cancelAnimationFrame(autoScroll.current);
    autoScroll.current = null;
  };
  const autoScrollTick = () => {
    autoScroll.current = null;
    const el = scrollRef.current;
    const pt = pointer.current;
    const d = drag.current;
    if (!el || !pt || !d || d.kind === 'tap') return;
    const box = el.getBoundingClientRect();
    const over = pt.y < box.top ? pt.y - box.top : pt.y > box.bottom ? pt.y - box.bottom : 0;
    if (over === 0) return;
    const before = el.scrollTop;
    el.scrollTop = before + Math.sign(over) * Math.min(40, 4 + Math.abs(over) / 3);
    if (el.scrollTop !== before) dragTo(pt.x, Math.min(Math.max(pt.y, box.top + 1), box.bottom - 1), pt.id);
    autoScroll.current = requestAnimationFrame(autoScrollTick);
  };

  const toContent = (e: { clientX: number; clientY: number }) => {
    const surface = surfaceRef.current;
    const rect = surface ? surface.getBoundingClientRect() : { left: 0, top: 0 };
    return { x: e.clientX - rect.left, y: e.clientY - rect.top + (scrollRef.current?.scrollTop ?? 0) };
  };

  const capture = (e: PointerEvent) => {
    try {
      e.currentTarget.setPointerCapture?.(e.pointerId);
    } catch {
      // not capturable (synthetic events in tests)
    }
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || drag.current) return;
    const perf = perfBegin(e.type, e.nativeEvent.timeStamp);
    const l = live.current;
    e.currentTarget.focus({ preventScroll: true });
    const pt = toContent(e);
    const cell = hitTest(l.layout, pt.x, pt.y);
    if (!cell) {
      // a click on a range's title line collapses or expands it
      const band = l.layout.bands.find((b) => pt.y >= b.top && pt.y < b.top + 22);
      if (band && e.pointerType !== 'touch') {
        e.preventDefault();
        toggleCollapsed(band.range);
      }
      return;
    }
    e.preventDefault();
    pointer.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
    if (e.shiftKey || (l.dragMode === 'select' && e.pointerType !== 'touch')) {
      drag.current = { kind: 'select', pointerId: e.pointerId, anchor: cell };
      anchor.current = cell;
      moveFocus(cell);
      setSel({ range: cell.range, from: cell.bit, to: cell.bit + 1 });
      capture(e);
      perfEnd(perf, false);
      return;
    }
    anchor.current = null;
    if (l.props.selection) setSel(null);
    moveFocus(cell);
    if (e.pointerType === 'touch') {
      // a touch may become a scroll: toggle on a clean tap only; a long press without moving starts a paint (or a
      // select) drag that follows the finger
      drag.current = { kind: 'tap', pointerId: e.pointerId, cell };
      const startX = e.clientX;
      const startY = e.clientY;
      const id = e.pointerId;
      const target = e.currentTarget;
      cancelLongPress();
      longPress.current = {
        x: startX,
        y: startY,
        timer: setTimeout(() => {
          longPress.current = null;
          const d = drag.current;
          if (d?.kind !== 'tap' || d.pointerId !== id) return;
          try {
            target.setPointerCapture?.(id);
          } catch {
            // the pointer is gone
          }
          if (live.current.dragMode === 'select') {
            drag.current = { kind: 'select', pointerId: id, anchor: d.cell };
            anchor.current = d.cell;
            setSel({ range: d.cell.range, from: d.cell.bit, to: d.cell.bit + 1 });
          } else {
            startPaint(d.cell, id, cellCenterContent(d.cell));
          }
          navigator.vibrate?.(10);
        }, LONG_PRESS_MS),
      };
      return;
    }
    startPaint(cell, e.pointerId, pt);
    capture(e);
    perfEnd(perf, true);
  };

  const LONG_PRESS_MS = 450;
  const cancelLongPress = () => {
    if (longPress.current) clearTimeout(longPress.current.timer);
    longPress.current = null;
  };
  const cellCenterContent = (c: Cell) => {
    const r = cellRect(live.current.layout, c.range, c.bit);
    return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
  };
  /** A paint drag from `cell`: its new value (the inverse of what it was) is painted along the whole drag. */
  function startPaint(cell: Cell, pointerId: number, pt: { x: number; y: number }) {
    const op = painter.bitAt(cell.range, cell.bit) ? 'deny' : 'allow';
    drag.current = { kind: 'paint', pointerId, op, last: pt, lastCell: cell, visited: new Set([cellKey(cell)]) };
    live.current.props.onGestureStart();
    apply(cell.range, cell.bit, cell.bit + 1, 'invert');
  }

  /** Moves an active paint or select drag to a client point (pointer moves and auto-scroll). */
  function dragTo(clientX: number, clientY: number, pointerId: number): boolean {
    const l = live.current;
    const d = drag.current;
    if (!d || d.pointerId !== pointerId) return false;
    const pt = toContent({ clientX, clientY });
    if (d.kind === 'paint') {
      const fresh = cellsAlong(l.layout, d.last, pt).filter((c) => !d.visited.has(cellKey(c)));
      d.last = pt;
      for (const c of fresh) d.visited.add(cellKey(c));
      const spans = toSpans(fresh);
      for (const s of spans) apply(s.range, s.from, s.to, d.op);
      if (fresh.length > 0) d.lastCell = fresh[fresh.length - 1];
      return spans.length > 0;
    }
    if (d.kind === 'select') {
      const c = hitTestInRange(l.layout, d.anchor.range, pt.x, pt.y);
      if (c) {
        moveFocus(c);
        setSel({ range: c.range, from: Math.min(d.anchor.bit, c.bit), to: Math.max(d.anchor.bit, c.bit) + 1 });
      }
    }
    return false;
  }

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const perf = perfBegin(e.type, e.nativeEvent.timeStamp);
    const l = live.current;
    const d = drag.current;
    const pt = toContent(e);
    const lp = longPress.current;
    if (lp && Math.hypot(e.clientX - lp.x, e.clientY - lp.y) > 8) cancelLongPress();
    if (d && d.pointerId === e.pointerId && d.kind !== 'tap') {
      pointer.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
      const painted = dragTo(e.clientX, e.clientY, e.pointerId);
      if (d.kind === 'paint') {
        const h = hitTest(l.layout, pt.x, pt.y);
        setHover((old) => (sameCell(old, h) ? old : h));
      }
      if (autoScroll.current === null) autoScroll.current = requestAnimationFrame(autoScrollTick);
      perfEnd(perf, painted);
      return;
    }
    const h = hitTest(l.layout, pt.x, pt.y);
    setHover((old) => (sameCell(old, h) ? old : h));
    perfEnd(perf, false);
  };

  const endDrag = (e: PointerEvent<HTMLDivElement>, cancelled: boolean) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    cancelLongPress();
    stopAutoScroll();
    pointer.current = null;
    try {
      e.currentTarget.releasePointerCapture?.(e.pointerId);
    } catch {
      // already released
    }
    const l = live.current;
    if (d.kind === 'tap') {
      if (!cancelled) {
        l.props.onGestureStart();
        apply(d.cell.range, d.cell.bit, d.cell.bit + 1, 'invert');
        l.props.onGestureEnd();
      }
      return;
    }
    if (d.kind === 'paint') {
      moveFocus(d.lastCell);
      l.props.onGestureEnd();
      // reconcile with the owner's state once it has had a chance to render
      requestAnimationFrame(() => {
        painter.update(paintInput());
        paintOverlay();
      });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const l = live.current;
    const mod = e.ctrlKey || e.metaKey;
    let nav = NAV_KEYS[e.key];
    if (nav && mod && (e.key === 'Home' || e.key === 'End')) nav = e.key === 'Home' ? 'first' : 'last';
    if (nav) {
      e.preventDefault();
      const cur = l.focusCell;
      if (!cur) {
        const f = firstCell(l.layout);
        if (f) {
          moveFocus(f);
          reveal(f);
        }
        return;
      }
      const page = pageRows(l.layout, l.canvasH);
      if (e.shiftKey) {
        const a = anchor.current && l.sel && l.sel.range === anchor.current.range ? anchor.current : cur;
        anchor.current = a;
        const next = navigate(l.layout, cur, nav, page, a.range);
        moveFocus(next);
        setSel({ range: a.range, from: Math.min(a.bit, next.bit), to: Math.max(a.bit, next.bit) + 1 });
        reveal(next);
      } else {
        const next = navigate(l.layout, cur, nav, page);
        anchor.current = null;
        if (l.props.selection) setSel(null);
        moveFocus(next);
        reveal(next);
      }
      return;
    }
    if (e.altKey) return;
    if (e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      const cur = l.focusCell ?? firstCell(l.layout);
      if (!cur) return;
      if (!l.focusCell) {
        moveFocus(cur);
        return;
      }
      l.props.onGestureStart();
      apply(cur.range, cur.bit, cur.bit + 1, 'invert');
      l.props.onGestureEnd();
      return;
    }
    if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      if (l.focusCell) {
        anchor.current = { range: l.focusCell.range, bit: 0 };
        setSel({ range: l.focusCell.range, from: 0, to: l.layout.bands[l.focusCell.range].bits });
      }
      return;
    }
    if (mod) return;
    const k = e.key.toLowerCase();
    if (k === 'a' || k === 'd' || k === 'i') {
      e.preventDefault();
      applyToTarget(k === 'a' ? 'allow' : k === 'd' ? 'deny' : 'invert');
      return;
    }
    if (e.key === 'Escape') {
      if (l.props.selection) {
        e.preventDefault();
        anchor.current = null;
        setSel(null);
      }
      return;
    }
    if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      l.props.onZoomChange(stepZoom(l.props.zoom, 1));
      return;
    }
    if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      l.props.onZoomChange(stepZoom(l.props.zoom, -1));
    }
  };

  const onJump = (e: FormEvent) => {
    e.preventDefault();
    const r = resolveJump(ranges, jumpText);
    if (!r.ok) {
      setJumpError(r.error);
      return;
    }
    setJumpError('');
    jumpToIndex(r.index, true);
  };

  const describeTarget = hoverCell ?? focusCell;
  const status = describeTarget ? describeCell(ranges, describeTarget.range, describeTarget.bit) : '';
  const announcement =
    focusWithin && focusCell
      ? `${describeCell(ranges, focusCell.range, focusCell.bit)}${sel ? `; ${describeSelection(ranges, sel)}` : ''}`
      : '';
  const hasTarget = !!(sel || focusCell);
  const tooltip = hoverCell
    ? tooltipFor(
        layout,
        ranges,
        hoverCell,
        scrollRef.current?.scrollTop ?? 0,
        canvasW,
        testBit(ranges[hoverCell.range].bitmap, hoverCell.bit),
      )
    : null;
  const errorId = `${id}-jump-error`;

  return (
    <div ref={rootRef} className="msr-grid" data-surface-focused={surfaceFocused || undefined}>
      <div className="msr-grid-tools">
        <fieldset className="msr-grid-group">
          <legend className="msr-grid-sr">Zoom</legend>
          <button
            type="button"
            aria-label="Zoom out"
            title="Zoom out (−, Ctrl+wheel)"
            disabled={layout.zoom <= 2}
            onClick={() => props.onZoomChange(stepZoom(zoom, -1))}
          >
            −
          </button>
          <output className="msr-grid-zoom-value" aria-label="Cell size">
            {layout.zoom} px
          </output>
          <button
            type="button"
            aria-label="Zoom in"
            title="Zoom in (+, Ctrl+wheel)"
            disabled={layout.zoom >= 24}
            onClick={() => props.onZoomChange(stepZoom(zoom, 1))}
          >
            +
          </button>
        </fieldset>
        <label className="msr-grid-group">
          Columns{' '}
          <select
            value={colsWanted}
            onChange={(e) => setColsWanted(Number(e.target.value))}
            aria-label="Columns per row"
          >
            <option value={0}>fit ({layout.cols})</option>
            {COLUMN_CHOICES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <form className="msr-grid-group msr-grid-jump" onSubmit={onJump} noValidate data-native-undo>
          <label htmlFor={`${id}-jump`}>Jump to MSR</label>
          <input
            id={`${id}-jump`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="0x10 or IA32_TSC"
            value={jumpText}
            aria-invalid={jumpError ? true : undefined}
            aria-describedby={jumpError ? errorId : undefined}
            onChange={(e) => {
              setJumpText(e.target.value);
              if (jumpError) setJumpError('');
            }}
          />
          <button type="submit">Go</button>
          <span id={errorId} className="msr-grid-error" role="alert">
            {jumpError}
          </span>
        </form>
        <fieldset className="msr-grid-group msr-grid-mode">
          <legend className="msr-grid-sr">A drag (touch: a long press, then drag)</legend>
          {(['paint', 'select'] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name={`${id}-drag-mode`}
                value={m}
                checked={dragMode === m}
                onChange={() => setDragMode(m)}
              />
              {m === 'paint' ? 'Drag paints' : 'Drag selects'}
            </label>
          ))}
        </fieldset>
        <fieldset className="msr-grid-group">
          <legend className="msr-grid-sr">{sel ? 'Apply to the selection' : 'Apply to the focused MSR'}</legend>
          <button type="button" aria-keyshortcuts="A" disabled={!hasTarget} onClick={() => applyToTarget('allow')}>
            Allow
          </button>
          <button type="button" aria-keyshortcuts="D" disabled={!hasTarget} onClick={() => applyToTarget('deny')}>
            Deny
          </button>
          <button type="button" aria-keyshortcuts="I" disabled={!hasTarget} onClick={() => applyToTarget('invert')}>
            Invert
          </button>
          <button type="button" disabled={!sel} onClick={() => setSel(null)}>
            Clear selection
          </button>
        </fieldset>
        <ul className="msr-grid-legend" aria-label="Legend">
          <li>
            <span className="msr-grid-swatch msr-grid-swatch-allow" aria-hidden="true" />
            Allowed (filled)
          </li>
          <li>
            <span className="msr-grid-swatch msr-grid-swatch-deny" aria-hidden="true" />
            Denied (hatched)
          </li>
          <li>
            <span className="msr-grid-swatch msr-grid-swatch-select" aria-hidden="true" />
            Selected
          </li>
          <li>
            <span className="msr-grid-swatch msr-grid-swatch-focus" aria-hidden="true" />
            Focused
          </li>
          <li>
            <span className="msr-grid-swatch msr-grid-swatch-decided" aria-hidden="true" />
            Decided the last access
          </li>
          {props.marks?.length ? (
            <li data-testid="msr-grid-marks">
              <span className="msr-grid-swatch msr-grid-swatch-diff" aria-hidden="true" />
              Differs between A and B ({props.marks.length} span{props.marks.length === 1 ? '' : 's'})
            </li>
          ) : null}
        </ul>
      </div>
      {ranges.length > 0 ? (
        <Overview
          ranges={ranges}
          collapsed={collapsed}
          onShow={(r) => {
            if (collapsed.has(r)) toggleCollapsed(r);
            requestAnimationFrame(() => scrollToRange(r));
            scrollToRange(r);
          }}
          onToggle={toggleCollapsed}
        />
      ) : null}
      <div ref={scrollRef} className="msr-grid-scroll" data-testid="msr-grid-scroll">
        {ranges.length === 0 ? (
          <p className="msr-grid-empty">No ranges: the default action decides every MSR.</p>
        ) : null}
        <div className="msr-grid-spacer" style={{ height: layout.totalHeight, width: layout.width }}>
          <div
            ref={surfaceRef}
            className="msr-grid-viewport msr-grid-surface"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: one composite widget (role application) with its own keyboard model, one tab stop
            tabIndex={0}
            role="application"
            aria-roledescription="bitmap grid"
            aria-label={`MSR bitmap, ${ranges.length} range${ranges.length === 1 ? '' : 's'}`}
            aria-describedby={`${id}-help`}
            data-zoom={layout.zoom}
            data-cols={layout.cols}
            style={{ width: canvasW, height: canvasH }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={(e) => endDrag(e, false)}
            onPointerCancel={(e) => endDrag(e, true)}
            onLostPointerCapture={(e) => endDrag(e, false)}
            onPointerLeave={() => {
              if (!drag.current) setHover(null);
            }}
            onKeyDown={onKeyDown}
            onFocus={() => {
              setSurfaceFocused(true);
              const first = firstCell(live.current.layout);
              if (first) setFocus((f) => f ?? first);
            }}
            onBlur={() => setSurfaceFocused(false)}
          >
            <canvas ref={baseRef} className="msr-grid-base" style={{ width: canvasW, height: canvasH }} />
            <canvas ref={overlayRef} className="msr-grid-overlay" style={{ width: canvasW, height: canvasH }} />
            {tooltip ? (
              <div className="msr-grid-tooltip" aria-hidden="true" style={{ left: tooltip.x, top: tooltip.y }}>
                {tooltip.text}
              </div>
            ) : null}
          </div>
        </div>
      </div>
      <div className="msr-grid-status" data-testid="msr-grid-status">
        {status || 'Hover over or focus a cell to see its MSR.'}
        {decidedCell
          ? sameCell(decidedCell, describeTarget)
            ? ' — decided the last access'
            : ` — last access decided by ${describeCell(ranges, decidedCell.range, decidedCell.bit)}`
          : ''}
        {notice ? ` — ${notice}` : ''}
      </div>
      <div className="msr-grid-sr" aria-live="polite" aria-atomic="true" data-testid="msr-grid-live">
        {announcement}
      </div>
      <p id={`${id}-help`} className="msr-grid-sr">
        Arrow keys move between MSRs, Home and End go to the row's ends, Page Up and Page Down by a page, Control with
        Home or End to the first or last MSR. Space toggles allow and deny. Shift with a movement key selects a span; A,
        D and I allow, deny or invert the selection or the focused MSR; Escape clears the selection; plus and minus
        zoom.
      </p>
      <span ref={probeRef} className="msr-grid-sr" aria-hidden="true" />
    </div>
  );
}

function withoutKey(set: ReadonlySet<number>, key: number): ReadonlySet<number> {
  const next = new Set(set);
  next.delete(key);
  return next;
}

function selectionHas(sel: GridSelection, c: Cell): boolean {
  return sel.range === c.range && c.bit >= sel.from && c.bit < sel.to;
}

function drawnBitsOf(layout: GridLayout, range: number): number {
  return layout.bands[range]?.bits ?? 0;
}

function hitTestValid(layout: GridLayout, c: Cell): boolean {
  return c.range >= 0 && c.range < layout.bands.length && c.bit >= 0 && c.bit < layout.bands[c.range].bits;
}

function bandIndexAt(layout: GridLayout, y: number): number {
  let i = 0;
  while (i < layout.bands.length - 1 && layout.bands[i].bottom <= y) i++;
  return i;
}

function tooltipFor(
  layout: GridLayout,
  ranges: BitmapGridProps['ranges'],
  cell: Cell,
  scrollTop: number,
  width: number,
  allowed: boolean,
): { x: number; y: number; text: string } {
  const r = cellRect(layout, cell.range, cell.bit);
  const index = ((ranges[cell.range].base >>> 0) + cell.bit) >>> 0;
  const name = msrName(index);
  const text = `${hex32(index)}${name ? ` ${name}` : ''} · ${allowed ? 'allowed' : 'denied'} · ranges[${cell.range}] bit ${cell.bit}`;
  const estW = text.length * 7.5 + 12;
  const x = r.x + r.w + 6 + estW > width ? Math.max(0, r.x - 6 - estW) : r.x + r.w + 6;
  return { x, y: Math.max(0, r.y - scrollTop - 24), text };
}
