/**
 * Paints the grid on two canvases stacked in a sticky viewport:
 * - the base canvas holds headers, row labels and cells; it is repainted whole only when the layout, the scroll
 *   offset, the size, the colours or a header changes, and otherwise row by row for bitmap bytes that changed;
 * - the overlay canvas holds the focus ring, hover, selection and the cell that decided the last access, and is
 *   cleared and redrawn whole (a handful of rectangles).
 * The painter keeps a copy of every bitmap as drawn ("shadow"): it diffs new props against it, and it can paint an
 * edit at once, before the owner's state comes back (`applyLocal`), so a pointer event is painted in its handler.
 */
import type { FilterRange } from '../../core/index';
import {
  type Cell,
  COLUMN_HEADINGS_Y,
  cellRect,
  type GridLayout,
  GUTTER,
  HEADER_HEIGHT,
  type Rect,
  type Span,
  spanRects,
} from './geometry';
import { type ColumnMap, columnMap, dev, type GridColors, type Palette, paletteFrom, rasterize } from './raster';
import { headerText } from './text';
import type { GridOp } from './types';

export interface PaintInput {
  ranges: readonly FilterRange[];
  layout: GridLayout;
  /** CSS size of the viewport (the canvases). */
  width: number;
  height: number;
  dpr: number;
  scrollTop: number;
  colors: GridColors;
}

export interface OverlayInput {
  focus: Cell | null;
  showFocus: boolean;
  hover: Cell | null;
  decided: Cell | null;
  selection: Span | null;
  /** A compare's differences: outlined (and lightly tinted) spans. */
  marks?: readonly Span[] | null;
}

export interface PaintStats {
  fullPaints: number;
  rowPaints: number;
  /** Duration of the last full paint, ms. */
  lastFullMs: number;
  /** Rows repainted by the last partial update. */
  lastRows: number;
  /** Where the last full paint's time went, ms. */
  lastFull: { setup: number; raster: number; put: number; text: number };
}

const HEADER_FONT = '600 12px system-ui, sans-serif';
const LABEL_FONT = '11px monospace';
const HEADING_FONT = '10px monospace';

/** Row labels on every row from this zoom up; below it, on every 2nd, 4th… row (still hex-round MSRs). */
export function labelStride(zoom: number): number {
  if (zoom >= 10) return 1;
  let n = 1;
  while (n * zoom < 11) n *= 2;
  return n;
}

function bytesFor(bits: number): number {
  return (bits + 7) >>> 3;
}

export class GridPainter {
  private base: HTMLCanvasElement | null = null;
  private overlay: HTMLCanvasElement | null = null;
  private ctx: CanvasRenderingContext2D | null = null;
  private octx: CanvasRenderingContext2D | null = null;
  private image: ImageData | null = null;
  private buf: Uint32Array | null = null;
  private columns: ColumnMap | null = null;
  private columnsKey = '';
  private palette: Palette | null = null;
  private paletteKey = '';
  private input: PaintInput | null = null;
  private fullKey = '';
  private shadows: Uint8Array[] = [];
  private seen: (Uint8Array | null)[] = [];
  private touched = new Set<number>();
  readonly stats: PaintStats = {
    fullPaints: 0,
    rowPaints: 0,
    lastFullMs: 0,
    lastRows: 0,
    lastFull: { setup: 0, raster: 0, put: 0, text: 0 },
  };

  attach(base: HTMLCanvasElement | null, overlay: HTMLCanvasElement | null): void {
    if (base !== this.base || overlay !== this.overlay) {
      this.base = base;
      this.overlay = overlay;
      this.ctx = base?.getContext('2d', { alpha: false }) ?? null;
      this.octx = overlay?.getContext('2d') ?? null;
      this.fullKey = '';
    }
  }

  /** Whether bit `bit` of range `range` is drawn as allowed. */
  bitAt(range: number, bit: number): boolean {
    const s = this.shadows[range];
    if (!s) return false;
    const byte = bit >>> 3;
    return byte < s.length && ((s[byte] >>> (bit & 7)) & 1) === 1;
  }

  private sizeKey(p: PaintInput): string {
    const { layout } = p;
    const bands = layout.bands.map((b) => `${b.top},${b.bits}`).join(';');
    return `${p.width}x${p.height}@${p.dpr}|z${layout.zoom}c${layout.cols}|${bands}`;
  }

