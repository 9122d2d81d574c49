import { describe, expect, it } from 'vitest';
import { cellRect, computeLayout, GUTTER, HEADER_HEIGHT } from './geometry';
import { columnMap, FALLBACK_COLORS, mix, pack, paletteFrom, parseColor, rasterize, unpack } from './raster';

describe('colours', () => {
  it('parses hex and rgb()/rgba() in both syntaxes', () => {
    expect(parseColor('#abc')).toEqual([0xaa, 0xbb, 0xcc, 255]);
    expect(parseColor('#1a7f37')).toEqual([0x1a, 0x7f, 0x37, 255]);
    expect(parseColor('#1a7f3780')).toEqual([0x1a, 0x7f, 0x37, 0x80]);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3, 255]);
    expect(parseColor('rgba(9, 105, 218, 0.5)')).toEqual([9, 105, 218, 128]);
    expect(parseColor('rgb(9 105 218 / 50%)')).toEqual([9, 105, 218, 128]);
    expect(parseColor('light-dark(#fff, #000)')).toBeNull();
    expect(parseColor('oklch(0.5 0.1 120)')).toBeNull();
  });

  it('packs colours in ImageData byte order', () => {
    const v = pack([1, 2, 3, 255]);
    const bytes = new Uint8Array(new Uint32Array([v]).buffer);
    expect([...bytes]).toEqual([1, 2, 3, 255]);
    expect(unpack(v)).toEqual([1, 2, 3, 255]);
    expect(mix([255, 0, 0, 255], [255, 255, 255, 255], 0.5)).toEqual([255, 128, 128, 255]);
  });
});

describe('rasterize', () => {
  const palette = paletteFrom(FALLBACK_COLORS);
  // range 0: bits 0..19 with bit 0 and bits 2..3 allowed; range 1: 8 bits, all allowed
  const ranges = [
    { base: 0, nmsrs: 20, bitmap: Uint8Array.of(0b1101, 0, 0) },
    { base: 0x100, nmsrs: 8, bitmap: Uint8Array.of(0xff) },
  ];

  function paint(zoom: number, dpr: number) {
    const layout = computeLayout(ranges, zoom, GUTTER + 8 * zoom + 8);
    const width = Math.round(layout.width * dpr);
    const height = Math.round(layout.totalHeight * dpr);
    const buf = new Uint32Array(width * height);
    rasterize({
      buf,
      width,
      layout,
      bitmaps: ranges.map((r) => r.bitmap),
      dpr,
      palette,
      columns: columnMap(layout, dpr, width),
      originY: 0,
      rowFrom: 0,
      rowTo: height,
      xFrom: 0,
      xTo: width,
    });
    const px = (x: number, y: number) => buf[Math.floor(y * dpr) * width + Math.floor(x * dpr)];
    const devPx = (x: number, y: number) => buf[y * width + x];
    /** All device pixels inside a cell, minus its grid lines. */
    const cellPixels = (range: number, bit: number) => {
      const r = cellRect(layout, range, bit);
      const out = new Set<number>();
      for (let y = Math.round(r.y * dpr); y < Math.round((r.y + r.h) * dpr) - 1; y++)
        for (let x = Math.round(r.x * dpr); x < Math.round((r.x + r.w) * dpr) - 1; x++) out.add(buf[y * width + x]);
      return out;
    };
    return { layout, px, devPx, cellPixels };
  }

  for (const dpr of [1, 2, 1.5]) {
    it(`fills allowed cells and hatches denied ones (dpr ${dpr})`, () => {
      const { layout, px, devPx, cellPixels } = paint(10, dpr);
      expect(cellPixels(0, 0)).toEqual(new Set([palette.allow]));
      expect(cellPixels(0, 2)).toEqual(new Set([palette.allow]));
      // a denied cell is not one flat colour: tint and hatch lines
      expect(cellPixels(0, 1)).toEqual(new Set([palette.denyBg, palette.hatch]));
      expect(cellPixels(1, 7)).toEqual(new Set([palette.allow]));
      // header strip, gutter, past the last bit
      expect(px(GUTTER + 2, layout.bands[1].top + 3)).toBe(palette.headerBg);
      expect(px(GUTTER - 20, HEADER_HEIGHT + 3)).toBe(palette.bg);
      const past = cellRect(layout, 0, 16);
      expect(px(past.x + 4 * 10 + 3, past.y + 3)).toBe(palette.bg);
      // a grid line at each cell's right and bottom edge (zoom >= 6)
      const c = cellRect(layout, 0, 0);
      const right = Math.round((c.x + c.w) * dpr) - 1;
      const bottom = Math.round((c.y + c.h) * dpr) - 1;
      expect(devPx(right, Math.round((c.y + 3) * dpr))).toBe(palette.line);
      expect(devPx(Math.round((c.x + 3) * dpr), bottom)).toBe(palette.line);
      expect(devPx(right - 1, Math.round((c.y + 3) * dpr))).toBe(palette.allow);
    });
  }

  it('draws no grid lines at small zoom, so tiny cells stay solid', () => {
    const { cellPixels } = paint(3, 1);
    expect(cellPixels(0, 0)).toEqual(new Set([palette.allow]));
  });

  it('paints a strip without touching the rest of the buffer', () => {
    const layout = computeLayout(ranges, 10, GUTTER + 88);
    const width = layout.width;
    const buf = new Uint32Array(width * 200).fill(7);
    rasterize({
      buf,
      width,
      layout,
      bitmaps: ranges.map((r) => r.bitmap),
      dpr: 1,
      palette,
      columns: columnMap(layout, 1, width),
      originY: 0,
      rowFrom: HEADER_HEIGHT,
      rowTo: HEADER_HEIGHT + 10,
      xFrom: GUTTER,
      xTo: GUTTER + 80,
    });
    expect(buf[(HEADER_HEIGHT - 1) * width + GUTTER]).toBe(7);
    expect(buf[HEADER_HEIGHT * width + GUTTER - 1]).toBe(7);
    expect(buf[(HEADER_HEIGHT + 10) * width + GUTTER]).toBe(7);
    expect(buf[(HEADER_HEIGHT + 2) * width + GUTTER + 2]).toBe(palette.allow);
  });

  it('draws content from the scroll offset', () => {
    const layout = computeLayout(ranges, 10, GUTTER + 88);
    const width = layout.width;
    const buf = new Uint32Array(width * 10);
    const band = layout.bands[1];
    rasterize({
      buf,
      width,
      layout,
      bitmaps: ranges.map((r) => r.bitmap),
      dpr: 1,
      palette,
      columns: columnMap(layout, 1, width),
      originY: band.cellsTop,
      rowFrom: 0,
      rowTo: 10,
      xFrom: 0,
      xTo: width,
    });
    expect(buf[2 * width + GUTTER + 2]).toBe(palette.allow);
  });
});
