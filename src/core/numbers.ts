import { InputError } from './errors';

export const U32_MAX = 0xffff_ffff;
export const U64_MASK = (1n << 64n) - 1n;

const DECIMAL = /^[0-9]+$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;

function describeJson(v: unknown): string {
  if (typeof v === 'string')
    return v.length > 60 ? `${JSON.stringify(v.slice(0, 60)).slice(0, -1)}…"` : JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Parses a JSON number or a decimal/0x-hex string into a bigint; throws InputError at `place`. */
export function parseBigNumber(v: unknown, place: string): bigint {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new InputError(place, `${v} is not a non-negative integer`);
    if (v > Number.MAX_SAFE_INTEGER)
      throw new InputError(place, `${v} does not fit exactly in a JSON number; write it as a string`);
    return BigInt(v);
  }
  if (typeof v === 'string') {
    const s = v.trim();
    const hex = HEX.test(s);
    if (hex || DECIMAL.test(s)) {
      // Leading zeros are harmless ("0x" + 17 digits, zero-padded decimals); the cap on significant digits only
      // keeps absurdly long strings from becoming huge bigints.
      const digits = hex ? s.length - 2 : s.length;
      if (digits <= 40 || (hex ? s.slice(2) : s).replace(/^0+(?=.)/, '').length <= 40) return BigInt(s);
      throw new InputError(place, `${describeJson(v)} is far too large`);
    }
    throw new InputError(place, `${describeJson(v)} is not a number (use decimal or 0x-hex)`);
  }
  throw new InputError(place, `expected a number or a numeric string, got ${describeJson(v)}`);
}

/** A 32-bit unsigned value such as an MSR index, a range base or an nmsrs count. */
export function parseU32(v: unknown, place: string, what = 'a 32-bit value'): number {
  const n = parseBigNumber(v, place);
  if (n > 0xffff_ffffn) throw new InputError(place, `${formatBig(n)} is not ${what}`);
  return Number(n);
}

export function parseMsrIndex(v: unknown, place: string): number {
  return parseU32(v, place, 'a 32-bit MSR index');
}

export function parseU64(v: unknown, place: string): bigint {
  const n = parseBigNumber(v, place);
  if (n > U64_MASK) throw new InputError(place, `${formatBig(n)} does not fit in 64 bits`);
  return n;
}

function formatBig(n: bigint): string {
  return `0x${n.toString(16)}`;
}

export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

export function hex64(n: bigint): string {
  return `0x${(n & U64_MASK).toString(16).padStart(16, '0')}`;
}

/** Short hex for display: 0x10, 0xc0000080. */
export function hexShort(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

export function describeValue(v: unknown): string {
  return describeJson(v);
}