  /**
   * Brings the canvas up to date with `p`: a full paint when anything but bitmap contents changed, otherwise a
   * repaint of the rows whose bytes differ from what is drawn. Returns what it did.
   */
  update(p: PaintInput): 'full' | 'rows' | 'none' {
    this.input = p;
    if (!this.ctx || !this.base) return 'none';
    const headers = p.ranges.map((r, i) => headerText(r, i)).join('\n');
    const colorKey = JSON.stringify(p.colors);
    const key = `${this.sizeKey(p)}|${Math.round(p.scrollTop * p.dpr)}|${colorKey}|${headers}`;
    if (key !== this.fullKey) {
      this.fullKey = key;
      this.paintAll();
      return 'full';
    }
    let rows = 0;
    p.layout.bands.forEach((band, i) => {
      const bitmap = p.ranges[i].bitmap;
      if (bitmap === this.seen[i] && !this.touched.has(i)) return;
      this.seen[i] = bitmap;
      this.touched.delete(i);
      const shadow = this.shadows[i];
      const n = shadow.length;
      let runStart = -1;
      let runEnd = -1;
      const flush = () => {
        if (runStart >= 0) rows += this.paintBandRows(i, runStart, runEnd);
        runStart = -1;
      };
      for (let byte = 0; byte < n; byte++) {
        let v = byte < bitmap.length ? bitmap[byte] : 0;
        if (byte === n - 1 && band.bits % 8 !== 0) v &= (1 << (band.bits % 8)) - 1;
        if (v === shadow[byte]) continue;
        shadow[byte] = v;
        const r0 = Math.floor((byte * 8) / p.layout.cols);
        const r1 = Math.floor((Math.min(band.bits, byte * 8 + 8) - 1) / p.layout.cols) + 1;
        if (runStart >= 0 && r0 <= runEnd) runEnd = Math.max(runEnd, r1);
        else {
          flush();
          runStart = r0;
          runEnd = r1;
        }
      }
      flush();
    });
    this.stats.lastRows = rows;
    return rows > 0 ? 'rows' : 'none';
  }

  /** Paints an edit now, ahead of the owner's state; the next `update` reconciles with the props. */
  applyLocal(range: number, from: number, to: number, op: GridOp): void {
    const p = this.input;
    const shadow = this.shadows[range];
    if (!p || !shadow) return;
    const band = p.layout.bands[range];
    const end = Math.min(to, band.bits);
    if (end <= from) return;
    for (let b = from; b < end; b++) {
      const mask = 1 << (b & 7);
      const byte = b >>> 3;
      if (op === 'allow') shadow[byte] |= mask;
      else if (op === 'deny') shadow[byte] &= ~mask;
      else shadow[byte] ^= mask;
    }
    this.touched.add(range);
    this.paintBandRows(range, Math.floor(from / p.layout.cols), Math.floor((end - 1) / p.layout.cols) + 1);
  }

  private ensureBuffers(p: PaintInput): { wDev: number; hDev: number } | null {
    const base = this.base;
    const overlay = this.overlay;
    const ctx = this.ctx;
    if (!base || !ctx) return null;
    const wDev = Math.max(1, Math.round(p.width * p.dpr));
    const hDev = Math.max(1, Math.round(p.height * p.dpr));
    if (base.width !== wDev || base.height !== hDev) {
      base.width = wDev;
      base.height = hDev;
    }
    if (overlay && (overlay.width !== wDev || overlay.height !== hDev)) {
      overlay.width = wDev;
      overlay.height = hDev;
    }
    if (!this.image || this.image.width !== wDev || this.image.height !== hDev) {
      this.image = ctx.createImageData(wDev, hDev);
      this.buf = new Uint32Array(this.image.data.buffer, this.image.data.byteOffset, wDev * hDev);
    }
    const ck = `${wDev}|${p.dpr}|${p.layout.zoom}|${p.layout.cols}`;
    if (ck !== this.columnsKey || !this.columns) {
      this.columnsKey = ck;
      this.columns = columnMap(p.layout, p.dpr, wDev);
    }
    const pk = JSON.stringify(p.colors);
    if (pk !== this.paletteKey || !this.palette) {
      this.paletteKey = pk;
      this.palette = paletteFrom(p.colors);
    }
    return { wDev, hDev };
  }

