/**
 * The local real-KVM endpoint (oracle/kvm-endpoint.ts, served by `npm start` / `vite preview`):
 * GET /api/kvm/status and POST /api/kvm/run. On a static host neither exists.
 */
import { type HostModelId, isHostModelId, type Scenario, scenarioToJson } from '../../core/index';
import { tokenHeaders } from './kvm-token';

export const KVM_STATUS_URL = '/api/kvm/status';
export const KVM_RUN_URL = '/api/kvm/run';
/** The endpoint's limit. */
export const KVM_MAX_STEPS = 2000;

/** The host model that matches the machine's /dev/kvm (null: none matches or the server does not say), and why. */
export interface NativeHostInfo {
  hostModel: HostModelId | null;
  hostWhy: string;
}

export type KvmStatus =
  | ({ kind: 'available'; kernel: string } & NativeHostInfo)
  | ({ kind: 'unavailable'; kernel: string; reason: string } & NativeHostInfo)
  /** The endpoint refused this page (403): it was not opened from the URL with the server's token. */
  | { kind: 'forbidden'; reason: string }
  /** No endpoint (a static host, or an old server). */
  | { kind: 'absent' };

export type KernelRecord = Record<string, unknown>;

export type KvmRun = { ok: true; records: KernelRecord[]; notes: string[] } | { ok: false; message: string };

export async function fetchKvmStatus(signal?: AbortSignal): Promise<KvmStatus> {
  try {
    const r = await fetch(KVM_STATUS_URL, { signal, headers: { Accept: 'application/json', ...tokenHeaders() } });
    if (r.status === 403) return { kind: 'forbidden', reason: await refusal(r) };
    if (!r.ok || !(r.headers.get('content-type') ?? '').includes('application/json')) return { kind: 'absent' };
    const body = (await r.json()) as {
      available?: unknown;
      kernel?: unknown;
      reason?: unknown;
      hostModel?: unknown;
      hostWhy?: unknown;
    };
    if (typeof body.available !== 'boolean') return { kind: 'absent' };
    const kernel = typeof body.kernel === 'string' ? body.kernel : 'this machine';
    const host: NativeHostInfo = {
      hostModel: isHostModelId(body.hostModel) ? body.hostModel : null,
      hostWhy: typeof body.hostWhy === 'string' ? body.hostWhy : '',
    };
    if (body.available) return { kind: 'available', kernel, ...host };
    return {
      kind: 'unavailable',
      kernel,
      reason: typeof body.reason === 'string' ? body.reason : 'unknown reason',
      ...host,
    };
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return { kind: 'absent' };
  }
}

/** The endpoint's JSON `error`, or the status line. */
async function refusal(r: Response): Promise<string> {
  try {
    const body = (await r.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return `${r.status} ${r.statusText}`.trim();
}

/** What the page says when the endpoint answers 403. */
export function forbiddenMessage(reason: string): string {
  return (
    `The local server refused this page (403: ${reason}). ` +
    'Open the playground from the URL that npm start (or npm run preview) printed, the one ending in ?token=…'
  );
}

function parseLines(text: string): KernelRecord[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as KernelRecord);
}

function parseNotes(header: string | null): string[] {
  if (!header) return [];
  try {
    const notes = JSON.parse(decodeURIComponent(header));
    return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Runs the scenario on this machine's kernel; the kernel's results in the simulator's JSON Lines format. */
export async function runScenarioOnKvm(scenario: Scenario, signal?: AbortSignal): Promise<KvmRun> {
  let r: Response;
  try {
    r = await fetch(KVM_RUN_URL, {
      method: 'POST',
      signal,
      headers: { 'Content-Type': 'application/json', ...tokenHeaders() },
      body: JSON.stringify(scenarioToJson(scenario)),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return { ok: false, message: `the KVM endpoint cannot be reached (${(e as Error).message})` };
  }
  const text = await r.text();
  if (!r.ok) {
    let message = `${r.status} ${r.statusText}`.trim();
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // not JSON: keep the status line
    }
    return { ok: false, message: r.status === 403 ? forbiddenMessage(message) : message };
  }
  try {
    return { ok: true, records: parseLines(text), notes: parseNotes(r.headers.get('x-kvm-notes')) };
  } catch {
    return { ok: false, message: 'the endpoint answered something that is not JSON Lines' };
  }
}
