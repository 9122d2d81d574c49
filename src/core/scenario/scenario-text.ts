import { EXIT_REASONS } from '../constants';
import { parseJsonText } from '../policy/policy-json';
import type { StepExpectation } from './expect';
import type { Step } from './types';

/*
 * A fast way from a scenario's JSON text to its steps, for files of many thousand accesses (`msrfilter test`).
 *
 * The `steps` array is decoded straight from the text when every step is an rdmsr/wrmsr written the way the
 * exporter writes them (any whitespace and key order; `index`, `value`, `host`, `expect`); every other top-level
 * member goes through JSON.parse. Whatever lies outside that subset — a string escape, a JSON number, `reply`, an
 * unknown or repeated key, a syntax error, a value out of range — makes it return null, and the caller reads the
 * text the ordinary way (JSON.parse, then scenarioFromJson), which then gives the result or the error. So it only
 * ever answers where the ordinary path would answer the same (a property test holds it to that).
 */

/** Thrown inside the decoder at the first thing outside its subset; never leaves this module. */
class OutsideSubset {}
const OUTSIDE = new OutsideSubset();

const DECISIONS = ['allow', 'eperm', 'gp'] as const;
const RESULTS = ['ok', 'gp', 'error'] as const;
/** Small values (VMM data, counters) are common: one bigint each, shared (bigints are immutable). */
const SMALL = Array.from({ length: 256 }, (_, i) => BigInt(i));
const ACCESS_OPS = ['rdmsr', 'wrmsr'] as const;
const STEP_KEYS = ['op', 'index', 'value', 'host', 'expect'] as const;
const EXPECT_KEYS = ['decision', 'exit', 'result', 'value'] as const;
/** The step arrays this module decoded: scenarioFromJson takes these as they are. */
const decodedSteps = new WeakSet<Step[]>();
export const isDecodedSteps = (v: unknown): v is Step[] => Array.isArray(v) && decodedSteps.has(v);

class Cursor {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  /** Skips whitespace and the character `c`, which must be next. */
  take(c: number): void {
    this.ws();
    if (this.s.charCodeAt(this.i) !== c) throw OUTSIDE;
    this.i++;
  }

  /** Skips whitespace; true (and consumed) when `c` is next. */
  peekTake(c: number): boolean {
    this.ws();
    if (this.s.charCodeAt(this.i) !== c) return false;
    this.i++;
    return true;
  }

  /** A string without escapes: its content's [start, end); the cursor after the closing quote. */
  string(): number {
    this.take(34);
    const s = this.s;
    const start = this.i;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 || !(c >= 32)) throw OUTSIDE; // NaN: the text ended
      i++;
    }
    this.i = i + 1;
    return start;
  }

  /** Which of `words` the string just read (from `start`) is exactly. */
  oneOf<T extends string>(start: number, words: readonly T[]): T {
    const length = this.i - 1 - start;
    for (const w of words) if (w.length === length && this.s.startsWith(w, start)) return w;
    throw OUTSIDE;
  }

  literal(word: string): void {
    this.ws();
    if (!this.s.startsWith(word, this.i)) throw OUTSIDE;
    this.i += word.length;
  }

  /** `true` or `false`. */
  boolean(): boolean {
    this.ws();
    if (this.s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    this.literal('false');
    return false;
  }

  /** Skips whitespace; true (and consumed) when the literal `null` is next. */
  null(): boolean {
    this.ws();
    if (!this.s.startsWith('null', this.i)) return false;
    this.i += 4;
    return true;
  }

  /** A numeric string ("0x..." hex or decimal, nothing else in it) as a bigint below 2^64. */
  u64(): bigint {
    const start = this.string();
    const end = this.i - 1;
    const s = this.s;
    const hex = end - start > 2 && s.charCodeAt(start) === 48 && (s.charCodeAt(start + 1) | 32) === 120;
    let i = hex ? start + 2 : start;
    while (i < end - 1 && s.charCodeAt(i) === 48) i++;
    const significant = end - i;
    if (significant === 0) throw OUTSIDE;
    let n = 0;
    for (let k = i; k < end; k++) {
      const d = digit(s.charCodeAt(k), hex);
      if (d < 0) throw OUTSIDE;
      n = hex ? n * 16 + d : n * 10 + d;
    }
    // Exact in a double up to 13 hex or 15 decimal digits; longer ones go through BigInt's own parser.
    if (significant <= (hex ? 13 : 15)) return n < SMALL.length ? SMALL[n] : BigInt(n);
    if (!hex || significant > 16) throw OUTSIDE;
    return BigInt(s.slice(start, end));
  }

  /** A numeric string below 2^32. */
  u32(): number {
    const v = this.u64();
    if (v > 0xffff_ffffn) throw OUTSIDE;
    return Number(v);
  }
}