  /** Repaints everything visible: pixels, then header and row-label text. */
  paintAll(): void {
    const p = this.input;
    const ctx = this.ctx;
    if (!p || !ctx) return;
    const t0 = performance.now();
    const size = this.ensureBuffers(p);
    if (!size || !this.image || !this.buf || !this.columns || !this.palette) return;
    this.shadows = p.layout.bands.map((band, i) => {
      const out = new Uint8Array(bytesFor(band.bits));
      const src = p.ranges[i].bitmap;
      out.set(src.subarray(0, Math.min(src.length, out.length)));
      if (band.bits % 8 !== 0 && out.length > 0) out[out.length - 1] &= (1 << (band.bits % 8)) - 1;
      return out;
    });
    this.seen = p.ranges.map((r) => r.bitmap);
    this.touched.clear();
    const t1 = performance.now();
    const originY = Math.round(p.scrollTop * p.dpr);
    rasterize({
      buf: this.buf,
      width: size.wDev,
      layout: p.layout,
      bitmaps: this.shadows,
      dpr: p.dpr,
      palette: this.palette,
      columns: this.columns,
      originY,
      rowFrom: 0,
      rowTo: size.hDev,
      xFrom: 0,
      xTo: size.wDev,
    });
    const t2 = performance.now();
    ctx.putImageData(this.image, 0, 0);
    const t3 = performance.now();
    this.paintText(ctx, p, originY);
    const t4 = performance.now();
    this.stats.fullPaints++;
    this.stats.lastFullMs = t4 - t0;
    this.stats.lastFull = { setup: t1 - t0, raster: t2 - t1, put: t3 - t2, text: t4 - t3 };
  }

  /** Repaints the visible part of rows [r0, r1) of a band (cells only; labels and headers stay). */
  private paintBandRows(range: number, r0: number, r1: number): number {
    const p = this.input;
    const ctx = this.ctx;
    if (!p || !ctx || !this.image || !this.buf || !this.columns || !this.palette) return 0;
    const band = p.layout.bands[range];
    const originY = Math.round(p.scrollTop * p.dpr);
    const hDev = this.image.height;
    const yA = Math.max(0, dev(band.cellsTop + r0 * p.layout.zoom, p.dpr) - originY);
    const yB = Math.min(hDev, dev(band.cellsTop + r1 * p.layout.zoom, p.dpr) - originY);
    if (yB <= yA) return 0;
    const xFrom = Math.min(this.image.width, dev(GUTTER, p.dpr));
    const xTo = Math.min(this.image.width, dev(GUTTER + p.layout.cols * p.layout.zoom, p.dpr));
    if (xTo <= xFrom) return 0;
    rasterize({
      buf: this.buf,
      width: this.image.width,
      layout: p.layout,
      bitmaps: this.shadows,
      dpr: p.dpr,
      palette: this.palette,
      columns: this.columns,
      originY,
      rowFrom: yA,
      rowTo: yB,
      xFrom,
      xTo,
    });
    ctx.putImageData(this.image, 0, 0, xFrom, yA, xTo - xFrom, yB - yA);
    this.stats.rowPaints += r1 - r0;
    return r1 - r0;
  }

