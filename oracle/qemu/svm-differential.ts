/**
 * The differential test on the svm-6.1 backend: generated scenarios (oracle/gen.ts, seeded) run on the real kvm_amd
 * 6.1 in the QEMU guest and on the simulator with the `svm` host model and the survey's profile, compared step by
 * step (oracle/compare.ts). The scenarios go through few helper runs (batch.ts); guest writes the CPU runs without
 * KVM (the survey's measured `passthrough` list) are left out and counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  type ProfileId,
  runScenario,
  type Scenario,
  scenarioToJson,
  stepResultToJson,
  type VcpuModelId,
} from '../../src/core/index';
import { type CpuRun, compareRecords, type Mismatch, newTally, type Rec, type Tally } from '../compare';
import { gScenario, materialize } from '../gen';
import type { HelperRun } from '../helper-process';
import { planScenario } from '../kvm-plan';
import { interpretRun } from '../kvm-results';
import { runBatched } from './batch';

export const SVM_SURVEY_DIR = fileURLToPath(new URL('../survey/svm-6.1', import.meta.url));

/** The survey's profile, and what it measured the CPU to run without KVM for `model` (checks.json, host.json). */
export function svmSurvey(model: VcpuModelId): { profile: ProfileId; cpu: Omit<CpuRun, 'leftOut'> } {
  const host = JSON.parse(readFileSync(join(SVM_SURVEY_DIR, 'host.json'), 'utf8'));
  const checks = JSON.parse(readFileSync(join(SVM_SURVEY_DIR, 'checks.json'), 'utf8'));
  const entry = (checks.passthrough ?? []).find((p: { model: string }) => p.model === model);
  const set = (l?: string[]) => new Set<number>((l ?? []).map(Number));
  const after = (host.notCompared ?? []).filter((n: { what: string }) => n.what === 'guest read after host write');
  return {
    profile: host.profile,
    cpu: {
      reads: set(entry?.read),
      writes: set(entry?.write),
      afterHostWrite: set(after.map((n: { index: string }) => n.index)),
    },
  };
}

export interface SvmDiffReport {
  model: VcpuModelId;
  tally: Tally;
  leftOut: number;
  /** Each disagreeing scenario (msr-scenario/1 JSON) with its differences. */
  failures: { scenario: Scenario; mismatches: Mismatch[]; kvm: Rec[]; sim: Rec[] }[];
}

/** `count` generated scenarios for `model` from `seed`, on the guest behind `run`. */
export async function diffOnSvm(
  model: VcpuModelId,
  seed: number,
  count: number,
  run: (script: string) => Promise<HelperRun>,
): Promise<SvmDiffReport> {
  const survey = svmSurvey(model);
  const { profile } = survey;
  const scenarios = fc.sample(gScenario, { seed, numRuns: count }).map((g) => materialize(g, model, 'svm', profile));
  const plans = scenarios.map((s) => ({ commands: planScenario(s) }));
  const runs = await runBatched(plans, run);
  const tally = newTally();
  const cpu: CpuRun = { ...survey.cpu, leftOut: { steps: 0 } };
  const failures: SvmDiffReport['failures'] = [];
  scenarios.forEach((s, i) => {
    const sim = runScenario(s, false).steps.map((r) => stepResultToJson(r));
    let kvm: Rec[] = [];
    let mismatches: Mismatch[];
    if (runs[i].code !== 0) {
      mismatches = [{ step: -1, field: 'shape', sim: 'ran', kvm: runs[i].lines.at(-1) ?? `exit ${runs[i].code}` }];
    } else {
      try {
        kvm = interpretRun(s, plans[i].commands, runs[i].lines, false).records;
        mismatches = compareRecords(s, sim, kvm, tally, cpu);
      } catch (e) {
        mismatches = [{ step: -1, field: 'shape', sim: 'ran', kvm: (e as Error).message }];
      }
    }
    if (mismatches.length) failures.push({ scenario: s, mismatches, kvm, sim });
  });
  return { model, tally, leftOut: cpu.leftOut.steps, failures };
}

/** The smallest disagreeing scenario as text (the scenario, both outputs, the differing fields). */
export function describeSvmFailure(f: SvmDiffReport['failures'][number]): string {
  return [
    JSON.stringify(scenarioToJson(f.scenario)),
    ...f.mismatches.map((m) =>
      m.step < 0
        ? `  the helper failed: ${m.kvm}`
        : `  steps[${m.step}].${m.field}: simulator ${JSON.stringify(m.sim)}, kernel ${JSON.stringify(m.kvm)}`,
    ),
  ].join('\n');
}
