/**
 * Field-by-field comparison of the simulator's and the kernel's JSON Lines records for one scenario.
 */
import { MSR_CATALOGUE, type Scenario } from '../src/core/index';

export const FIELDS = ['decision', 'exit', 'result', 'range', 'value', 'errno', 'shape'] as const;
export type Field = (typeof FIELDS)[number];
export type Rec = Record<string, unknown>;

export interface Mismatch {
  step: number;
  field: Field;
  sim: unknown;
  kvm: unknown;
}

export interface Tally {
  scenarios: number;
  steps: number;
  compared: Record<Field, number>;
  agreed: Record<Field, number>;
  /** What the kernel answered, for coverage: `decision=eperm`, `exit=filter`, `errno=EINVAL`, `host`... */
  seen: Record<string, number>;
}

const zero = () => Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
export const newTally = (): Tally => ({ scenarios: 0, steps: 0, compared: zero(), agreed: zero(), seen: {} });

function see(t: Tally | undefined, key: string) {
  if (t) t.seen[key] = (t.seen[key] ?? 0) + 1;
}

const TSC = 0x10;
const TSC_ADJUST = 0x3b;

/**
 * Whether a read's value is comparable: not when KVM produced it for an MSR that changes on its own (the TSC), nor
 * for TSC_ADJUST after a TSC write (the kernel moves it by the TSC's delta at that instant). A value the VMM gave in
 * an exit is always comparable.
 */
function valueComparable(index: number, rec: Rec, tscWritten: boolean): boolean {
  const fromKvm = rec.decision === 'allow' && rec.exit === null;
  if (!fromKvm) return true;
  if (MSR_CATALOGUE.get(index)?.volatile) return false;
  return !(index === TSC_ADJUST && tscWritten);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const shape = (r: Rec) => Object.keys(r).filter((k) => k !== 'bit' && k !== 'trace');

/**
 * MSRs whose allowed guest writes the backend lets the CPU run without KVM (the survey's `passthrough` check): on
 * the svm-6.1 backend that CPU is QEMU's emulator, whose checks are not KVM's. Such a write is left out of the
 * comparison, and so are later values read from that MSR; `leftOut` counts the steps.
 */
export interface CpuRun {
  reads: ReadonlySet<number>;
  writes: ReadonlySet<number>;
  /** MSRs the backend stops intercepting once the host writes a non-zero value (kvm_amd: SPEC_CTRL). */
  afterHostWrite: ReadonlySet<number>;
  leftOut: { steps: number };
}

/** Compares every step; adds to `tally` when given. Returns every disagreement, in step order. */
export function compareRecords(
  s: Scenario,
  sim: readonly Rec[],
  kvm: readonly Rec[],
  tally?: Tally,
  cpu?: CpuRun,
): Mismatch[] {
  const out: Mismatch[] = [];
  let tscWritten = false;
  const cpuWritten = new Set<number>();
  const cpuNow = new Set<number>();
  const check = (step: number, field: Field, a: unknown, b: unknown) => {
    const ok = same(a, b);
    if (tally) {
      tally.compared[field]++;
      if (ok) tally.agreed[field]++;
    }
    if (!ok) out.push({ step, field, sim: a, kvm: b });
  };
  s.steps.forEach((st, i) => {
    const a = sim[i];
    const b = kvm[i];
    if (!a || !b) {
      check(i, 'shape', a ?? null, b ?? null);
      return;
    }
    check(i, 'shape', shape(a), shape(b));
    if (st.op === 'set-filter' || st.op === 'set-exits') {
      check(i, 'errno', a.errno, b.errno);
      see(tally, `${st.op} errno=${b.errno ?? 0}`);
    } else {
      if (
        cpu &&
        st.host &&
        st.op === 'wrmsr' &&
        st.value !== 0n &&
        b.result === 'ok' &&
        cpu.afterHostWrite.has(st.index)
      )
        cpuNow.add(st.index);
      const byCpu = (st.op === 'rdmsr' ? cpu?.reads : cpu?.writes)?.has(st.index) || cpuNow.has(st.index);
      if (cpu && !st.host && byCpu && b.decision !== 'eperm') {
        cpu.leftOut.steps++;
        if (st.op === 'wrmsr') cpuWritten.add(st.index);
        return;
      }
      const who = st.host ? 'host' : 'guest';
      see(tally, `${who} ${st.op === 'rdmsr' ? 'read' : 'write'} decision=${b.decision} result=${b.result}`);
      if (b.exit) see(tally, `exit=${(b.exit as { reason: string }).reason}`);
      if (b.range !== null) see(tally, 'decided by a range');
      check(i, 'decision', a.decision, b.decision);
      check(i, 'exit', a.exit, b.exit);
      check(i, 'result', a.result, b.result);
      check(i, 'range', a.range, b.range);
      const cpuValue = cpuWritten.has(st.index) && b.decision === 'allow' && b.exit === null;
      if (st.op === 'rdmsr' && valueComparable(st.index, b, tscWritten) && !cpuValue)
        check(i, 'value', a.value, b.value);
      if (st.op === 'wrmsr' && st.index === TSC) tscWritten = true;
    }
  });
  if (tally) {
    tally.scenarios++;
    tally.steps += s.steps.length;
  }
  return out;
}

/** The coverage counters, most frequent first. */
export function formatCoverage(t: Tally): string {
  return Object.entries(t.seen)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${k}: ${n}`)
    .join('\n');
}

/** "decision 1234/1234, exit ..." */
export function formatTally(t: Tally): string {
  return FIELDS.filter((f) => t.compared[f] > 0)
    .map((f) => `${f} ${t.agreed[f]}/${t.compared[f]}`)
    .join(', ');
}
