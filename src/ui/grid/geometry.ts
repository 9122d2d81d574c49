/**
 * Framework-free geometry of the bitmap grid: where every range's header and every bit's cell sit in the
 * scrollable content (CSS px), hit testing, keyboard navigation and drag interpolation.
 *
 * Content coordinates: x from the left edge of the grid canvas, y from the top of the scrolled content.
 * Each range is a band: a header strip, then `rows` rows of `cols` square cells of `zoom` px, then a gap.
 * Bit b of a band sits at row floor(b / cols), column b % cols.
 */

/** Width of the row-label gutter left of the cells. */
export const GUTTER = 88;
/** Height of a range's header strip: its title line, then the hex column headings. */
export const HEADER_HEIGHT = 40;
/** Where the column headings' line sits in the header strip (its middle, from the band's top). */
export const COLUMN_HEADINGS_Y = 31;
/** The column counts offered (hex-aligned: a row starts at a multiple of its width). */
export const COLUMN_CHOICES: readonly number[] = [16, 32, 64];
/** Space after each band. */
export const BAND_GAP = 10;
/** Right padding after the last column. */
export const PAD_RIGHT = 8;
/** At most this many bits of one range are drawn (KVM's own limit: 0x600 bytes of bitmap). */
export const MAX_DRAWN_BITS = 0x3000;
/** Used when the container has no layout (tests, hidden tabs). */
export const FALLBACK_WIDTH = 640;
export const FALLBACK_HEIGHT = 400;
/** Zoom levels offered by the buttons and Ctrl+wheel. */
export const ZOOM_STEPS: readonly number[] = [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24];
export const MIN_ZOOM = 2;
export const MAX_ZOOM = 24;
/** Cell lines are drawn from this zoom up. */
export const GRID_LINES_FROM_ZOOM = 6;

export interface RangeShape {
  base: number;
  nmsrs: number;
}

export interface Band {
  range: number;
  base: number;
  /** The range's nmsrs as given. */
  nmsrs: number;
  /** Bits drawn: nmsrs clamped to [0, MAX_DRAWN_BITS]. */
  bits: number;
  top: number;
  cellsTop: number;
  rows: number;
  bottom: number;
  /** Collapsed: only the header is drawn (and no cell can be hit). */
  collapsed: boolean;
}

export interface GridLayout {
  zoom: number;
  cols: number;
  /** Width of the content: gutter + cells + padding. */
  width: number;
  totalHeight: number;
  bands: Band[];
}

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return 8;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(zoom)));
}

/** The next zoom step in direction `dir` (+1 in, -1 out); stays at the ends. */
export function stepZoom(zoom: number, dir: 1 | -1): number {
  const z = clampZoom(zoom);
  if (dir > 0) return ZOOM_STEPS.find((s) => s > z) ?? MAX_ZOOM;
  for (let i = ZOOM_STEPS.length - 1; i >= 0; i--) if (ZOOM_STEPS[i] < z) return ZOOM_STEPS[i];
  return MIN_ZOOM;
}

/**
 * Columns for a width: the most of 64, 32 or 16 that fit (so that every row starts at a hex-round MSR), 8 when not
 * even 16 fit; or `wanted` (one of COLUMN_CHOICES) whatever the width (the grid then scrolls sideways).
 */
export function columnsFor(width: number, zoom: number, wanted?: number): number {
  if (wanted !== undefined && COLUMN_CHOICES.includes(wanted)) return wanted;
  const avail = Math.max(0, width - GUTTER - PAD_RIGHT);
  const fit = Math.floor(avail / zoom);
  for (let i = COLUMN_CHOICES.length - 1; i >= 0; i--) if (COLUMN_CHOICES[i] <= fit) return COLUMN_CHOICES[i];
  return 8;
}

export interface LayoutOptions {
  /** 16, 32 or 64; absent: as many as fit. */
  cols?: number;
  /** Ranges shown as their header only. */
  collapsed?: ReadonlySet<number>;
}

