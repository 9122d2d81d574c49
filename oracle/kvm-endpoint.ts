/**
 * The playground's local endpoint for the real-KVM oracle (Connect-style middleware, used by the Vite plugin):
 *   GET  /api/kvm/status → {"backends": [{"id": "native" | "svm-6.1", "label", "kernel", "hostModel", "hostWhy",
 *                            "profile", "available", "reason"?, "download"?}, …],
 *                           and, for older pages, the native backend's "available", "kernel", "reason",
 *                           "hostModel", "hostWhy"}
 *   POST /api/kvm/run?backend=ID     → the kernel's JSON Lines for an msr-scenario/1 body (ID default: native)
 *   POST /api/kvm/prepare?backend=ID → makes the backend available where it can be (svm-6.1: downloads the guest
 *                                      kernel, ~70 MB, with apt-get download); only ever on this explicit request
 * Every request must prove it comes from the person who started the server: the secret token made at server start
 * (vite-kvm-plugin.ts prints it in the server's URL; the page keeps it and sends it as X-Msrfilter-Token), compared in
 * constant time. The endpoint also checks for itself, whatever Vite is configured with: a loopback client, a Host that
 * names a loopback address with this server's port (no DNS rebinding), and no Origin other than that same origin.
 * JSON only, at most 256 KB and 2,000 steps, at most 2 runs at a time per backend. Nothing from the request reaches
 * a path or a shell: the backend is one of the listed ids, the body is parsed into a Scenario and only that goes to
 * the helper, as protocol commands.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scenario } from '../src/core/index';
import type { BackendId, BackendStatus } from './kvm-backends';
import type { KvmRunOutput } from './kvm-results';

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_STEPS = 2000;
export const RUN_TIMEOUT_MS = 30_000;
/** Per backend: the svm-6.1 guest runs one at a time, so the second waits its turn. */
export const MAX_CONCURRENT_RUNS = 2;
/** The request header that carries the server's secret token. */
export const TOKEN_HEADER = 'x-msrfilter-token';
const STATUS_TTL_MS = 30_000;

/** What the endpoint needs; kvm-endpoint-deps.ts has the real ones. */
export interface EndpointDeps {
  /** Every backend this server knows, available or not (the first is the native one). */
  backends: () => Promise<BackendStatus[]>;
  /** scenarioFromJson over the text; throws an InputError (name "InputError") naming the place. */
  parse: (text: string) => Scenario;
  run: (backend: BackendId, s: Scenario, opts: { trace: boolean; timeoutMs: number }) => Promise<KvmRunOutput>;
  /** Makes a backend that has `download` available (resolves when done); throws with a plain message. */
  prepare?: (backend: BackendId) => Promise<void>;
  /** Stops what the deps keep running (the warm QEMU session). */
  close?: () => Promise<void>;
  timeoutMs?: number;
}

/** The middleware, with `close()` for the server's end. */
export type KvmMiddleware = ((req: IncomingMessage, res: ServerResponse, next: Next) => Promise<void>) & {
  close: () => Promise<void>;
};

type Next = (err?: unknown) => void;

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type':
      typeof body === 'string' ? 'application/x-ndjson; charset=utf-8' : 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, error: string, headers?: Record<string, string>) =>
  send(res, status, { error }, headers);

const LOOPBACK_HOSTNAME = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/**
 * The Host header must name a loopback address (localhost, 127.x.x.x, [::1]) and the port this server listens on: a
 * page on a rebinding name (evil.example resolving to 127.0.0.1) sends its own name and is refused.
 */
export function loopbackHost(host: string | undefined, port: number | undefined): boolean {
  if (!host || port === undefined) return false;
  const m = /^(.+?)(?::(\d{1,5}))?$/.exec(host);
  return m !== null && LOOPBACK_HOSTNAME.test(m[1]) && Number(m[2] ?? 80) === port;
}

/** A cross-site page may not drive the endpoint: an Origin header, when sent, must be this very origin. */
function foreignOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    const u = new URL(origin);
    return (u.protocol !== 'http:' && u.protocol !== 'https:') || u.host !== req.headers.host?.toLowerCase();
  } catch {
    return true; // "null" (a sandboxed frame, a file: page) and anything unparsable
  }
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether the request carries the token; compared in constant time (over digests, so lengths do not leak). */
function hasToken(req: IncomingMessage, token: string): boolean {
  const sent = req.headers[TOKEN_HEADER];
  if (typeof sent !== 'string' || sent === '') return false;
  return timingSafeEqual(digest(sent), digest(token));
}

export const TOKEN_REFUSAL =
  "missing or wrong token: open the playground from the URL the server printed at start (…/?token=…); only the person who started the server can run scenarios on this machine's KVM";

class BodyTooLarge extends Error {}

/** The body as text; past MAX_BODY_BYTES it stops keeping data (the rest is drained) and rejects at once. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        reject(new BodyTooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The status body: every backend, and the native one's fields at the top (pages before the backend choice). */
function statusBody(list: readonly BackendStatus[]) {
  const native = list.find((b) => b.id === 'native') ?? list[0];
  return {
    ...(native
      ? {
          available: native.available,
          kernel: native.kernel,
          ...(native.reason === undefined ? {} : { reason: native.reason }),
          hostModel: native.hostModel,
          hostWhy: native.hostWhy,
        }
      : { available: false, kernel: 'none', reason: 'no backend' }),
    backends: list,
  };
}

/** `?backend=` of the URL (default native); null when the URL is not understood. */
function backendParam(url: string | undefined): string | null {
  try {
    return new URL(url ?? '', 'http://x').searchParams.get('backend') ?? 'native';
  } catch {
    return null;
  }
}

