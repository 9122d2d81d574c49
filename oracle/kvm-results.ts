/**
 * The helper's responses turned into the simulator's JSON Lines records (formats.md), field for field.
 * The kernel does not say which range decided: `range`/`bit` come from the policy actually installed, tracked with
 * the engine's installPolicy under the scenario's profile, with the errno taken from the kernel.
 */
import {
  accessTypeFlag,
  buildInstalledFilter,
  decidingPolicyRange,
  decisionAllowed,
  type FilterPolicy,
  filterDecision,
  getProfile,
  hex32,
  hex64,
  type InstalledFilter,
  installPolicy,
  type Scenario,
} from '../src/core/index';
import { answered, type Command } from './kvm-plan';
import {
  expectOk,
  type GuestResponse,
  ProtocolError,
  parseErrno,
  parseGuestResponse,
  parseHostResponse,
} from './protocol';

export interface KvmRunOutput {
  /** Set-up notes for stderr (a failing initial exit mask or filter), like the simulator's CLI. */
  notes: string[];
  /** One record per step, in the key order of stepResultToJson. */
  records: Record<string, unknown>[];
}

const DECISION = { none: 'allow', ignored: 'allow', filter: 'eperm', unknown: 'gp', inval: 'gp' } as const;

export function interpretRun(s: Scenario, commands: readonly Command[], lines: readonly string[], trace: boolean) {
  const profile = getProfile(s.profile);
  const notes: string[] = [];
  const records: Record<string, unknown>[] = [];
  let installed: InstalledFilter | null = null;
  let at = 0;

  const next = (c: Command): string => {
    const line = lines[at++];
    if (line === undefined) throw new ProtocolError(`no response to \`${c.lines[0]}\``);
    return line;
  };

  const setFilter = (policy: FilterPolicy | null, kernelErrno: string | null, passed: boolean) => {
    const sim = installPolicy(profile, installed, policy);
    if (!passed) {
      const errno = sim.errno ?? 'E2BIG';
      const why = sim.error?.message ?? 'struct kvm_msr_filter has room for 16 ranges';
      return { errno, message: `not passed to the kernel (it takes at most 16 ranges): ${why}` };
    }
    if (kernelErrno === null) {
      const effective = policy ?? { flags: 0, ranges: [] };
      const nonEmpty = effective.ranges.flatMap((r, i) => (r.nmsrs === 0 ? [] : [i]));
      installed = sim.errno === null ? sim.installed : buildInstalledFilter(effective, nonEmpty, profile);
      const predicted = sim.errno ? ` (the simulator predicted ${sim.errno})` : `: ${sim.effect}`;
      return { errno: null, message: `the kernel accepted it${predicted}` };
    }
    const why = sim.errno === kernelErrno && sim.error ? `: ${sim.error.message}` : '';
    return { errno: kernelErrno, message: `the kernel returned ${kernelErrno}${why}; the previous filter stays` };
  };

  const rangeOf = (index: number, type: 'read' | 'write', k: GuestResponse) => {
    const packed = filterDecision(profile, installed, index, accessTypeFlag(type));
    const range = decidingPolicyRange(installed, packed);
    if (range === null || !installed) return { range: null, bit: null };
    // The kernel's verdict must be the one this range gives, else the kernel decided otherwise: no range to show.
    if ((k.kreason === 'filter') === decisionAllowed(packed)) return { range: null, bit: null };
    return { range, bit: index - installed.base[(packed >>> 1) - 1] };
  };

  for (const c of commands) {
    const line = answered(c) ? next(c) : '';
    switch (c.kind) {
      case 'vcpu':
      case 'ignore':
      case 'quit':
        expectOk(line);
        break;
      case 'exits': {
        const errno = parseErrno(line);
        const message = errno ? `the kernel returned ${errno}; mask unchanged` : `exit reasons set (${c.lines[0]})`;
        if (c.step === null) {
          if (errno) notes.push(`msrfilter: note: exits: ${errno}: ${message}`);
        } else records.push({ step: c.step, op: 'set-exits', errno, message });
        break;
      }
      case 'filter':
      case 'oversized-filter': {
        const passed = c.kind === 'filter';
        const r = setFilter(c.policy, passed ? parseErrno(line) : null, passed);
        if (c.step === null) {
          if (r.errno) notes.push(`msrfilter: note: filter: ${r.errno}: ${r.message}`);
        } else records.push({ step: c.step, op: 'set-filter', errno: r.errno, message: r.message });
        break;
      }
      case 'access': {
        const out: Record<string, unknown> = { step: c.step, op: c.op, index: hex32(c.index), host: c.host };
        let bit: number | null = null;
        if (c.host) {
          const h = parseHostResponse(c.op === 'rdmsr' ? 'hostrd' : 'hostwr', line);
          Object.assign(out, {
            decision: h.result === 'ok' ? 'allow' : 'gp',
            exit: null,
            result: h.result,
            value: h.value === null ? null : hex64(h.value),
            range: null,
          });
        } else {
          const k = parseGuestResponse(c.op, line);
          const type = c.op === 'rdmsr' ? 'read' : 'write';
          const decided = rangeOf(c.index, type, k);
          bit = decided.bit;
          Object.assign(out, {
            decision: DECISION[k.kreason],
            exit: k.exit === 'none' ? null : { reason: k.exit },
            result: k.result,
            value: k.result === 'ok' && k.value !== null ? hex64(k.value) : null,
            range: decided.range,
          });
        }
        if (bit !== null) out.bit = bit;
        if (trace) {
          out.trace = [`oracle: ${c.lines[0]}`, `kernel: ${line}`];
          if (out.range !== null) {
            (out.trace as string[]).push(`filter: ranges[${out.range}] bit ${bit} (from the installed policy)`);
          }
        }
        records.push(out);
        break;
      }
    }
  }
  return { notes, records } satisfies KvmRunOutput;
}
