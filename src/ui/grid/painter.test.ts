import { describe, expect, it } from 'vitest';
import type { FilterRange } from '../../core/index';
import { computeLayout } from './geometry';
import { GridPainter, type PaintInput } from './painter';
import { FALLBACK_COLORS } from './raster';

function input(ranges: FilterRange[], over: Partial<PaintInput> = {}): PaintInput {
  const layout = computeLayout(ranges, 8, 640);
  return { ranges, layout, width: 640, height: 300, dpr: 1, scrollTop: 0, colors: FALLBACK_COLORS, ...over };
}

function make() {
  const base = document.createElement('canvas');
  const overlay = document.createElement('canvas');
  const painter = new GridPainter();
  painter.attach(base, overlay);
  return { painter, base };
}

const ranges = (): FilterRange[] => [
  { flags: 1, base: 0, nmsrs: 0x400, bitmap: new Uint8Array(0x80) },
  { flags: 1, base: 0x1000, nmsrs: 64, bitmap: new Uint8Array(8) },
];

describe('GridPainter', () => {
  it('paints in full first, sized by the device pixel ratio', () => {
    const { painter, base } = make();
    expect(painter.update(input(ranges(), { dpr: 2 }))).toBe('full');
    expect(base.width).toBe(1280);
    expect(base.height).toBe(600);
    expect(painter.stats.fullPaints).toBe(1);
  });

  it('repaints only the rows whose bytes changed', () => {
    const { painter } = make();
    const rs = ranges();
    painter.update(input(rs));
    // cols = 64 at 640 px: byte 9 is bits 72..79, row 1; bytes 40 and 41 are row 5
    const next = rs.map((r) => ({ ...r, bitmap: new Uint8Array(r.bitmap) }));
    next[0].bitmap[9] = 0xff;
    next[0].bitmap[40] = 1;
    next[0].bitmap[41] = 1;
    expect(painter.update(input(next))).toBe('rows');
    expect(painter.stats.lastRows).toBe(2);
    expect(painter.stats.fullPaints).toBe(1);
    expect(painter.bitAt(0, 72)).toBe(true);
    // same props again: nothing to do
    expect(painter.update(input(next))).toBe('none');
  });

  it('repaints in full when the view changes: scroll, zoom, size, colours, headers', () => {
    const { painter } = make();
    const rs = ranges();
    painter.update(input(rs));
    expect(painter.update(input(rs, { scrollTop: 40 }))).toBe('full');
    expect(painter.update(input(rs, { scrollTop: 40, layout: computeLayout(rs, 10, 640) }))).toBe('full');
    expect(painter.update(input(rs, { width: 500 }))).toBe('full');
    expect(painter.update(input(rs, { width: 500, colors: { ...FALLBACK_COLORS, allow: '#000000' } }))).toBe('full');
    const renamed = rs.map((r, i) => (i === 1 ? { ...r, comment: 'now with a comment' } : r));
    expect(painter.update(input(renamed, { width: 500, colors: { ...FALLBACK_COLORS, allow: '#000000' } }))).toBe(
      'full',
    );
  });

  it('paints an edit ahead of the props and reconciles when the owner ignores it', () => {
    const { painter } = make();
    const rs = ranges();
    painter.update(input(rs));
    painter.applyLocal(0, 10, 20, 'allow');
    expect(painter.bitAt(0, 10)).toBe(true);
    expect(painter.bitAt(0, 20)).toBe(false);
    // the owner applied it: the props match what is drawn, nothing to repaint
    const applied = rs.map((r) => ({ ...r, bitmap: new Uint8Array(r.bitmap) }));
    for (let b = 10; b < 20; b++) applied[0].bitmap[b >> 3] |= 1 << (b & 7);
    expect(painter.update(input(applied))).toBe('none');
    // an edit the owner refuses: the same props come back and the canvas is put right
    painter.applyLocal(0, 100, 101, 'invert');
    expect(painter.bitAt(0, 100)).toBe(true);
    expect(painter.update(input(applied))).toBe('rows');
    expect(painter.bitAt(0, 100)).toBe(false);
  });

  it('ignores bits past nmsrs in the bitmap', () => {
    const { painter } = make();
    const rs: FilterRange[] = [{ flags: 1, base: 0, nmsrs: 5, bitmap: Uint8Array.of(0) }];
    painter.update(input(rs));
    expect(painter.update(input([{ ...rs[0], bitmap: Uint8Array.of(0xe0) }]))).toBe('none');
    expect(painter.update(input([{ ...rs[0], bitmap: Uint8Array.of(0xe1) }]))).toBe('rows');
  });
});