/** `token`: the secret every request must send in X-Msrfilter-Token (see vite-kvm-plugin.ts). */
export function createKvmMiddleware(load: () => Promise<EndpointDeps>, token: string): KvmMiddleware {
  if (token.length < 16) throw new Error('the KVM endpoint token must be at least 16 characters');
  let loaded: Promise<EndpointDeps> | null = null;
  const depsOf = () => {
    loaded ??= load();
    return loaded;
  };
  const running = new Map<string, number>();
  let preparing: string | null = null;
  let status: { at: number; value: Promise<BackendStatus[]> } | null = null;
  const backends = (deps: EndpointDeps) => {
    if (!status || Date.now() - status.at > STATUS_TTL_MS) status = { at: Date.now(), value: deps.backends() };
    return status.value;
  };

  /** The backend the request names, or an answer already sent (400) and null. */
  async function chosen(req: IncomingMessage, res: ServerResponse, deps: EndpointDeps) {
    const id = backendParam(req.url);
    const list = await backends(deps);
    const b = list.find((x) => x.id === id);
    if (!b) {
      const known = list.map((x) => x.id).join(', ');
      fail(res, 400, `backend: unknown backend ${JSON.stringify(id)} (known: ${known})`);
      return null;
    }
    return b;
  }

  async function run(req: IncomingMessage, res: ServerResponse, deps: EndpointDeps) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return fail(res, 415, 'Content-Type must be application/json');
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      return fail(res, 413, `the scenario is larger than ${MAX_BODY_BYTES / 1024} KB`);
    }
    let scenario: Scenario;
    try {
      scenario = deps.parse(await readBody(req));
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        return fail(res, 413, `the scenario is larger than ${MAX_BODY_BYTES / 1024} KB`, { Connection: 'close' });
      }
      if ((e as Error).name === 'InputError') return fail(res, 400, (e as Error).message);
      throw e;
    }
    if (scenario.steps.length > MAX_STEPS) {
      return fail(res, 400, `steps: ${scenario.steps.length} steps; the endpoint runs at most ${MAX_STEPS}`);
    }
    const backend = await chosen(req, res, deps);
    if (!backend) return;
    if (!backend.available) {
      return fail(res, 503, `${backend.label} is not available: ${backend.reason ?? 'unknown'}`);
    }
    const now = running.get(backend.id) ?? 0;
    if (now >= MAX_CONCURRENT_RUNS) {
      return fail(res, 429, `busy: ${now} runs on ${backend.label} are in progress`, { 'Retry-After': '1' });
    }
    running.set(backend.id, now + 1);
    try {
      const out = await deps.run(backend.id, scenario, { trace: false, timeoutMs: deps.timeoutMs ?? RUN_TIMEOUT_MS });
      const notes = encodeURIComponent(JSON.stringify(out.notes));
      send(res, 200, out.records.map((r) => `${JSON.stringify(r)}\n`).join(''), { 'X-Kvm-Notes': notes });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const message = (e as Error).message;
      if (code === 3) return fail(res, 503, message);
      if (code === 2) return fail(res, 422, message); // the helper refused the scenario (it wrote over its code)
      if (/did not finish within/.test(message)) return fail(res, 504, message);
      return fail(res, 500, message);
    } finally {
      running.set(backend.id, (running.get(backend.id) ?? 1) - 1);
    }
  }

  async function prepare(req: IncomingMessage, res: ServerResponse, deps: EndpointDeps) {
    const backend = await chosen(req, res, deps);
    if (!backend) return;
    if (!backend.download || !deps.prepare) {
      return fail(
        res,
        400,
        `${backend.label}: nothing to prepare (${backend.available ? 'available' : backend.reason})`,
      );
    }
    if (preparing !== null) return fail(res, 429, `busy: ${preparing} is being prepared`, { 'Retry-After': '5' });
    preparing = backend.label;
    try {
      await deps.prepare(backend.id);
    } catch (e) {
      return fail(res, 500, `${backend.label} could not be prepared: ${(e as Error).message}`);
    } finally {
      preparing = null;
      status = null; // what is cached has changed
    }
    send(res, 200, statusBody(await backends(deps)));
  }

  const middleware = async function kvmMiddleware(req: IncomingMessage, res: ServerResponse, next: Next) {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api/kvm/run' && path !== '/api/kvm/status' && path !== '/api/kvm/prepare') return next();
    try {
      if (!isLoopback(req.socket.remoteAddress))
        return fail(res, 403, 'the KVM endpoint answers loopback clients only');
      if (!loopbackHost(req.headers.host, req.socket.localPort)) {
        return fail(res, 403, "the Host header must name a loopback address and this server's port");
      }
      if (foreignOrigin(req)) return fail(res, 403, 'cross-origin requests are refused');
      if (!hasToken(req, token)) return fail(res, 403, TOKEN_REFUSAL);
      if (path === '/api/kvm/status') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'use GET', { Allow: 'GET, HEAD' });
        return send(res, 200, statusBody(await backends(await depsOf())));
      }
      if (req.method !== 'POST') return fail(res, 405, 'use POST', { Allow: 'POST' });
      if (path === '/api/kvm/prepare') await prepare(req, res, await depsOf());
      else await run(req, res, await depsOf());
    } catch (e) {
      if (!res.headersSent) fail(res, 500, `internal error: ${(e as Error).message}`);
      else res.end();
    }
  };
  return Object.assign(middleware, {
    close: async () => {
      if (loaded) await (await loaded.catch(() => null))?.close?.();
    },
  });
}
