import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BAND_GAP,
  cellCenter,
  cellRect,
  cellsAlong,
  clampCell,
  clampSelection,
  columnsFor,
  computeLayout,
  GUTTER,
  HEADER_HEIGHT,
  hitTest,
  hitTestInRange,
  MAX_DRAWN_BITS,
  navigate,
  pageRows,
  rangeCovering,
  scrollToReveal,
  spanRects,
  stepZoom,
  toSpans,
} from './geometry';

const shapes = [
  { base: 0, nmsrs: 100 },
  { base: 0xc000_0000, nmsrs: 20 },
  { base: 0x4000_0000, nmsrs: 0 },
  { base: 0x1000, nmsrs: 64 },
];
// width chosen so that cols = 16 at zoom 8: 88 + 16*8 + 8 = 224
const layout = computeLayout(shapes, 8, 224);

describe('layout', () => {
  it('uses the most of 64, 32 or 16 columns that fit (hex-aligned rows), 8 when not even 16 fit', () => {
    expect(columnsFor(224, 8)).toBe(16);
    expect(columnsFor(231, 8)).toBe(16);
    expect(columnsFor(232 + 64, 8)).toBe(16);
    expect(columnsFor(88 + 32 * 8 + 8, 8)).toBe(32);
    expect(columnsFor(88 + 64 * 8 + 8, 8)).toBe(64);
    expect(columnsFor(5000, 2)).toBe(64);
    expect(columnsFor(10, 24)).toBe(8);
    expect(layout.cols).toBe(16);
  });

  it('takes a chosen column count whatever the width, and ignores one that is not offered', () => {
    expect(columnsFor(224, 8, 64)).toBe(64);
    expect(columnsFor(224, 8, 24)).toBe(16);
    expect(computeLayout(shapes, 8, 224, { cols: 32 }).cols).toBe(32);
  });

  it('draws a collapsed range as its header only, with no cell to hit', () => {
    const l = computeLayout(shapes, 8, 224, { collapsed: new Set([0]) });
    expect(l.bands[0]).toMatchObject({ collapsed: true, bits: 0, rows: 0 });
    expect(l.bands[1].top).toBe(l.bands[0].bottom + 10);
    expect(l.totalHeight).toBeLessThan(layout.totalHeight);
  });

  it('stacks a header and the rows of each range, with a gap', () => {
    const [a, b, c, d] = layout.bands;
    expect(a).toMatchObject({ top: 0, cellsTop: HEADER_HEIGHT, rows: 7, bits: 100 });
    expect(a.bottom).toBe(HEADER_HEIGHT + 7 * 8);
    expect(b.top).toBe(a.bottom + BAND_GAP);
    expect(b.rows).toBe(2);
    expect(c).toMatchObject({ rows: 0, bits: 0 });
    expect(c.bottom).toBe(c.cellsTop);
    expect(d.top).toBe(c.bottom + BAND_GAP);
    expect(layout.totalHeight).toBe(d.bottom + BAND_GAP);
    expect(layout.width).toBe(224);
  });

  it('draws at most 0x3000 bits of an oversized range', () => {
    const l = computeLayout([{ base: 0, nmsrs: 0xffff_ffff }], 8, 224);
    expect(l.bands[0].bits).toBe(MAX_DRAWN_BITS);
    expect(l.bands[0].rows).toBe(MAX_DRAWN_BITS / 16);
  });

  it('clamps the zoom to 2..24 and steps through the zoom levels', () => {
    expect(computeLayout(shapes, 1, 500).zoom).toBe(2);
    expect(computeLayout(shapes, 99, 500).zoom).toBe(24);
    expect(stepZoom(8, 1)).toBe(10);
    expect(stepZoom(8, -1)).toBe(6);
    expect(stepZoom(24, 1)).toBe(24);
    expect(stepZoom(2, -1)).toBe(2);
    expect(stepZoom(7, 1)).toBe(8);
  });
});

