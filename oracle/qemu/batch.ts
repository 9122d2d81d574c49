/**
 * Many scenarios in few helper runs on the svm-6.1 guest: starting a helper there costs ~70 ms, a fresh VM inside
 * a running helper 30-60 ms (the helper's `close` then `vcpu`). Each scenario still gets a fresh VM.
 */
import type { HelperRun } from '../helper-process';
import { answered, type Command } from '../kvm-plan';

export interface PlannedRun {
  /** planScenario's commands: `vcpu` first, `quit` last. */
  commands: readonly Command[];
}

/** What one scenario's part of a batched run printed, in the shape of a run of its own. */
export type BatchedRun = HelperRun;

const responses = (commands: readonly Command[]) => commands.filter(answered).length;

/**
 * Runs every planned scenario through `run` (QemuSession.run), `perRun` scenarios per helper run, with `close`
 * instead of each scenario's `quit` (both answer `ok`). A helper that dies (a fatal line) ends its run there: that
 * scenario gets the lines up to and including the fatal one and status 4, and the scenarios after it go again.
 */
export async function runBatched(
  planned: readonly PlannedRun[],
  run: (script: string) => Promise<HelperRun>,
  perRun = 50,
): Promise<BatchedRun[]> {
  const out: BatchedRun[] = new Array(planned.length);
  let next = 0;
  while (next < planned.length) {
    const batch = planned.slice(next, next + perRun);
    const script = batch
      .map((p) =>
        p.commands
          .flatMap((c) => (c.kind === 'quit' ? ['close'] : c.lines))
          .map((l) => `${l}\n`)
          .join(''),
      )
      .join('');
    const r = await run(`${script}quit\n`);
    let at = 0;
    let done = 0;
    for (const p of batch) {
      const want = responses(p.commands);
      const mine = r.lines.slice(at, at + want);
      const fatal = mine.findIndex((l) => l.startsWith('fatal'));
      if (fatal >= 0 || mine.length < want) {
        const lines = fatal >= 0 ? mine.slice(0, fatal + 1) : mine;
        out[next + done] = {
          lines,
          code: fatal >= 0 ? 4 : (r.code ?? 4),
          signal: null,
          stderr: r.stderr,
          timedOut: false,
        };
        done++;
        break;
      }
      out[next + done] = { lines: mine, code: 0, signal: null, stderr: '', timedOut: false };
      at += want;
      done++;
    }
    next += done;
  }
  return out;
}
