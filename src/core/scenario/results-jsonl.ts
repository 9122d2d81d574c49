import { hex32, hex64 } from '../numbers';
import { isControlResult, type StepResult } from './run-scenario';

/** One result line of formats.md, as a plain object (extra fields: `message`, `trace`, `bit`). */
export function stepResultToJson(r: StepResult, withTrace = false): Record<string, unknown> {
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

export function resultsToJsonLines(results: readonly StepResult[], withTrace = false): string {
  return results.map((r) => `${JSON.stringify(stepResultToJson(r, withTrace))}\n`).join('');
}
