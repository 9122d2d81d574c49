/** Words for the grid: cell descriptions for the status line and the live region, headers, jump targets. */
import { type FilterRange, hex32, msrByName, msrName, rangeFlagsToString, testBit } from '../../core/index';
import { drawnBits, MAX_DRAWN_BITS, rangeCovering } from './geometry';

/** "MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed" */
export function describeCell(ranges: readonly FilterRange[], range: number, bit: number): string {
  const r = ranges[range];
  if (!r) return '';
  const index = ((r.base >>> 0) + bit) >>> 0;
  const name = msrName(index);
  const state = testBit(r.bitmap, bit) ? 'allowed' : 'denied';
  return `MSR ${hex32(index)}${name ? ` ${name}` : ''}, range ${range} bit ${bit}, ${state}`;
}

export function describeSelection(ranges: readonly FilterRange[], sel: { range: number; from: number; to: number }) {
  const r = ranges[sel.range];
  if (!r) return '';
  const n = sel.to - sel.from;
  const first = hex32((r.base >>> 0) + sel.from);
  const last = hex32((r.base >>> 0) + sel.to - 1);
  let allowed = 0;
  for (let b = sel.from; b < sel.to; b++) if (testBit(r.bitmap, b)) allowed++;
  return `selected ${n} MSR${n === 1 ? '' : 's'} ${first}–${last} in range ${sel.range}, ${allowed} allowed`;
}

export function flagsText(flags: number): string {
  const f = rangeFlagsToString(flags);
  return typeof f === 'number' ? `flags ${hex32(f)}` : f;
}

/** The header line of a range's band. */
export function headerText(r: FilterRange, range: number): string {
  const base = r.base >>> 0;
  const bits = drawnBits(r.nmsrs);
  const end = bits > 0 ? hex32(base + bits - 1) : hex32(base);
  const parts = [`Range ${range}`, bits > 0 ? `${hex32(base)}–${end}` : `${hex32(base)} (empty)`, flagsText(r.flags)];
  parts.push(`${r.nmsrs} MSR${r.nmsrs === 1 ? '' : 's'}`);
  if (r.nmsrs > MAX_DRAWN_BITS) parts.push(`first ${MAX_DRAWN_BITS} shown`);
  if (r.comment) parts.push(r.comment);
  return parts.join(' · ');
}

export type JumpResult =
  | { ok: true; index: number; range: number; bit: number; name?: string }
  | { ok: false; error: string };

const NUMBER = /^(0[xX][0-9a-fA-F]{1,8}|[0-9]{1,10})$/;

/** Resolves what the user typed in "Jump to MSR": a decimal or 0x-hex index, or a name (IA32_ prefix optional). */
export function resolveJump(ranges: readonly FilterRange[], input: string): JumpResult {
  const text = input.trim();
  if (!text) return { ok: false, error: 'Type an MSR index (0x10) or name (IA32_TSC).' };
  let index: number;
  let name: string | undefined;
  if (NUMBER.test(text)) {
    const n = Number(text);
    if (n > 0xffff_ffff) return { ok: false, error: `${text} is not a 32-bit MSR index.` };
    index = n;
    name = msrName(n);
  } else {
    const def = msrByName(text);
    if (!def) return { ok: false, error: `No MSR is called ${JSON.stringify(text)}.` };
    index = def.index;
    name = def.name;
  }
  const range = rangeCovering(ranges, index);
  const label = `${hex32(index)}${name ? ` ${name}` : ''}`;
  if (range < 0) return { ok: false, error: `MSR ${label} is not in any range.` };
  return { ok: true, index, range, bit: index - (ranges[range].base >>> 0), name };
}
