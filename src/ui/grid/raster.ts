/**
 * The grid's cell rasteriser: writes device pixels straight into an ImageData buffer, so a paint costs one pass
 * over the visible pixels whatever the bit pattern (no per-cell fillRect, no per-run path). Pure: no DOM.
 *
 * Allowed cells are solid; denied cells are a light tint crossed by diagonal hatching (so allow/deny never rely on
 * colour alone); from GRID_LINES_FROM_ZOOM up each cell's last device row and column are a grid line.
 */
import { GRID_LINES_FROM_ZOOM, type GridLayout, GUTTER } from './geometry';

export type Rgba = [number, number, number, number];

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x0a0b0c0d]).buffer)[0] === 0x0d;

/** Packs a colour for a Uint32Array view of ImageData.data (RGBA byte order). */
export function pack([r, g, b, a]: Rgba): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

export function unpack(v: number): Rgba {
  return LITTLE_ENDIAN
    ? [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24]
    : [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

/** Mixes `fg` over `bg` by t (0..1), opaque. */
export function mix(fg: Rgba, bg: Rgba, t: number): Rgba {
  return [
    Math.round(fg[0] * t + bg[0] * (1 - t)),
    Math.round(fg[1] * t + bg[1] * (1 - t)),
    Math.round(fg[2] * t + bg[2] * (1 - t)),
    255,
  ];
}

/** Parses #rgb, #rrggbb, #rrggbbaa, rgb()/rgba() in comma or space syntax; null for anything else. */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    const h = m[1];
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((c) => Number.parseInt(c + c, 16));
      return [v[0], v[1], v[2], v.length === 4 ? v[3] : 255];
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => (i < h.length ? Number.parseInt(h.slice(i, i + 2), 16) : 255));
      return [v[0], v[1], v[2], v[3]];
    }
    return null;
  }
  m = /^rgba?\(\s*([^)]*)\)$/.exec(s);
  if (!m) return null;
  const parts = m[1].split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 3) return null;
  const chan = (p: string) => (p.endsWith('%') ? (Number.parseFloat(p) * 255) / 100 : Number.parseFloat(p));
  const rgb = parts.slice(0, 3).map(chan);
  let a = 255;
  if (parts[3] !== undefined)
    a = parts[3].endsWith('%') ? (Number.parseFloat(parts[3]) * 255) / 100 : Number.parseFloat(parts[3]) * 255;
  const out = [...rgb, a].map((v) => Math.max(0, Math.min(255, Math.round(v))));
  if (out.some((v) => Number.isNaN(v))) return null;
  return [out[0], out[1], out[2], out[3]];
}

/** The CSS colours the grid paints with (any CSS colour syntax; canvas strokes take them as they are). */
export interface GridColors {
  allow: string;
  deny: string;
  focus: string;
  decided: string;
  /** Outlines a compare's differences. */
  diff: string;
  select: string;
  bg: string;
  text: string;
  headerBg: string;
}

/** CSS custom property → colour key, with fallbacks for a page that defines none. */
export const COLOR_VARS: readonly { key: keyof GridColors; cssVar: string; fallback: string }[] = [
  { key: 'allow', cssVar: '--grid-allow', fallback: '#1a7f37' },
  { key: 'deny', cssVar: '--grid-deny', fallback: '#cf222e' },
  { key: 'focus', cssVar: '--grid-focus', fallback: '#0969da' },
  { key: 'decided', cssVar: '--grid-decided', fallback: '#bf8700' },
  { key: 'diff', cssVar: '--grid-diff', fallback: '#8250df' },
  { key: 'select', cssVar: '--grid-select', fallback: 'rgba(9, 105, 218, 0.28)' },
  { key: 'bg', cssVar: '--grid-bg', fallback: '#ffffff' },
  { key: 'text', cssVar: '--grid-text', fallback: '#1f2328' },
  { key: 'headerBg', cssVar: '--grid-header-bg', fallback: '#eef1f4' },
];

export const FALLBACK_COLORS: GridColors = Object.fromEntries(
  COLOR_VARS.map((c) => [c.key, c.fallback]),
) as unknown as GridColors;

/** Packed pixels for the rasteriser. */
export interface Palette {
  allow: number;
  hatch: number;
  denyBg: number;
  bg: number;
  headerBg: number;
  line: number;
}

