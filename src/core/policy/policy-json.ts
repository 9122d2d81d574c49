import { type ParseError, parse as parseJsonc } from 'jsonc-parser';
import { InputError, placeOf } from '../errors';
import { describeValue, hex32, parseU32 } from '../numbers';
import { bitmapFromHex, bitmapToHex, trimBitmap } from './bitmap';
import { filterFlagsToString, parseFilterFlags, parseRangeFlags, rangeFlagsToString } from './flags';
import type { FilterPolicy, FilterRange } from './types';

export const POLICY_FORMAT = 'msr-filter/1';
/** Upper bound on ranges accepted by the reader: the kernel's array holds 16; more are kept so validation can name them. */
export const MAX_RANGES_READ = 64;
/** Upper bound on bitmap bytes accepted per range (the kernel copies at most 0x600). */
export const MAX_BITMAP_BYTES_READ = 0x10000;

export function expectObject(v: unknown, place: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new InputError(place, `expected an object, got ${describeValue(v)}`);
  }
  return v as Record<string, unknown>;
}

export function optionalString(obj: Record<string, unknown>, key: string, place: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InputError(placeOf(place, key), `expected a string, got ${describeValue(v)}`);
  return v;
}

function parseRange(v: unknown, place: string): FilterRange {
  const obj = expectObject(v, place);
  if (obj.nmsrs === undefined) throw new InputError(placeOf(place, 'nmsrs'), 'is required');
  if (obj.base === undefined) throw new InputError(placeOf(place, 'base'), 'is required');
  const flags = parseRangeFlags(obj.flags ?? 0, placeOf(place, 'flags'));
  const base = parseU32(obj.base, placeOf(place, 'base'), 'a 32-bit MSR index');
  const nmsrs = parseU32(obj.nmsrs, placeOf(place, 'nmsrs'), 'a 32-bit count');
  let bitmap: Uint8Array = new Uint8Array(0);
  if (obj.bitmap !== undefined) {
    const at = placeOf(place, 'bitmap');
    if (typeof obj.bitmap !== 'string')
      throw new InputError(at, `expected a hex string, got ${describeValue(obj.bitmap)}`);
    const text = obj.bitmap.replace(/\s+/g, '');
    if (text.length > MAX_BITMAP_BYTES_READ * 2) throw new InputError(at, `longer than ${MAX_BITMAP_BYTES_READ} bytes`);
    const parsed = bitmapFromHex(text);
    if (!parsed) throw new InputError(at, 'is not a hex string of whole bytes (two hex digits per byte)');
    bitmap = parsed;
  }
  const comment = optionalString(obj, 'comment', place);
  return comment === undefined ? { flags, base, nmsrs, bitmap } : { flags, base, nmsrs, bitmap, comment };
}

/** Reads an `msr-filter/1` object (already parsed from JSON). Throws InputError naming the place. */
export function policyFromJson(v: unknown, place = ''): FilterPolicy {
  const obj = expectObject(v, place || '(policy)');
  if (obj.format !== undefined && obj.format !== POLICY_FORMAT) {
    throw new InputError(placeOf(place, 'format'), `expected "${POLICY_FORMAT}", got ${describeValue(obj.format)}`);
  }
  const flags = parseFilterFlags(obj.flags ?? 0, placeOf(place, 'flags'));
  const rangesRaw = obj.ranges ?? [];
  if (!Array.isArray(rangesRaw)) {
    throw new InputError(placeOf(place, 'ranges'), `expected an array, got ${describeValue(rangesRaw)}`);
  }
  if (rangesRaw.length > MAX_RANGES_READ) {
    throw new InputError(placeOf(place, 'ranges'), `${rangesRaw.length} ranges; at most ${MAX_RANGES_READ} are read`);
  }
  const ranges = rangesRaw.map((r, i) => parseRange(r, placeOf(placeOf(place, 'ranges'), i)));
  const name = optionalString(obj, 'name', place);
  return name === undefined ? { flags, ranges } : { name, flags, ranges };
}

/** Writes a policy as `msr-filter/1`, with symbolic flags where they are the kernel's and trimmed bitmaps. */
export function policyToJson(policy: FilterPolicy): Record<string, unknown> {
  const out: Record<string, unknown> = { format: POLICY_FORMAT };
  if (policy.name !== undefined) out.name = policy.name;
  out.flags = filterFlagsToString(policy.flags);
  out.ranges = policy.ranges.map((r) => {
    const range: Record<string, unknown> = {
      flags: rangeFlagsToString(r.flags),
      base: hex32(r.base),
      nmsrs: r.nmsrs,
      bitmap: bitmapToHex(
        trimBitmap(r.bitmap.subarray(0, Math.ceil(Math.min(r.nmsrs, MAX_BITMAP_BYTES_READ * 8) / 8))),
      ),
    };
    if (r.comment !== undefined) range.comment = r.comment;
    return range;
  });
  return out;
}

/** Parses JSON text; a syntax error becomes an InputError with the position. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    // A UTF-8 byte order mark (as some Windows editors write) is not JSON but is no reason to refuse the file.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new InputError(what, `not valid JSON (${jsonErrorText(text, e)})`);
  }
}

/** The offset of the first syntax error in strict JSON (no comments, no trailing commas), or null. */
function strictJsonErrorOffset(text: string): number | null {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors.length ? errors[0].offset : null;
}

/**
 * A JSON syntax error with its line and column (1-based), from the position the engine's message gives (V8:
 * "at position N" or "(line L column C)"); the message alone when it gives none.
 */
export function jsonErrorText(text: string, e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).replace(/ \(line \d+ column \d+\)/, '');
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const m = /position (\d+)/.exec(message);
  // V8 names no position for "Unexpected token" errors: a strict JSON scanner (jsonc-parser) finds where it is
  const at = m ? Number(m[1]) : strictJsonErrorOffset(body);
  if (at === null) return message;
  const pos = Math.min(at, body.length);
  const before = body.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message}`;
}