export function drawnBits(nmsrs: number): number {
  if (!Number.isFinite(nmsrs) || nmsrs <= 0) return 0;
  return Math.min(MAX_DRAWN_BITS, Math.floor(nmsrs));
}

export function computeLayout(
  ranges: readonly RangeShape[],
  zoomIn: number,
  viewportWidth: number,
  options: LayoutOptions = {},
): GridLayout {
  const zoom = clampZoom(zoomIn);
  const cols = columnsFor(viewportWidth > 0 ? viewportWidth : FALLBACK_WIDTH, zoom, options.cols);
  const bands: Band[] = [];
  let y = 0;
  ranges.forEach((r, range) => {
    const collapsed = options.collapsed?.has(range) ?? false;
    const bits = collapsed ? 0 : drawnBits(r.nmsrs);
    const rows = Math.ceil(bits / cols);
    const top = y;
    const cellsTop = top + HEADER_HEIGHT;
    const bottom = cellsTop + rows * zoom;
    bands.push({ range, base: r.base >>> 0, nmsrs: r.nmsrs, bits, top, cellsTop, rows, bottom, collapsed });
    y = bottom + BAND_GAP;
  });
  return { zoom, cols, width: GUTTER + cols * zoom + PAD_RIGHT, totalHeight: y, bands };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function cellRect(layout: GridLayout, range: number, bit: number): Rect {
  const band = layout.bands[range];
  const row = Math.floor(bit / layout.cols);
  const col = bit % layout.cols;
  return { x: GUTTER + col * layout.zoom, y: band.cellsTop + row * layout.zoom, w: layout.zoom, h: layout.zoom };
}

/** Centre of a cell, handy for pointer tests. */
export function cellCenter(layout: GridLayout, range: number, bit: number): { x: number; y: number } {
  const r = cellRect(layout, range, bit);
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

/** The band whose header or cells contain content y, or -1. */
export function bandAt(layout: GridLayout, y: number): number {
  const { bands } = layout;
  let lo = 0;
  let hi = bands.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = bands[mid];
    if (y < b.top) hi = mid - 1;
    else if (y >= b.bottom) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export interface Cell {
  range: number;
  bit: number;
}

/** The cell under content point (x, y), or null (header, gutter, gap, past the last bit). */
export function hitTest(layout: GridLayout, x: number, y: number): Cell | null {
  const range = bandAt(layout, y);
  if (range < 0) return null;
  const band = layout.bands[range];
  if (y < band.cellsTop) return null;
  const col = Math.floor((x - GUTTER) / layout.zoom);
  if (col < 0 || col >= layout.cols) return null;
  const row = Math.floor((y - band.cellsTop) / layout.zoom);
  const bit = row * layout.cols + col;
  return bit < band.bits ? { range, bit } : null;
}

/** The cell of band `range` nearest to content point (x, y): for a selection drag that may not leave its range. */
export function hitTestInRange(layout: GridLayout, range: number, x: number, y: number): Cell | null {
  const band = layout.bands[range];
  if (!band || band.bits === 0) return null;
  const col = Math.min(layout.cols - 1, Math.max(0, Math.floor((x - GUTTER) / layout.zoom)));
  const row = Math.min(band.rows - 1, Math.max(0, Math.floor((y - band.cellsTop) / layout.zoom)));
  return { range, bit: Math.min(band.bits - 1, row * layout.cols + col) };
}

/**
 * Cells crossed by the straight segment from a to b (content px), in order, without repeats of the previous
 * cell and without the cell under `a` itself: a fast drag paints every cell it passed over.
 */
export function cellsAlong(layout: GridLayout, a: { x: number; y: number }, b: { x: number; y: number }): Cell[] {
  const out: Cell[] = [];
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const steps = Math.max(1, Math.ceil(Math.hypot(dx, dy) / Math.max(1, layout.zoom / 3)));
  let prev = hitTest(layout, a.x, a.y);
  for (let i = 1; i <= steps; i++) {
    const c = hitTest(layout, a.x + (dx * i) / steps, a.y + (dy * i) / steps);
    if (c && !(prev && prev.range === c.range && prev.bit === c.bit)) out.push(c);
    if (c) prev = c;
  }
  return out;
}

export interface Span {
  range: number;
  from: number;
  to: number;
}

/** Groups cells into maximal runs of consecutive bits of one range, sorted by range then bit. */
export function toSpans(cells: readonly Cell[]): Span[] {
  const sorted = [...cells].sort((p, q) => p.range - q.range || p.bit - q.bit);
  const spans: Span[] = [];
  for (const c of sorted) {
    const last = spans[spans.length - 1];
    if (last && last.range === c.range && c.bit <= last.to) last.to = Math.max(last.to, c.bit + 1);
    else spans.push({ range: c.range, from: c.bit, to: c.bit + 1 });
  }
  return spans;
}

export type NavKey = 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'pageUp' | 'pageDown' | 'first' | 'last';

function nonEmpty(layout: GridLayout): Band[] {
  return layout.bands.filter((b) => b.bits > 0);
}

/** The first cell of the grid, or null when no range has a bit. */
export function firstCell(layout: GridLayout): Cell | null {
  const b = nonEmpty(layout)[0];
  return b ? { range: b.range, bit: 0 } : null;
}

/** Clamps a cell to the layout (ranges removed or shrunk); null if nothing is left. */
export function clampCell(layout: GridLayout, cell: Cell | null): Cell | null {
  if (!cell) return null;
  const band = layout.bands[cell.range];
  if (band && band.bits > 0) return { range: cell.range, bit: Math.min(Math.max(0, cell.bit), band.bits - 1) };
  const later = nonEmpty(layout).find((b) => b.range > cell.range);
  const earlier = nonEmpty(layout)
    .reverse()
    .find((b) => b.range < cell.range);
  if (earlier) return { range: earlier.range, bit: earlier.bits - 1 };
  if (later) return { range: later.range, bit: 0 };
  return null;
}

function moveRows(layout: GridLayout, cell: Cell, delta: number, onlyRange: number | null): Cell {
  const bands = onlyRange === null ? nonEmpty(layout) : nonEmpty(layout).filter((b) => b.range === onlyRange);
  let bi = bands.findIndex((b) => b.range === cell.range);
  if (bi < 0) return cell;
  const col = cell.bit % layout.cols;
  let row = Math.floor(cell.bit / layout.cols) + delta;
  while (row < 0 && bi > 0) {
    bi--;
    row += bands[bi].rows;
  }
  while (row >= bands[bi].rows && bi < bands.length - 1) {
    row -= bands[bi].rows;
    bi++;
  }
  const band = bands[bi];
  row = Math.min(band.rows - 1, Math.max(0, row));
  return { range: band.range, bit: Math.min(band.bits - 1, row * layout.cols + col) };
}

/**
 * Where a navigation key moves the focus. Left/right step one bit and cross into the neighbouring range;
 * up/down and page keys move whole rows, keeping the column; home/end go to the row's ends; first/last to the
 * grid's ends. With `onlyRange` (selection extension) the focus never leaves that range.
 */
export function navigate(
  layout: GridLayout,
  cell: Cell,
  key: NavKey,
  pageRows = 10,
  onlyRange: number | null = null,
): Cell {
  const bands = onlyRange === null ? nonEmpty(layout) : nonEmpty(layout).filter((b) => b.range === onlyRange);
  if (bands.length === 0) return cell;
  const bi = bands.findIndex((b) => b.range === cell.range);
  if (bi < 0) return { range: bands[0].range, bit: 0 };
  const band = bands[bi];
  const rowStart = cell.bit - (cell.bit % layout.cols);
  switch (key) {
    case 'left':
      if (cell.bit > 0) return { range: cell.range, bit: cell.bit - 1 };
      return bi > 0 ? { range: bands[bi - 1].range, bit: bands[bi - 1].bits - 1 } : cell;
    case 'right':
      if (cell.bit < band.bits - 1) return { range: cell.range, bit: cell.bit + 1 };
      return bi < bands.length - 1 ? { range: bands[bi + 1].range, bit: 0 } : cell;
    case 'up':
      return moveRows(layout, cell, -1, onlyRange);
    case 'down':
      return moveRows(layout, cell, 1, onlyRange);
    case 'pageUp':
      return moveRows(layout, cell, -Math.max(1, pageRows), onlyRange);
    case 'pageDown':
      return moveRows(layout, cell, Math.max(1, pageRows), onlyRange);
    case 'home':
      return { range: cell.range, bit: rowStart };
    case 'end':
      return { range: cell.range, bit: Math.min(band.bits, rowStart + layout.cols) - 1 };
    case 'first':
      return { range: bands[0].range, bit: 0 };
    case 'last': {
      const last = bands[bands.length - 1];
      return { range: last.range, bit: last.bits - 1 };
    }
  }
}

/** The index of the first range whose drawn bits cover MSR `index`, or -1. */
export function rangeCovering(ranges: readonly RangeShape[], index: number): number {
  const i = index >>> 0;
  for (let r = 0; r < ranges.length; r++) {
    const base = ranges[r].base >>> 0;
    if (i >= base && i - base < drawnBits(ranges[r].nmsrs)) return r;
  }
  return -1;
}

/** A selection normalised to its range's drawn bits, or null if it is empty or its range is gone. */
export function clampSelection(layout: GridLayout, sel: Span | null): Span | null {
  if (!sel) return null;
  const band = layout.bands[sel.range];
  if (!band) return null;
  const from = Math.max(0, Math.min(sel.from, sel.to));
  const to = Math.min(band.bits, Math.max(sel.from, sel.to));
  return to > from ? { range: sel.range, from, to } : null;
}

/**
 * Rectangles covering bits [from, to) of a band, at most three: the partial first row, the full middle rows and
 * the partial last row.
 */
export function spanRects(layout: GridLayout, span: Span): Rect[] {
  const band = layout.bands[span.range];
  if (!band || span.to <= span.from) return [];
  const { cols, zoom } = layout;
  const r0 = Math.floor(span.from / cols);
  const r1 = Math.floor((span.to - 1) / cols);
  const c0 = span.from % cols;
  const c1 = ((span.to - 1) % cols) + 1;
  const rowY = (r: number) => band.cellsTop + r * zoom;
  if (r0 === r1) return [{ x: GUTTER + c0 * zoom, y: rowY(r0), w: (c1 - c0) * zoom, h: zoom }];
  const out: Rect[] = [{ x: GUTTER + c0 * zoom, y: rowY(r0), w: (cols - c0) * zoom, h: zoom }];
  if (r1 > r0 + 1) out.push({ x: GUTTER, y: rowY(r0 + 1), w: cols * zoom, h: (r1 - r0 - 1) * zoom });
  out.push({ x: GUTTER, y: rowY(r1), w: c1 * zoom, h: zoom });
  return out;
}

/** Rows of band `range` that hold bits [from, to). */
export function rowsOfBits(layout: GridLayout, from: number, to: number): [number, number] {
  return [Math.floor(from / layout.cols), Math.floor((to - 1) / layout.cols) + 1];
}

/** The scrollTop that brings rect into a viewport of height `vh` at `scrollTop`, with `margin` px kept around it. */
export function scrollToReveal(scrollTop: number, vh: number, rect: Rect, margin = 8): number {
  if (rect.y - margin < scrollTop) return Math.max(0, rect.y - margin);
  if (rect.y + rect.h + margin > scrollTop + vh) return Math.max(0, rect.y + rect.h + margin - vh);
  return scrollTop;
}

/** Rows of a page for PageUp/PageDown at this viewport height. */
export function pageRows(layout: GridLayout, vh: number): number {
  return Math.max(1, Math.floor((vh - HEADER_HEIGHT) / layout.zoom) - 1);
}
