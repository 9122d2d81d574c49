/**
 * A scenario as a list of helper commands, each producing exactly one response line (oracle/README.md), except a
 * filter the kernel cannot be given (more than 16 ranges): that one is answered without the kernel.
 */
import type { FilterPolicy, Scenario, Step, VmmReply } from '../src/core/index';
import { exitsLine, filterLines, hostrdLine, hostwrLine, KERNEL_MAX_RANGES, rdmsrLine, wrmsrLine } from './protocol';

/** `step` is the scenario step, or null for the set-up before the first step. */
export type Command =
  | { kind: 'vcpu'; lines: string[] }
  | { kind: 'exits'; lines: string[]; step: number | null }
  | { kind: 'ignore'; lines: string[] }
  | { kind: 'filter'; lines: string[]; step: number | null; policy: FilterPolicy | null }
  | { kind: 'oversized-filter'; lines: []; step: number | null; policy: FilterPolicy }
  | { kind: 'access'; lines: string[]; step: number; op: 'rdmsr' | 'wrmsr'; index: number; host: boolean }
  | { kind: 'quit'; lines: string[] };

/** Whether the command gets a response line from the helper. */
export const answered = (c: Command) => c.kind !== 'oversized-filter';

function filterCommand(policy: FilterPolicy | null, step: number | null): Command {
  if (policy && policy.ranges.length > KERNEL_MAX_RANGES) return { kind: 'oversized-filter', lines: [], step, policy };
  return { kind: 'filter', lines: filterLines(policy), step, policy };
}

function stepCommand(s: Step, i: number, vmm: Scenario['vmm']): Command {
  switch (s.op) {
    case 'set-filter':
      return filterCommand(s.filter, i);
    case 'set-exits':
      return { kind: 'exits', lines: [exitsLine(s.exits)], step: i };
    case 'rdmsr':
    case 'wrmsr': {
      const reply: VmmReply = s.reply ?? (s.op === 'rdmsr' ? vmm.read : vmm.write);
      const line = s.host
        ? s.op === 'rdmsr'
          ? hostrdLine(s.index)
          : hostwrLine(s.index, s.value)
        : s.op === 'rdmsr'
          ? rdmsrLine(s.index, reply)
          : wrmsrLine(s.index, s.value, reply);
      return { kind: 'access', lines: [line], step: i, op: s.op, index: s.index, host: s.host };
    }
  }
}

/** vcpu, the exit mask, ignore_msrs, the initial filter, every step, quit. */
export function planScenario(s: Scenario): Command[] {
  const out: Command[] = [{ kind: 'vcpu', lines: [`vcpu ${s.vcpu}`] }];
  if (s.exits !== null) out.push({ kind: 'exits', lines: [exitsLine(s.exits)], step: null });
  if (s.ignoreMsrs) out.push({ kind: 'ignore', lines: ['ignore 1'] });
  if (s.filter !== null) out.push(filterCommand(s.filter, null));
  s.steps.forEach((step, i) => {
    out.push(stepCommand(step, i, s.vmm));
  });
  out.push({ kind: 'quit', lines: ['quit'] });
  return out;
}

export function scriptOf(commands: readonly Command[]): string {
  return commands.map((c) => c.lines.map((l) => `${l}\n`).join('')).join('');
}