export function paletteFrom(colors: GridColors, parse: (css: string) => Rgba | null = parseColor): Palette {
  const get = (key: keyof GridColors) => {
    const c = parse(colors[key]) ?? parseColor(FALLBACK_COLORS[key]) ?? [0, 0, 0, 255];
    return c;
  };
  const bg = mix(get('bg'), [255, 255, 255, 255], get('bg')[3] / 255);
  const allow = mix(get('allow'), bg, get('allow')[3] / 255);
  const deny = mix(get('deny'), bg, get('deny')[3] / 255);
  const headerBg = mix(get('headerBg'), bg, get('headerBg')[3] / 255);
  return {
    allow: pack(allow),
    hatch: pack(mix(deny, bg, 0.8)),
    denyBg: pack(mix(deny, bg, 0.13)),
    bg: pack(bg),
    headerBg: pack(headerBg),
    line: pack(bg),
  };
}

/** Per device column of the canvas: which cell column it shows (-1: none) and whether it is a grid line. */
export interface ColumnMap {
  col: Int16Array;
  line: Uint8Array;
}

const round = Math.round;

export function columnMap(layout: GridLayout, dpr: number, widthDev: number): ColumnMap {
  const col = new Int16Array(widthDev).fill(-1);
  const line = new Uint8Array(widthDev);
  const lines = layout.zoom >= GRID_LINES_FROM_ZOOM;
  for (let c = 0; c < layout.cols; c++) {
    const x0 = round((GUTTER + c * layout.zoom) * dpr);
    const x1 = Math.min(widthDev, round((GUTTER + (c + 1) * layout.zoom) * dpr));
    for (let x = x0; x < x1; x++) col[x] = c;
    if (lines && x1 - 1 >= x0 && x1 - 1 < widthDev) line[x1 - 1] = 1;
  }
  return { col, line };
}

/** Device y (content space) of a CSS content y. */
export const dev = (y: number, dpr: number) => round(y * dpr);

export interface RasterJob {
  /** Uint32 view of the ImageData, `width` pixels a row. */
  buf: Uint32Array;
  width: number;
  layout: GridLayout;
  /** Bitmaps as drawn, one per band. */
  bitmaps: readonly Uint8Array[];
  dpr: number;
  palette: Palette;
  columns: ColumnMap;
  /** Content device y of buffer row 0 (the scroll offset in device px). */
  originY: number;
  /** Buffer rows [rowFrom, rowTo) and columns [xFrom, xTo) to write. */
  rowFrom: number;
  rowTo: number;
  xFrom: number;
  xTo: number;
}

const hatchCache = new Map<string, Uint32Array[]>();

/** The hatch texture, one row per phase: denied cells copy a slice of the row for (device y mod period). */
function hatchRows(width: number, period: number, lineW: number, hatch: number, denyBg: number): Uint32Array[] {
  const key = `${width}|${period}|${lineW}|${hatch}|${denyBg}`;
  let rows = hatchCache.get(key);
  if (!rows) {
    rows = [];
    for (let k = 0; k < period; k++) {
      const row = new Uint32Array(width);
      for (let x = 0; x < width; x++) row[x] = (x + k) % period < lineW ? hatch : denyBg;
      rows.push(row);
    }
    if (hatchCache.size > 8) hatchCache.clear();
    hatchCache.set(key, rows);
  }
  return rows;
}

/**
 * Writes the pixels of buffer rows [rowFrom, rowTo) × [xFrom, xTo): headers' backgrounds, cells, gaps.
 * Each cell row is turned into runs of equal cells once; each device row of it is then built from native
 * fill/set calls (one per run) per hatch phase, and copied for the other device rows of that phase.
 */
