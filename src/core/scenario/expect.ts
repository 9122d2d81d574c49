import { type Errno, EXIT_REASONS, type ExitReason } from '../constants';
import { InputError, placeOf } from '../errors';
import { describeValue, hex64, parseU64, U64_MASK } from '../numbers';
import { expectObject } from '../policy/policy-json';
import { isControlResult, type StepResult } from './run-scenario';

/** A step's `expect`: the fields its result must have (any subset). `exit: null` expects no user-space exit. */
export interface StepExpectation {
  decision?: 'allow' | 'eperm' | 'gp';
  exit?: ExitReason | null;
  result?: 'ok' | 'gp' | 'error';
  value?: bigint | null;
  errno?: Errno | null;
}

export const EXPECT_FIELDS = ['decision', 'exit', 'result', 'value', 'errno'] as const;
export type ExpectField = (typeof EXPECT_FIELDS)[number];

const DECISIONS = ['allow', 'eperm', 'gp'] as const;
const RESULTS = ['ok', 'gp', 'error'] as const;
const ERRNOS: readonly Errno[] = ['EINVAL', 'EFAULT', 'E2BIG', 'ENOMEM', 'ENOENT', 'EPERM'];
const ACCESS_FIELDS: readonly ExpectField[] = ['decision', 'exit', 'result', 'value'];

function oneOf<T extends string>(v: unknown, known: readonly T[], place: string, what: string): T {
  if (typeof v !== 'string' || !(known as readonly string[]).includes(v)) {
    throw new InputError(place, `unknown ${what} ${describeValue(v)} (known: ${known.join(', ')})`);
  }
  return v as T;
}

/**
 * Reads a step's `expect` object. `op` is the step's op: access steps (rdmsr, wrmsr) take decision, exit, result,
 * value; set-filter and set-exits take errno. Any other field, or a field the op cannot have, is an InputError.
 */
export function parseExpectation(v: unknown, place: string, op: string): StepExpectation {
  // The playground's saved accesses write the expected verdict alone ("allow", "eperm", "gp", or null for none).
  if (v === null) return {};
  if (typeof v === 'string') {
    if (!(DECISIONS as readonly string[]).includes(v) || (op !== 'rdmsr' && op !== 'wrmsr')) {
      throw new InputError(place, `expected "allow", "eperm", "gp" or null, got ${JSON.stringify(v)}`);
    }
    return { decision: v as StepExpectation['decision'] };
  }
  const obj = expectObject(v, place);
  const access = op === 'rdmsr' || op === 'wrmsr';
  const out: StepExpectation = {};
  for (const key of Object.keys(obj)) {
    const at = placeOf(place, key);
    if (!(EXPECT_FIELDS as readonly string[]).includes(key)) {
      throw new InputError(at, `unknown expectation (known: ${EXPECT_FIELDS.join(', ')})`);
    }
    if (access !== ACCESS_FIELDS.includes(key as ExpectField)) {
      throw new InputError(
        at,
        access ? `${op} steps have no errno (expect decision, exit, result or value)` : `${op} steps report only errno`,
      );
    }
  }
  if (obj.decision !== undefined) out.decision = oneOf(obj.decision, DECISIONS, placeOf(place, 'decision'), 'decision');
  if (obj.exit !== undefined) {
    const e = obj.exit;
    const reason = typeof e === 'object' && e !== null && !Array.isArray(e) ? (e as { reason?: unknown }).reason : e;
    out.exit = reason === null ? null : oneOf(reason, EXIT_REASONS, placeOf(place, 'exit'), 'exit reason');
  }
  if (obj.result !== undefined) out.result = oneOf(obj.result, RESULTS, placeOf(place, 'result'), 'result');
  if (obj.value !== undefined) out.value = obj.value === null ? null : parseU64(obj.value, placeOf(place, 'value'));
  if (obj.errno !== undefined)
    out.errno = obj.errno === null ? null : oneOf(obj.errno, ERRNOS, placeOf(place, 'errno'), 'errno');
  return out;
}

export function expectationToJson(e: StepExpectation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (e.decision !== undefined) out.decision = e.decision;
  if (e.exit !== undefined) out.exit = e.exit;
  if (e.result !== undefined) out.result = e.result;
  if (e.value !== undefined) out.value = e.value === null ? null : hex64(e.value);
  if (e.errno !== undefined) out.errno = e.errno;
  return out;
}

/** One expectation a result did not meet, with both sides as they are written in result lines. */
export interface ExpectationMismatch {
  field: ExpectField;
  expected: string | null;
  got: string | null;
}

/** Whether `e` expects no field at all (`"expect": null` or `{}`): not a check. */
export const expectsNothing = (e: StepExpectation) => EXPECT_FIELDS.every((f) => e[f] === undefined);

const spelled = (v: bigint | string | null): string | null => (typeof v === 'bigint' ? hex64(v) : v);

/** The expectations `r` does not meet (empty: all met). Compared as values; spelled out only when missed. */
export function checkExpectation(r: StepResult, e: StepExpectation): ExpectationMismatch[] {
  const out: ExpectationMismatch[] = [];
  const miss = (field: ExpectField, expected: bigint | string | null, got: bigint | string | null) => {
    if (expected !== got) out.push({ field, expected: spelled(expected), got: spelled(got) });
  };
  if (isControlResult(r)) {
    // An access field expected of a set-filter/set-exits step is never met (its result has none of them).
    for (const field of ACCESS_FIELDS) {
      const want = e[field];
      if (want !== undefined) miss(field, want, null);
    }
    if (e.errno !== undefined) miss('errno', e.errno, r.errno);
    return out;
  }
  if (e.decision !== undefined) miss('decision', e.decision, r.decision);
  if (e.exit !== undefined) miss('exit', e.exit, r.exit ? r.exit.reason : null);
  if (e.result !== undefined) miss('result', e.result, r.result);
  // Compared as their 64-bit values, as the spelled-out forms would compare.
  if (e.value !== undefined && e.value !== r.value) {
    const mask = (v: bigint | null) => (v === null ? null : v & U64_MASK);
    miss('value', mask(e.value), mask(r.value));
  }
  if (e.errno !== undefined) miss('errno', e.errno, null);
  return out;
}

/** Builds the `expect` that the result `r` would meet in full (how the playground saves an access as a test). */
export function expectationOf(r: StepResult): StepExpectation {
  if (isControlResult(r)) return { errno: r.errno };
  return { decision: r.decision, exit: r.exit ? r.exit.reason : null, result: r.result, value: r.value };
}
