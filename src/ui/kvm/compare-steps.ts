/**
 * The simulator's results beside the kernel's, step by step: decision, exit, result and value (errno for
 * set-filter/set-exits), with the fields that differ.
 */
import { MSR_CATALOGUE, type Scenario, type StepResult, stepResultToJson } from '../../core/index';
import type { KernelRecord } from './kvm-api';

export type CompareField = 'decision' | 'exit' | 'result' | 'value' | 'errno';

export interface StepView {
  decision: string;
  exit: string;
  result: string;
  value: string;
}

export interface CompareRow {
  step: number;
  /** "rdmsr 0x00000010", "wrmsr 0x… (host)", "set-filter"… */
  label: string;
  sim: StepView | null;
  kvm: StepView | null;
  differs: CompareField[];
  /** The value comes from an MSR that changes on its own (the TSC): not compared. */
  varies: boolean;
}

export interface Comparison {
  rows: CompareRow[];
  agree: number;
  total: number;
}

const TSC = 0x10;
const TSC_ADJUST = 0x3b;
const DASH = '—';

function view(r: KernelRecord | undefined): StepView | null {
  if (!r) return null;
  if (r.op === 'set-filter' || r.op === 'set-exits') {
    return { decision: DASH, exit: DASH, result: r.errno ? String(r.errno) : 'ok (errno 0)', value: DASH };
  }
  const exit = r.exit as { reason?: string } | null;
  return {
    decision: String(r.decision),
    exit: exit?.reason ?? 'none',
    result: String(r.result),
    value: typeof r.value === 'string' ? r.value : DASH,
  };
}

function labelOf(r: KernelRecord): string {
  if (r.op === 'set-filter' || r.op === 'set-exits') return String(r.op);
  return `${r.op} ${r.index}${r.host ? ' (host)' : ''}`;
}

/** Compares the simulated steps with the kernel's records (matched by position). */
export function compareSteps(scenario: Scenario, simulated: readonly StepResult[], kernel: readonly KernelRecord[]) {
  const total = Math.max(simulated.length, kernel.length);
  const rows: CompareRow[] = [];
  let tscWritten = false;
  let agree = 0;
  for (let i = 0; i < total; i++) {
    const simRec = simulated[i] ? stepResultToJson(simulated[i]) : undefined;
    const kvmRec = kernel[i];
    const sim = view(simRec);
    const kvm = view(kvmRec);
    const step = scenario.steps[i];
    let varies = false;
    const differs: CompareField[] = [];
    if (!sim || !kvm) differs.push('result');
    else if (step && (step.op === 'set-filter' || step.op === 'set-exits')) {
      if (sim.result !== kvm.result) differs.push('errno');
    } else {
      for (const f of ['decision', 'exit', 'result'] as const) if (sim[f] !== kvm[f]) differs.push(f);
      const fromKvm = kvmRec?.decision === 'allow' && kvmRec?.exit === null;
      const index = step && 'index' in step ? step.index : -1;
      varies =
        fromKvm &&
        step?.op === 'rdmsr' &&
        (!!MSR_CATALOGUE.get(index)?.volatile || (index === TSC_ADJUST && tscWritten));
      if (!varies && sim.value !== kvm.value) differs.push('value');
      if (step?.op === 'wrmsr' && step.index === TSC) tscWritten = true;
    }
    if (differs.length === 0) agree++;
    rows.push({ step: i, label: labelOf(simRec ?? kvmRec ?? {}), sim, kvm, differs, varies });
  }
  return { rows, agree, total } satisfies Comparison;
}
