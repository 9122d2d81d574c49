import { hex32, hex64 } from '../numbers';
import { checkExpectation, type StepExpectation } from './expect';
import { isControlResult, type StepResult } from './run-scenario';

/**
 * One result line of formats.md, as a plain object (extra fields: `message`, `trace`, `bit`, and `expect` when the
 * step carried expectations: `{ "pass": true }` or `{ "pass": false, "mismatches": [{ field, expected, got }] }`).
 */
export function stepResultToJson(r: StepResult, withTrace = false, expect?: StepExpectation): Record<string, unknown> {
  const out = resultFields(r, withTrace);
  if (expect) {
    const mismatches = checkExpectation(r, expect);
    out.expect = mismatches.length ? { pass: false, mismatches } : { pass: true };
  }
  return out;
}

function resultFields(r: StepResult, withTrace: boolean): Record<string, unknown> {
  if (isControlResult(r)) {
    return { step: r.step, op: r.op, errno: r.errno, message: r.message };
  }
  const out: Record<string, unknown> = {
    step: r.step,
    op: r.op,
    index: hex32(r.index),
    host: r.host,
    decision: r.decision,
    exit: r.exit ? { reason: r.exit.reason } : null,
    result: r.result,
    value: r.value === null ? null : hex64(r.value),
    range: r.range,
  };
  if (r.bit !== null) out.bit = r.bit;
  if (withTrace) out.trace = r.trace.map((t) => `${t.stage}: ${t.text}`);
  return out;
}

/** `expectations[i]` is the `expect` of step `results[i].step` (pass the scenario's steps' expectations, if any). */
export function resultsToJsonLines(
  results: readonly StepResult[],
  withTrace = false,
  expectations?: readonly (StepExpectation | undefined)[],
): string {
  return results.map((r) => `${JSON.stringify(stepResultToJson(r, withTrace, expectations?.[r.step]))}\n`).join('');
}