describe('cell ↔ point', () => {
  it('puts bit b at row b / cols, column b % cols', () => {
    expect(cellRect(layout, 0, 0)).toEqual({ x: GUTTER, y: HEADER_HEIGHT, w: 8, h: 8 });
    expect(cellRect(layout, 0, 17)).toEqual({ x: GUTTER + 8, y: HEADER_HEIGHT + 8, w: 8, h: 8 });
    expect(cellRect(layout, 1, 3).y).toBe(layout.bands[1].cellsTop);
  });

  it('hit-tests the centre of every cell back to that cell (property)', () => {
    const cells = layout.bands.flatMap((b) => (b.bits > 0 ? [b.range] : []));
    fc.assert(
      fc.property(
        fc.constantFrom(...cells),
        fc.nat(),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (range, n, fx, fy) => {
          const bit = n % layout.bands[range].bits;
          const r = cellRect(layout, range, bit);
          expect(hitTest(layout, r.x + fx * r.w, r.y + fy * r.h)).toEqual({ range, bit });
        },
      ),
    );
  });

  it('finds no cell in headers, the gutter, gaps, the right margin or past the last bit', () => {
    expect(hitTest(layout, GUTTER + 4, 5)).toBeNull();
    expect(hitTest(layout, 10, HEADER_HEIGHT + 4)).toBeNull();
    expect(hitTest(layout, GUTTER + 4, layout.bands[0].bottom + 2)).toBeNull();
    expect(hitTest(layout, GUTTER + 16 * 8 + 2, HEADER_HEIGHT + 4)).toBeNull();
    // band 0 has 100 bits: row 6 holds bits 96..99
    const past = cellCenter(layout, 0, 96);
    expect(hitTest(layout, past.x + 4 * 8, past.y)).toBeNull();
    expect(hitTest(layout, -5, -5)).toBeNull();
    expect(hitTest(layout, 100, layout.totalHeight + 50)).toBeNull();
  });

  it('clamps a point into one range for selection drags', () => {
    expect(hitTestInRange(layout, 0, 0, 0)).toEqual({ range: 0, bit: 0 });
    expect(hitTestInRange(layout, 0, 9999, 9999)).toEqual({ range: 0, bit: 99 });
    expect(hitTestInRange(layout, 2, 100, 100)).toBeNull();
  });

  it('lists every cell a fast drag crossed, without the start cell', () => {
    const a = cellCenter(layout, 0, 0);
    const b = cellCenter(layout, 0, 5);
    expect(cellsAlong(layout, a, b)).toEqual([1, 2, 3, 4, 5].map((bit) => ({ range: 0, bit })));
    const down = cellsAlong(layout, cellCenter(layout, 0, 1), cellCenter(layout, 0, 1 + 3 * 16));
    expect(down.map((c) => c.bit)).toEqual([17, 33, 49]);
    expect(cellsAlong(layout, a, a)).toEqual([]);
  });

  it('groups cells into spans of consecutive bits per range', () => {
    expect(
      toSpans([
        { range: 0, bit: 3 },
        { range: 0, bit: 1 },
        { range: 0, bit: 2 },
        { range: 1, bit: 2 },
        { range: 0, bit: 7 },
        { range: 0, bit: 2 },
      ]),
    ).toEqual([
      { range: 0, from: 1, to: 4 },
      { range: 0, from: 7, to: 8 },
      { range: 1, from: 2, to: 3 },
    ]);
  });

  it('covers a span with at most three rectangles', () => {
    expect(spanRects(layout, { range: 0, from: 2, to: 5 })).toEqual([
      { x: GUTTER + 16, y: HEADER_HEIGHT, w: 24, h: 8 },
    ]);
    const three = spanRects(layout, { range: 0, from: 14, to: 50 });
    expect(three).toEqual([
      { x: GUTTER + 14 * 8, y: HEADER_HEIGHT, w: 16, h: 8 },
      { x: GUTTER, y: HEADER_HEIGHT + 8, w: 128, h: 16 },
      { x: GUTTER, y: HEADER_HEIGHT + 24, w: 16, h: 8 },
    ]);
    expect(spanRects(layout, { range: 0, from: 14, to: 18 })).toHaveLength(2);
  });
});

