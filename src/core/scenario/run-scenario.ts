import type { Errno, ExitReason } from '../constants';
import type { TraceStep } from '../trace';
import { type AccessResult, type Decision, SimulatedVm } from '../vm/vm';
import type { Scenario, Step, VmmReply } from './types';

export type StepResult = AccessStepResult | ControlStepResult;

export interface ControlStepResult {
  step: number;
  op: 'set-filter' | 'set-exits';
  errno: Errno | null;
  message: string;
}

export interface AccessStepResult {
  step: number;
  op: 'rdmsr' | 'wrmsr';
  index: number;
  host: boolean;
  decision: Decision;
  exit: { reason: ExitReason; reply: VmmReply } | null;
  result: 'ok' | 'gp' | 'error';
  value: bigint | null;
  range: number | null;
  bit: number | null;
  trace: TraceStep[];
  access: AccessResult;
}

export function isControlResult(r: StepResult): r is ControlStepResult {
  return r.op === 'set-filter' || r.op === 'set-exits';
}

export interface ScenarioRun {
  /** What happened before the first step: the exit mask and the initial filter. */
  setup: {
    exits: { errno: Errno | null; message: string } | null;
    filter: { errno: Errno | null; message: string } | null;
  };
  steps: StepResult[];
  vm: SimulatedVm;
}

export function runStep(vm: SimulatedVm, step: Step, i: number, withTrace = true): StepResult {
  switch (step.op) {
    case 'rdmsr':
    case 'wrmsr': {
      const access = vm.access(
        {
          type: step.op === 'rdmsr' ? 'read' : 'write',
          index: step.index,
          value: step.op === 'wrmsr' ? step.value : undefined,
          host: step.host,
          reply: step.reply,
        },
        withTrace,
      );
      const { decision, exit, result, value, range, bit, trace } = access;
      return {
        step: i,
        op: step.op,
        index: step.index,
        host: step.host,
        decision,
        exit,
        result,
        value,
        range,
        bit,
        trace,
        access,
      };
    }
    case 'set-filter': {
      const r = vm.setFilter(step.filter);
      return { step: i, op: step.op, errno: r.errno, message: r.message };
    }
    case 'set-exits': {
      const r = vm.setExits(step.exits);
      return { step: i, op: step.op, errno: r.errno, message: r.message };
    }
  }
}

/**
 * Runs a whole scenario on a fresh simulated VM: the exit mask, the filter, then every step in order, each result
 * handed to `onStep` as it comes (nothing kept: a million-step check holds one result at a time).
 */
export function runScenarioSteps(
  s: Scenario,
  withTrace: boolean,
  onStep: (r: StepResult) => void,
): Omit<ScenarioRun, 'steps'> {
  const vm = new SimulatedVm(s);
  const exits = s.exits === null ? null : vm.setExits(s.exits);
  const filter = s.filter === null ? null : vm.setFilter(s.filter);
  for (let i = 0; i < s.steps.length; i++) onStep(runStep(vm, s.steps[i], i, withTrace));
  return {
    setup: {
      exits: exits && { errno: exits.errno, message: exits.message },
      filter: filter && { errno: filter.errno, message: filter.message },
    },
    vm,
  };
}

/** Runs a whole scenario on a fresh simulated VM and keeps every step's result. */
export function runScenario(s: Scenario, withTrace = true): ScenarioRun {
  const steps: StepResult[] = [];
  const run = runScenarioSteps(s, withTrace, (r) => steps.push(r));
  return { ...run, steps };
}