  private paintText(ctx: CanvasRenderingContext2D, p: PaintInput, originY: number): void {
    const { layout, scrollTop, height, width } = p;
    ctx.save();
    ctx.setTransform(p.dpr, 0, 0, p.dpr, 0, -originY);
    ctx.fillStyle = p.colors.text;
    const bottom = scrollTop + height;
    const labelEvery = labelStride(layout.zoom);
    const visible = layout.bands.filter((band) => band.bottom + 12 >= scrollTop && band.top <= bottom);
    // one font switch per pass: headers, then row labels
    ctx.font = HEADER_FONT;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const band of visible) {
      if (band.top + HEADER_HEIGHT <= scrollTop) continue;
      const title = `${band.collapsed ? '▸ ' : ''}${headerText(p.ranges[band.range], band.range)}`;
      ctx.fillText(fitText(ctx, title, width - 16), 8, band.top + 12);
    }
    // hex column headings: the column's low digit (every column from zoom 8, else every 4th), +10, +20… bolder
    ctx.font = HEADING_FONT;
    ctx.textAlign = 'center';
    const step = layout.zoom >= 8 ? 1 : layout.zoom >= 4 ? 4 : 16;
    for (const band of visible) {
      if (band.collapsed || band.bits === 0 || band.top + HEADER_HEIGHT <= scrollTop) continue;
      const cols = Math.min(layout.cols, band.bits);
      for (let c = 0; c < cols; c += step) {
        const x = GUTTER + c * layout.zoom + layout.zoom / 2;
        const text = c % 16 === 0 && c > 0 && layout.zoom >= 14 ? `${(c / 16).toString(16)}0` : (c % 16).toString(16);
        ctx.fillText(text, x, band.top + COLUMN_HEADINGS_Y);
      }
      ctx.textAlign = 'right';
      ctx.fillText('+', GUTTER - 6, band.top + COLUMN_HEADINGS_Y);
      ctx.textAlign = 'center';
    }
    ctx.font = LABEL_FONT;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    for (const band of visible) {
      const rFirst = Math.max(0, Math.floor((scrollTop - band.cellsTop - 12) / layout.zoom));
      const rLast = Math.min(band.rows, Math.ceil((bottom - band.cellsTop) / layout.zoom));
      const start = Math.ceil(rFirst / labelEvery) * labelEvery;
      const base = band.base;
      for (let r = start; r < rLast; r += labelEvery) {
        const y = band.cellsTop + r * layout.zoom + Math.max(0, (layout.zoom - 11) / 2);
        if (y + 11 > band.bottom + 4) break;
        ctx.fillText(`0x${((base + r * layout.cols) >>> 0).toString(16).padStart(8, '0')}`, GUTTER - 6, y);
      }
    }
    ctx.restore();
  }

  /** Clears and redraws the overlay: the compare's marks, selection, decided cell, hover, focus ring. */
  paintOverlay(o: OverlayInput): void {
    const p = this.input;
    const octx = this.octx;
    const overlay = this.overlay;
    if (!p || !octx || !overlay) return;
    octx.setTransform(1, 0, 0, 1, 0, 0);
    octx.clearRect(0, 0, overlay.width, overlay.height);
    const originY = Math.round(p.scrollTop * p.dpr);
    octx.setTransform(p.dpr, 0, 0, p.dpr, 0, -originY);
    const { layout } = p;
    const valid = (c: Cell | null): c is Cell =>
      !!c && c.range >= 0 && c.range < layout.bands.length && c.bit >= 0 && c.bit < layout.bands[c.range].bits;
    const visible = (r: Rect) => r.y + r.h >= p.scrollTop - 16 && r.y <= p.scrollTop + p.height + 16;
    if (o.marks?.length) {
      octx.strokeStyle = p.colors.diff;
      octx.fillStyle = p.colors.diff;
      octx.lineWidth = 2;
      for (const m of o.marks) {
        if (m.range < 0 || m.range >= layout.bands.length || layout.bands[m.range].collapsed) continue;
        for (const r of spanRects(layout, {
          range: m.range,
          from: m.from,
          to: Math.min(m.to, layout.bands[m.range].bits),
        })) {
          if (!visible(r)) continue;
          octx.globalAlpha = 0.3;
          octx.fillRect(r.x, r.y, r.w, r.h);
          octx.globalAlpha = 1;
          octx.strokeRect(r.x + 1, r.y + 1, r.w - 2, r.h - 2);
        }
      }
    }
    if (o.selection) {
      octx.fillStyle = p.colors.select;
      octx.strokeStyle = p.colors.focus;
      octx.lineWidth = 1;
      octx.setLineDash([4, 2]);
      for (const r of spanRects(layout, o.selection)) {
        if (!visible(r)) continue;
        octx.fillRect(r.x, r.y, r.w, r.h);
        octx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
      }
      octx.setLineDash([]);
    }
    if (valid(o.decided)) {
      const r = cellRect(layout, o.decided.range, o.decided.bit);
      if (visible(r)) {
        octx.strokeStyle = p.colors.decided;
        octx.lineWidth = 3;
        octx.strokeRect(r.x - 1.5, r.y - 1.5, r.w + 3, r.h + 3);
        if (layout.zoom < 10) {
          // a ring big enough to find among tiny cells
          octx.lineWidth = 2;
          octx.beginPath();
          octx.arc(r.x + r.w / 2, r.y + r.h / 2, Math.max(9, r.w + 4), 0, Math.PI * 2);
          octx.stroke();
        } else {
          // a corner mark, so it is not told by colour alone
          octx.fillStyle = p.colors.decided;
          octx.beginPath();
          octx.moveTo(r.x, r.y);
          octx.lineTo(r.x + r.w / 2, r.y);
          octx.lineTo(r.x, r.y + r.h / 2);
          octx.closePath();
          octx.fill();
        }
      }
    }
    if (valid(o.hover)) {
      const r = cellRect(layout, o.hover.range, o.hover.bit);
      octx.strokeStyle = p.colors.text;
      octx.lineWidth = 1;
      octx.strokeRect(r.x - 0.5, r.y - 0.5, r.w + 1, r.h + 1);
    }
    if (o.showFocus && valid(o.focus)) {
      const r = cellRect(layout, o.focus.range, o.focus.bit);
      octx.strokeStyle = p.colors.bg;
      octx.lineWidth = 1;
      octx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
      octx.strokeStyle = p.colors.focus;
      octx.lineWidth = 2;
      octx.strokeRect(r.x - 1, r.y - 1, r.w + 2, r.h + 2);
    }
  }
}

/** Cuts text to fit `max` px with an ellipsis. */
function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (max <= 0) return '';
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
