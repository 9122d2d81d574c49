/**
 * The local real-KVM endpoint (oracle/kvm-endpoint.ts, served by `npm start` / `vite preview`):
 * GET /api/kvm/status (the backends), POST /api/kvm/run?backend=ID and POST /api/kvm/prepare?backend=ID.
 * On a static host none exists.
 */
import {
  type HostModelId,
  isHostModelId,
  isProfileId,
  type ProfileId,
  type Scenario,
  scenarioToJson,
} from '../../core/index';
import { tokenHeaders } from './kvm-token';

export const KVM_STATUS_URL = '/api/kvm/status';
export const KVM_RUN_URL = '/api/kvm/run';
export const KVM_PREPARE_URL = '/api/kvm/prepare';
/** The endpoint's limit. */
export const KVM_MAX_STEPS = 2000;

/** The host model that matches the machine's /dev/kvm (null: none matches or the server does not say), and why. */
export interface NativeHostInfo {
  hostModel: HostModelId | null;
  hostWhy: string;
}

/** One real kernel the server can run on (this machine's /dev/kvm, the svm-6.1 QEMU guest). */
export interface KvmBackend extends NativeHostInfo {
  id: string;
  label: string;
  kernel: string;
  /** The kernel profile that matches it (null: the server does not say; the document's is used). */
  profile: ProfileId | null;
  available: boolean;
  reason: string;
  /** It can be made available by downloading this package (only on the user's request). */
  download: { package: string; bytes: number | null } | null;
}

export type KvmStatus =
  | { kind: 'server'; backends: KvmBackend[] }
  /** The endpoint refused this page (403): it was not opened from the URL with the server's token. */
  | { kind: 'forbidden'; reason: string }
  /** No endpoint (a static host, or an old server). */
  | { kind: 'absent' };

export type KernelRecord = Record<string, unknown>;

export type KvmRun = { ok: true; records: KernelRecord[]; notes: string[] } | { ok: false; message: string };

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

function backendOf(v: unknown): KvmBackend | null {
  if (typeof v !== 'object' || v === null) return null;
  const b = v as Record<string, unknown>;
  if (typeof b.id !== 'string' || typeof b.available !== 'boolean') return null;
  const d = b.download as { package?: unknown; bytes?: unknown } | null | undefined;
  return {
    id: b.id,
    label: str(b.label, b.id),
    kernel: str(b.kernel, 'an unnamed kernel'),
    hostModel: isHostModelId(b.hostModel) ? b.hostModel : null,
    hostWhy: str(b.hostWhy, ''),
    profile: isProfileId(b.profile) ? b.profile : null,
    available: b.available,
    reason: str(b.reason, b.available ? '' : 'unknown reason'),
    download:
      d && typeof d.package === 'string'
        ? { package: d.package, bytes: typeof d.bytes === 'number' ? d.bytes : null }
        : null,
  };
}

/** The status body as backends: a server from before the backend choice has only the native one, at the top. */
function statusOf(body: Record<string, unknown>): KvmStatus {
  if (Array.isArray(body.backends)) {
    const backends = body.backends.map(backendOf).filter((b): b is KvmBackend => b !== null);
    if (backends.length) return { kind: 'server', backends };
  }
  if (typeof body.available !== 'boolean') return { kind: 'absent' };
  const native = backendOf({ ...body, id: 'native', label: "this machine's KVM", profile: null, download: null });
  return native
    ? { kind: 'server', backends: [{ ...native, kernel: str(body.kernel, 'this machine') }] }
    : { kind: 'absent' };
}

export async function fetchKvmStatus(signal?: AbortSignal): Promise<KvmStatus> {
  try {
    const r = await fetch(KVM_STATUS_URL, { signal, headers: { Accept: 'application/json', ...tokenHeaders() } });
    if (r.status === 403) return { kind: 'forbidden', reason: await refusal(r) };
    if (!r.ok || !(r.headers.get('content-type') ?? '').includes('application/json')) return { kind: 'absent' };
    const body = await r.json();
    return typeof body === 'object' && body !== null ? statusOf(body) : { kind: 'absent' };
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return { kind: 'absent' };
  }
}

/** Asks the server to make a backend available (svm-6.1: download its guest kernel); the new status, or why not. */
export async function prepareKvmBackend(
  id: string,
): Promise<{ ok: true; status: KvmStatus } | { ok: false; message: string }> {
  let r: Response;
  try {
    r = await fetch(`${KVM_PREPARE_URL}?backend=${encodeURIComponent(id)}`, {
      method: 'POST',
      headers: { Accept: 'application/json', ...tokenHeaders() },
    });
  } catch (e) {
    return { ok: false, message: `the KVM endpoint cannot be reached (${(e as Error).message})` };
  }
  if (!r.ok) {
    const message = await refusal(r);
    return { ok: false, message: r.status === 403 ? forbiddenMessage(message) : message };
  }
  try {
    return { ok: true, status: statusOf(await r.json()) };
  } catch {
    return { ok: false, message: 'the endpoint answered something that is not JSON' };
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

/** Runs the scenario on a backend's kernel; the kernel's results in the simulator's JSON Lines format. */
export async function runScenarioOnKvm(scenario: Scenario, backend = 'native', signal?: AbortSignal): Promise<KvmRun> {
  let r: Response;
  try {
    r = await fetch(`${KVM_RUN_URL}?backend=${encodeURIComponent(backend)}`, {
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
