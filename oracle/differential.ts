/**
 * The differential test: generated scenarios run on the simulator and on the real kernel (one fresh helper process
 * per scenario), compared field by field. fast-check shrinks a disagreement to the smallest scenario that shows it.
 */
import fc from 'fast-check';
import {
  type HostModelId,
  runScenario,
  type Scenario,
  scenarioToJson,
  stepResultToJson,
  type VcpuModelId,
} from '../src/core/index';
import { compareRecords, type Mismatch, newTally, type Rec, type Tally } from './compare';
import { type GScenario, gScenario, materialize } from './gen';
import { runParsedScenarioOnKvm } from './kvm-runner';

export interface PairRun {
  scenario: Scenario;
  sim: Rec[];
  kvm: Rec[];
  mismatches: Mismatch[];
  /** The helper failed (CliExit 4): a disagreement too, shrunk like any other. */
  oracleError?: string;
}

export async function runPair(s: Scenario, tally?: Tally): Promise<PairRun> {
  const sim = runScenario(s, false).steps.map((r) => stepResultToJson(r));
  try {
    const kvm = (await runParsedScenarioOnKvm(s, { trace: false, timeoutMs: 60_000 })).records;
    return { scenario: s, sim, kvm, mismatches: compareRecords(s, sim, kvm, tally) };
  } catch (e) {
    const message = (e as Error).message;
    return {
      scenario: s,
      sim,
      kvm: [],
      mismatches: [{ step: -1, field: 'shape', sim: 'ran', kvm: message }],
      oracleError: message,
    };
  }
}

/** Drops the steps after the first disagreement when the shorter scenario still shows one. */
async function trimmed(p: PairRun): Promise<PairRun> {
  const first = Math.min(...p.mismatches.map((m) => m.step));
  if (first < 0 || first + 1 >= p.scenario.steps.length) return p;
  const shorter = await runPair({ ...p.scenario, steps: p.scenario.steps.slice(0, first + 1) });
  return shorter.mismatches.length ? shorter : p;
}

export interface ModelReport {
  model: VcpuModelId;
  tally: Tally;
  /** The smallest disagreeing run found, if any, with what replays it in fast-check. */
  failure?: PairRun & { seed: number; path?: string };
}

export interface DiffOptions {
  steps: number;
  seed: number;
  /** The host model to simulate: the one that matches the kernel the oracle runs on. */
  host?: HostModelId;
  onScenario?: (model: VcpuModelId, tally: Tally) => void;
}

/** Runs generated scenarios for one model until `steps` steps have been compared, or a disagreement is shrunk. */
export async function diffModel(model: VcpuModelId, opts: DiffOptions): Promise<ModelReport> {
  const tally = newTally();
  let failing = false;
  const property = fc.asyncProperty(gScenario, async (g: GScenario) => {
    if (!failing && tally.steps >= opts.steps) return true; // budget spent: remaining runs are no-ops
    const pair = await runPair(materialize(g, model, opts.host), failing ? undefined : tally);
    if (!failing) opts.onScenario?.(model, tally);
    if (pair.mismatches.length === 0) return true;
    failing = true;
    return false;
  });
  const details = await fc.check(property, { seed: opts.seed, numRuns: Math.max(opts.steps, 1) });
  if (!details.failed || !details.counterexample) return { model, tally };
  const smallest = await trimmed(await runPair(materialize(details.counterexample[0], model, opts.host)));
  return { model, tally, failure: { ...smallest, seed: opts.seed, path: details.counterexamplePath ?? undefined } };
}

/** The failure as text: the scenario (msr-scenario/1 JSON), both outputs, and the fields that differ. */
export function describeFailure(f: NonNullable<ModelReport['failure']>): string {
  const lines = (recs: Rec[]) => recs.map((r) => JSON.stringify(r)).join('\n');
  const diffs = f.mismatches
    .map((m) =>
      m.step < 0
        ? `  the helper failed: ${m.kvm}`
        : `  steps[${m.step}].${m.field}: simulator ${JSON.stringify(m.sim)}, kernel ${JSON.stringify(m.kvm)}`,
    )
    .join('\n');
  return [
    `smallest disagreeing scenario (seed ${f.seed}${f.path ? `, fast-check path ${f.path}` : ''}):`,
    JSON.stringify(scenarioToJson(f.scenario), null, 2),
    'simulator:',
    lines(f.sim),
    'kernel:',
    f.oracleError ? `(no output: ${f.oracleError})` : lines(f.kvm),
    'differences:',
    diffs,
  ].join('\n');
}
