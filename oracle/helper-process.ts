/**
 * Finding, building and running the C helper oracle/build/kvm-oracle: one process per run (one fresh VM).
 */
import { spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostModelId } from '../src/core/host/host-models';
import { detectNativeHost } from '../src/node/native-host';

export const ORACLE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const HELPER_PATH = join(ORACLE_DIR, 'build', 'kvm-oracle');
export const KVM_DEVICE = '/dev/kvm';

/** Why the real-KVM oracle cannot run here (null: it can). */
export type Unavailable = { reason: string } | null;

export interface HelperRun {
  /** Every stdout line, in order. */
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

function collect(
  cmd: string,
  args: string[],
  input: string,
  timeoutMs?: number,
): Promise<HelperRun & { spawnError?: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    let spawnError: string | undefined;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.stdin.on('error', () => {}); // the helper may exit (fatal) before reading everything
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? e.message;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const lines = out.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      resolve({ lines, code, signal, stderr: err, timedOut, spawnError });
    });
    child.stdin.end(input);
  });
}

let built: Promise<Unavailable> | null = null;

/** Builds the helper once per process (node oracle/build.mjs: a no-op when up to date). */
export function ensureHelper(): Promise<Unavailable> {
  built ??= (async () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      return { reason: `the oracle needs Linux on x86-64, this is ${process.platform}/${process.arch}` };
    }
    const r = await collect(process.execPath, [join(ORACLE_DIR, 'build.mjs')], '', 120_000);
    if (r.code === 0 && existsSync(HELPER_PATH)) return null;
    const said = [...r.lines, ...r.stderr.split('\n')].filter((l) => l.trim()).join('; ');
    return { reason: `the helper oracle/build/kvm-oracle could not be built (${said || `exit ${r.code}`})` };
  })();
  return built;
}

/** Whether /dev/kvm can be opened for reading and writing. */
export async function kvmDeviceProblem(device = KVM_DEVICE): Promise<Unavailable> {
  try {
    await access(device, constants.R_OK | constants.W_OK);
    return null;
  } catch (e) {
    return { reason: `${device} not available (${(e as NodeJS.ErrnoException).code ?? 'cannot open'})` };
  }
}

/** Runs the helper with `script` on stdin (it must end with `quit`) and collects its output. */
export async function runHelper(
  script: string,
  opts: { helper?: string; timeoutMs?: number } = {},
): Promise<HelperRun> {
  const r = await collect(opts.helper ?? HELPER_PATH, [], script, opts.timeoutMs);
  if (r.spawnError) return { ...r, code: 3, lines: [`fatal no-kvm cannot start the helper (${r.spawnError})`] };
  return r;
}

export interface Availability {
  available: boolean;
  kernel: string;
  reason?: string;
  /** The host model that matches this machine's /dev/kvm (src/node/native-host.ts), and why; null: none matches. */
  hostModel?: HostModelId | null;
  hostWhy?: string;
}

/** /dev/kvm usable, the helper built, and its start-up probe (empty input) exits 0. */
export async function kvmAvailability(helper?: string): Promise<Availability> {
  const kernel = `Linux ${release()}`;
  const native = detectNativeHost();
  const host = { hostModel: native.id, hostWhy: native.why };
  const problem = (await kvmDeviceProblem()) ?? (helper ? null : await ensureHelper());
  if (problem) return { available: false, kernel, reason: problem.reason, ...host };
  const probe = await runHelper('', { helper, timeoutMs: 10_000 });
  if (probe.code === 0) return { available: true, kernel, ...host };
  const said = probe.lines.find((l) => l.startsWith('fatal')) ?? `exit ${probe.code ?? probe.signal}`;
  return { available: false, kernel, reason: `the helper cannot use ${KVM_DEVICE}: ${said}`, ...host };
}