describe('keyboard navigation', () => {
  const at = (range: number, bit: number) => ({ range, bit });

  it('steps left and right through bits and across ranges, skipping empty ones', () => {
    expect(navigate(layout, at(0, 5), 'right')).toEqual(at(0, 6));
    expect(navigate(layout, at(0, 99), 'right')).toEqual(at(1, 0));
    expect(navigate(layout, at(1, 19), 'right')).toEqual(at(3, 0));
    expect(navigate(layout, at(3, 0), 'left')).toEqual(at(1, 19));
    expect(navigate(layout, at(0, 0), 'left')).toEqual(at(0, 0));
    expect(navigate(layout, at(3, 63), 'right')).toEqual(at(3, 63));
  });

  it('moves up and down by rows, keeping the column and clamping to short rows', () => {
    expect(navigate(layout, at(0, 3), 'down')).toEqual(at(0, 19));
    expect(navigate(layout, at(0, 19), 'up')).toEqual(at(0, 3));
    // row 5 col 10 → row 6 has only 4 bits: clamp to the last bit
    expect(navigate(layout, at(0, 90), 'down')).toEqual(at(0, 99));
    // from the last row of range 0 into range 1, same column
    expect(navigate(layout, at(0, 98), 'down')).toEqual(at(1, 2));
    expect(navigate(layout, at(1, 2), 'up')).toEqual(at(0, 98));
    expect(navigate(layout, at(0, 3), 'up')).toEqual(at(0, 3));
  });

  it('pages, goes to the row ends and to the grid ends', () => {
    expect(navigate(layout, at(0, 3), 'pageDown', 3)).toEqual(at(0, 51));
    expect(navigate(layout, at(0, 3), 'pageDown', 100)).toEqual(at(3, 51));
    expect(navigate(layout, at(3, 51), 'pageUp', 100)).toEqual(at(0, 3));
    expect(navigate(layout, at(0, 20), 'home')).toEqual(at(0, 16));
    expect(navigate(layout, at(0, 20), 'end')).toEqual(at(0, 31));
    expect(navigate(layout, at(0, 97), 'end')).toEqual(at(0, 99));
    expect(navigate(layout, at(1, 5), 'first')).toEqual(at(0, 0));
    expect(navigate(layout, at(1, 5), 'last')).toEqual(at(3, 63));
  });

  it('stays inside one range when extending a selection', () => {
    expect(navigate(layout, at(0, 99), 'right', 10, 0)).toEqual(at(0, 99));
    expect(navigate(layout, at(0, 98), 'down', 10, 0)).toEqual(at(0, 98));
    expect(navigate(layout, at(0, 5), 'last', 10, 0)).toEqual(at(0, 99));
  });

  it('computes a page of rows and the scroll that reveals a cell', () => {
    expect(pageRows(layout, 400)).toBe(Math.floor((400 - HEADER_HEIGHT) / 8) - 1);
    expect(scrollToReveal(0, 100, { x: 0, y: 40, w: 8, h: 8 })).toBe(0);
    expect(scrollToReveal(0, 100, { x: 0, y: 200, w: 8, h: 8 })).toBe(116);
    expect(scrollToReveal(300, 100, { x: 0, y: 200, w: 8, h: 8 })).toBe(192);
  });

  it('clamps a focus or a selection after ranges shrink or vanish', () => {
    const shrunk = computeLayout([{ base: 0, nmsrs: 10 }], 8, 224);
    expect(clampCell(shrunk, at(0, 50))).toEqual(at(0, 9));
    expect(clampCell(shrunk, at(3, 1))).toEqual(at(0, 9));
    expect(clampCell(computeLayout([], 8, 224), at(0, 1))).toBeNull();
    expect(clampSelection(shrunk, { range: 0, from: 5, to: 50 })).toEqual({ range: 0, from: 5, to: 10 });
    expect(clampSelection(shrunk, { range: 1, from: 0, to: 5 })).toBeNull();
    expect(clampSelection(shrunk, { range: 0, from: 12, to: 50 })).toBeNull();
  });
});

describe('rangeCovering', () => {
  it('finds the first range that covers an MSR, like the kernel', () => {
    const ranges = [
      { base: 0x10, nmsrs: 4 },
      { base: 0, nmsrs: 0x100 },
      { base: 0xc000_0080, nmsrs: 1 },
    ];
    expect(rangeCovering(ranges, 0x11)).toBe(0);
    expect(rangeCovering(ranges, 0x14)).toBe(1);
    expect(rangeCovering(ranges, 0xc000_0080)).toBe(2);
    expect(rangeCovering(ranges, 0xc000_0081)).toBe(-1);
    expect(rangeCovering(ranges, 0x100)).toBe(-1);
  });
});