function digit(c: number, hex: boolean): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (!hex) return -1;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** A step's `expect` object (access steps' fields), in the ordinary reader's key order. */
function expectation(c: Cursor): StepExpectation {
  if (c.null()) return {};
  c.ws();
  if (c.s.charCodeAt(c.i) === 34) return { decision: c.oneOf(c.string(), DECISIONS) };
  c.take(123);
  let decision: StepExpectation['decision'];
  let exit: StepExpectation['exit'];
  let result: StepExpectation['result'];
  let value: StepExpectation['value'];
  if (!c.peekTake(125)) {
    do {
      const key = c.oneOf(c.string(), EXPECT_KEYS);
      c.take(58);
      if (key === 'decision' && decision === undefined) decision = c.oneOf(c.string(), DECISIONS);
      else if (key === 'exit' && exit === undefined) exit = c.null() ? null : c.oneOf(c.string(), EXIT_REASONS);
      else if (key === 'result' && result === undefined) result = c.oneOf(c.string(), RESULTS);
      else if (key === 'value' && value === undefined) value = c.null() ? null : c.u64();
      else throw OUTSIDE;
    } while (c.peekTake(44));
    c.take(125);
  }
  // All four, as the exporter writes them: one object literal (one shape, no transitions).
  if (decision !== undefined && exit !== undefined && result !== undefined && value !== undefined) {
    return { decision, exit, result, value };
  }
  const out: StepExpectation = {};
  if (decision !== undefined) out.decision = decision;
  if (exit !== undefined) out.exit = exit;
  if (result !== undefined) out.result = result;
  if (value !== undefined) out.value = value;
  return out;
}

function step(c: Cursor): Step {
  c.take(123);
  let op: 'rdmsr' | 'wrmsr' | undefined;
  let index: number | undefined;
  let value: bigint | undefined;
  let host: boolean | undefined;
  let expect: StepExpectation | undefined;
  do {
    const key = c.oneOf(c.string(), STEP_KEYS);
    c.take(58);
    if (key === 'op' && op === undefined) op = c.oneOf(c.string(), ACCESS_OPS);
    else if (key === 'index' && index === undefined) index = c.u32();
    else if (key === 'value' && value === undefined) value = c.u64();
    else if (key === 'host' && host === undefined) host = c.boolean();
    else if (key === 'expect' && expect === undefined) expect = expectation(c);
    else throw OUTSIDE;
  } while (c.peekTake(44));
  c.take(125);
  if (op === undefined || index === undefined) throw OUTSIDE;
  // The ordinary reader's fields in its order, each shape one object literal.
  host ??= false;
  if (op === 'rdmsr') {
    if (value !== undefined) throw OUTSIDE;
    return expect === undefined ? { op, index, host } : { op, index, host, expect };
  }
  if (value === undefined) throw OUTSIDE;
  return expect === undefined ? { op, index, value, host } : { op, index, value, host, expect };
}

function steps(c: Cursor): Step[] {
  const out: Step[] = [];
  c.take(91);
  if (c.peekTake(93)) return out;
  do {
    out.push(step(c));
  } while (c.peekTake(44));
  c.take(93);
  decodedSteps.add(out);
  return out;
}

/** The end of the JSON value at the cursor (not checked: JSON.parse of the slice checks it). */
function skipValue(c: Cursor): number {
  c.ws();
  const s = c.s;
  let i = c.i;
  let depth = 0;
  for (; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 34) {
      for (i++; i < s.length && s.charCodeAt(i) !== 34; i++) if (s.charCodeAt(i) === 92) i++;
      if (depth === 0) return i + 1;
    } else if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (ch === 44 || ch === 32 || ch === 10 || ch === 13 || ch === 9)) return i;
  }
  return i;
}

/**
 * A scenario file's text as the JSON value scenarioFromJson (and shareDocumentFromJson) read: by the fast path when
 * it can (its `steps` already decoded), else parseJsonText's (a syntax error is an InputError at `what`).
 */
export function scenarioJsonFromText(text: string, what: string): unknown {
  return decodeScenarioText(text) ?? parseJsonText(text, what);
}

/** The scenario text's top-level object, its `steps` decoded by the fast path, or null: read it the ordinary way. */
export function decodeScenarioText(text: string): Record<string, unknown> | null {
  const c = new Cursor(text);
  if (text.charCodeAt(0) === 0xfeff) c.i = 1;
  const json: Record<string, unknown> = {};
  let decoded = false;
  try {
    c.take(123);
    if (!c.peekTake(125)) {
      do {
        const start = c.string();
        const key = text.slice(start, c.i - 1);
        if (Object.hasOwn(json, key) || key === '__proto__') return null;
        c.take(58);
        if (key === 'steps') {
          json.steps = steps(c);
          decoded = true;
          continue;
        }
        c.ws();
        const from = c.i;
        c.i = skipValue(c);
        json[key] = JSON.parse(text.slice(from, c.i));
      } while (c.peekTake(44));
      c.take(125);
    }
    c.ws();
    if (c.i !== text.length) return null;
  } catch (e) {
    if (e === OUTSIDE || e instanceof SyntaxError) return null;
    throw e;
  }
  // Without a steps array there is nothing to gain; the ordinary path reads the rest.
  return decoded ? json : null;
}
