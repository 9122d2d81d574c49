/** The grid harness's data: options from the query string, generated ranges, and edits applied like a store would. */
import { type FilterRange, KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE } from '../../core/index';
import type { GridOp } from './types';

export interface HarnessOptions {
  ranges: number;
  nmsrs: number;
  zoom: number;
  fill: 'pattern' | 'deny' | 'allow';
}

export function harnessOptions(search: string): HarnessOptions {
  const q = new URLSearchParams(search);
  const num = (k: string, d: number, max: number) => {
    const v = q.get(k);
    const n = v === null ? Number.NaN : Number(v);
    return Number.isFinite(n) && n >= 0 ? Math.min(max, Math.floor(n)) : d;
  };
  const fill = q.get('fill');
  return {
    ranges: num('ranges', 16, 64),
    nmsrs: num('nmsrs', 0x3000, 0x3000),
    zoom: num('zoom', 8, 24) || 8,
    fill: fill === 'deny' || fill === 'allow' ? fill : 'pattern',
  };
}

/** Ranges for the harness: bases 0, 0x3000, … then 0xc0000000, …; a seeded pattern of runs, or all one value. */
export function harnessRanges(o: HarnessOptions): FilterRange[] {
  let seed = 0x2545f491;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x1_0000_0000;
  };
  const out: FilterRange[] = [];
  for (let i = 0; i < o.ranges; i++) {
    const bitmap = new Uint8Array(Math.ceil(o.nmsrs / 8));
    if (o.fill === 'allow') bitmap.fill(0xff);
    else if (o.fill === 'pattern') {
      let b = 0;
      let on = rnd() < 0.5;
      while (b < o.nmsrs) {
        const run = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 400 : 24));
        if (on) for (let k = b; k < Math.min(o.nmsrs, b + run); k++) bitmap[k >>> 3] |= 1 << (k & 7);
        b += run;
        on = !on;
      }
    }
    const base = i < 8 ? i * 0x3000 : 0xc000_0000 + (i - 8) * 0x3000;
    const flags =
      i % 3 === 0
        ? KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE
        : i % 3 === 1
          ? KVM_MSR_FILTER_READ
          : KVM_MSR_FILTER_WRITE;
    out.push({ flags, base: base >>> 0, nmsrs: o.nmsrs, bitmap, comment: `harness range ${i}` });
  }
  return out;
}

export function applyOp(
  ranges: readonly FilterRange[],
  range: number,
  from: number,
  to: number,
  op: GridOp,
): FilterRange[] {
  const r = ranges[range];
  if (!r) return [...ranges];
  const bitmap = new Uint8Array(Math.max(r.bitmap.length, Math.ceil(to / 8)));
  bitmap.set(r.bitmap);
  for (let b = from; b < to; b++) {
    const m = 1 << (b & 7);
    if (op === 'allow') bitmap[b >>> 3] |= m;
    else if (op === 'deny') bitmap[b >>> 3] &= ~m;
    else bitmap[b >>> 3] ^= m;
  }
  const next = [...ranges];
  next[range] = { ...r, bitmap };
  return next;
}
