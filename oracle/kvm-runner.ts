import { release } from 'node:os';
import { CliExit } from '../src/cli/main';
import { DEFAULT_HOST_MODEL, type ProfileId, parseJsonText, type Scenario, scenarioFromJson } from '../src/core/index';
import { nativeHostIdOr } from '../src/node/native-host';
import { ensureHelper, type HelperRun, kvmDeviceProblem, runHelper } from './helper-process';
import { profileOfRelease } from './kvm-backends';
import { type Command, planScenario, scriptOf } from './kvm-plan';
import { interpretRun, type KvmRunOutput } from './kvm-results';

export interface KvmRunOptions {
  trace: boolean;
  /** Where set-up notes go (default: the process's stderr). */
  stderr?: (s: string) => void;
  /** Kill the helper after this long (default: none; the helper has its own 10 s per-command watchdog). */
  timeoutMs?: number;
  /** Another helper binary (tests). */
  helper?: string;
  /** Runs one helper script elsewhere (the svm-6.1 backend's QEMU guest) instead of on this machine's /dev/kvm. */
  runScript?: (script: string) => Promise<HelperRun>;
  /** The kernel the scripts run on, for the notes (default: this machine's, with the profile of its release). */
  kernel?: RunKernel;
}

/** A kernel as the notes name it: "this machine's kernel (Linux 6.18.44-…)", and the profile that matches it. */
export interface RunKernel {
  name: string;
  profile: ProfileId;
}

export function thisMachinesKernel(rel = release()): RunKernel {
  return { name: `this machine's kernel (Linux ${rel})`, profile: profileOfRelease(rel) };
}

const PREFIX = 'msrfilter: --kvm:';

/** Says where an MSR that makes KVM write guest memory may point. */
export const REFUSED_HINT =
  'MSRs that make KVM write guest memory (kvmclock 0x11, 0x12, 0x4b564d00, 0x4b564d01; async PF 0x4b564d02; ' +
  "steal time 0x4b564d03; PV EOI 0x4b564d04; the Hyper-V pages) must point outside the helper's pages " +
  '0x1000-0x8fff and 0xe000-0xefff, for example at 0x10000 or above';

/** Throws CliExit(3) unless /dev/kvm can be opened and the helper is built (another helper checks for itself). */
async function requireKvm(helper: string | undefined): Promise<void> {
  if (helper) return;
  const problem = (await kvmDeviceProblem()) ?? (await ensureHelper());
  if (problem) throw new CliExit(3, `${PREFIX} ${problem.reason}; the real-KVM oracle cannot run here`);
}

function where(commands: readonly Command[], answeredCount: number): string {
  const c = commands.filter((x) => x.kind !== 'oversized-filter')[answeredCount];
  if (!c) return 'after the last command';
  const step = 'step' in c && c.step !== null ? `steps[${c.step}]` : 'set-up';
  return `${step} (\`${c.lines[0]}\`)`;
}

/** Notes that do not depend on the kernel's answers. */
function planNotes(s: Scenario, kernel: RunKernel): string[] {
  const notes: string[] = [];
  if (s.profile !== kernel.profile) {
    notes.push(
      `msrfilter: note: --kvm measures ${kernel.name}, whatever the profile: ` +
        `the results are that kernel's (profile ${kernel.profile}), not ${s.profile}'s`,
    );
  }
  if (s.ignoreMsrs && s.steps.some((st) => (st.op === 'rdmsr' || st.op === 'wrmsr') && st.host)) {
    notes.push(
      'msrfilter: note: --kvm emulates ignoreMsrs for guest accesses only (kvm.ignore_msrs is read-only here); ' +
        "host accesses show the kernel's own answer",
    );
  }
  return notes;
}

/** Runs a parsed scenario on a fresh VM of the real kernel; throws CliExit(3) where KVM is unavailable. */
export async function runParsedScenarioOnKvm(s: Scenario, opts: Omit<KvmRunOptions, 'stderr'>): Promise<KvmRunOutput> {
  if (!opts.runScript) await requireKvm(opts.helper);
  const commands = planScenario(s);
  const run = opts.runScript
    ? await opts.runScript(scriptOf(commands))
    : await runHelper(scriptOf(commands), { helper: opts.helper, timeoutMs: opts.timeoutMs });
  if (run.timedOut) throw new CliExit(4, `${PREFIX} the helper did not finish within ${opts.timeoutMs} ms`);
  const fatal = run.lines.find((l) => l.startsWith('fatal'));
  if (run.code === 3) {
    throw new CliExit(3, `${PREFIX} /dev/kvm not available: ${fatal ?? 'the helper exited 3'}`);
  }
  if (run.code === 5 && fatal) {
    // The helper found KVM writing over its own guest code, tables or stack: refused, not a result.
    const at = where(commands, run.lines.length - 1);
    const why = fatal.replace(/^fatal refused [^:]*: /, '');
    throw new CliExit(2, `${PREFIX} the scenario is refused at ${at}: ${why}. ${REFUSED_HINT}`);
  }
  if (run.code !== 0) {
    const at = where(commands, run.lines.length - (fatal ? 1 : 0));
    const why = fatal ?? `exit ${run.code ?? run.signal}${run.stderr ? `: ${run.stderr.trim()}` : ''}`;
    throw new CliExit(4, `${PREFIX} the helper failed at ${at}: ${why}`);
  }
  const out = interpretRun(s, commands, run.lines, opts.trace);
  return { notes: [...planNotes(s, opts.kernel ?? thisMachinesKernel()), ...out.notes], records: out.records };
}

/** Runs a scenario on the real kernel through the C helper (oracle/kvm-oracle.c): the simulator's JSON Lines. */
export async function runScenarioOnKvm(text: string, opts: KvmRunOptions): Promise<string> {
  const scenario = scenarioFromJson(parseJsonText(text, 'scenario'), {
    nativeHost: () => nativeHostIdOr(DEFAULT_HOST_MODEL),
  });
  const out = await runParsedScenarioOnKvm(scenario, opts);
  const stderr = opts.stderr ?? ((t: string) => process.stderr.write(t));
  for (const note of out.notes) stderr(`${note}\n`);
  return out.records.map((r) => `${JSON.stringify(r)}\n`).join('');
}