export function rasterize(job: RasterJob): void {
  const { buf, width, layout, bitmaps, dpr, palette, columns, originY, rowFrom, rowTo, xFrom, xTo } = job;
  if (xTo <= xFrom || rowTo <= rowFrom) return;
  const { bands, zoom, cols } = layout;
  const lines = zoom >= GRID_LINES_FROM_ZOOM;
  const period = Math.max(3, round(4 * dpr));
  const lineW = Math.max(1, round(dpr));
  const { allow, hatch, denyBg, bg, headerBg, line } = palette;
  const hatchTex = hatchRows(width, period, lineW, hatch, denyBg);
  // device x extent of each column, clipped to [xFrom, xTo)
  const colX0 = new Int32Array(cols);
  const colX1 = new Int32Array(cols);
  for (let c = 0; c < cols; c++) {
    colX0[c] = Math.min(xTo, Math.max(xFrom, round((GUTTER + c * zoom) * dpr)));
    colX1[c] = Math.min(xTo, Math.max(xFrom, round((GUTTER + (c + 1) * zoom) * dpr)));
  }
  const lineXs: number[] = [];
  if (lines) for (let x = xFrom; x < xTo; x++) if (columns.line[x]) lineXs.push(x);
  // runs of the current cell row: [x0, x1, state] triples; state 0 none, 1 allowed, 2 denied
  const runs = new Int32Array(3 * (cols + 2));
  let nRuns = 0;
  let cellsEnd = xFrom; // device x where the row's existing cells end
  const phaseRows: (Uint32Array | null)[] = new Array(period).fill(null);
  let gridRowBuf: Uint32Array | null = null;
  const scratch: Uint32Array[] = [];
  const takeRow = (i: number) => {
    if (!scratch[i]) scratch[i] = new Uint32Array(width);
    return scratch[i];
  };

  let bi = 0;
  const y0 = originY + rowFrom;
  while (bi < bands.length && dev(bands[bi].bottom, dpr) <= y0) bi++;
  let cachedBand = -1;
  let cachedRow = -1;
  for (let y = rowFrom; y < rowTo; y++) {
    const Y = originY + y;
    while (bi < bands.length && Y >= dev(bands[bi].bottom, dpr)) bi++;
    const off = y * width;
    if (bi >= bands.length || Y < dev(bands[bi].top, dpr)) {
      buf.fill(bg, off + xFrom, off + xTo);
      continue;
    }
    const band = bands[bi];
    if (Y < dev(band.cellsTop, dpr)) {
      buf.fill(headerBg, off + xFrom, off + xTo);
      continue;
    }
    let r = Math.min(band.rows - 1, Math.max(0, Math.floor(((Y + 0.5) / dpr - band.cellsTop) / zoom)));
    while (r > 0 && dev(band.cellsTop + r * zoom, dpr) > Y) r--;
    while (r < band.rows - 1 && dev(band.cellsTop + (r + 1) * zoom, dpr) <= Y) r++;
    if (r !== cachedRow || bi !== cachedBand) {
      cachedRow = r;
      cachedBand = bi;
      phaseRows.fill(null);
      gridRowBuf = null;
      const bitmap = bitmaps[bi];
      const blen = bitmap ? bitmap.length : 0;
      const first = r * cols;
      nRuns = 0;
      let runStart = xFrom;
      let runState = 0;
      const firstX = cols > 0 ? colX0[0] : xTo;
      if (firstX > xFrom) {
        runs[0] = xFrom;
        runs[1] = firstX;
        runs[2] = 0;
        nRuns = 1;
      }
      runStart = firstX;
      runState = -1;
      cellsEnd = firstX;
      for (let c = 0; c < cols; c++) {
        const bit = first + c;
        let st = 0;
        if (bit < band.bits) {
          const byte = bit >>> 3;
          st = byte < blen && (bitmap[byte] >>> (bit & 7)) & 1 ? 1 : 2;
          cellsEnd = colX1[c];
        }
        if (st !== runState) {
          if (runState >= 0 && colX0[c] > runStart) {
            runs[3 * nRuns] = runStart;
            runs[3 * nRuns + 1] = colX0[c];
            runs[3 * nRuns + 2] = runState;
            nRuns++;
          }
          runStart = colX0[c];
          runState = st;
        }
      }
      const lastX = cols > 0 ? colX1[cols - 1] : xFrom;
      if (runState >= 0 && lastX > runStart) {
        runs[3 * nRuns] = runStart;
        runs[3 * nRuns + 1] = lastX;
        runs[3 * nRuns + 2] = runState;
        nRuns++;
      }
      if (xTo > lastX) {
        runs[3 * nRuns] = Math.max(lastX, xFrom);
        runs[3 * nRuns + 1] = xTo;
        runs[3 * nRuns + 2] = 0;
        nRuns++;
      }
    }
    const gridRow = lines && Y === dev(band.cellsTop + (r + 1) * zoom, dpr) - 1;
    let src: Uint32Array;
    if (gridRow) {
      if (!gridRowBuf) {
        gridRowBuf = takeRow(period);
        for (let i = 0; i < nRuns; i++) {
          const a = runs[3 * i];
          const b = runs[3 * i + 1];
          gridRowBuf.fill(runs[3 * i + 2] === 0 ? bg : line, a, b);
        }
      }
      src = gridRowBuf;
    } else {
      const k = Y % period;
      let row = phaseRows[k];
      if (!row) {
        row = takeRow(k);
        const tex = hatchTex[k];
        for (let i = 0; i < nRuns; i++) {
          const a = runs[3 * i];
          const b = runs[3 * i + 1];
          const st = runs[3 * i + 2];
          if (st === 0) row.fill(bg, a, b);
          else if (st === 1) row.fill(allow, a, b);
          else row.set(tex.subarray(a, b), a);
        }
        for (let i = 0; i < lineXs.length; i++) {
          const x = lineXs[i];
          if (x < cellsEnd) row[x] = line;
        }
        phaseRows[k] = row;
      }
      src = row;
    }
    buf.set(src.subarray(xFrom, xTo), off + xFrom);
  }
}
