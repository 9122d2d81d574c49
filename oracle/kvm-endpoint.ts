/**
 * The playground's local endpoint for the real-KVM oracle (Connect-style middleware, used by the Vite plugin):
 *   GET  /api/kvm/status → {"available": boolean, "kernel": "Linux 6.18…", "reason"?: "…"}
 *   POST /api/kvm/run    → the kernel's JSON Lines for an msr-scenario/1 body
 * Loopback clients only, JSON only, at most 256 KB and 2,000 steps. Nothing from the request reaches a path or a
 * shell: the body is parsed into a Scenario and only that goes to the helper, as protocol commands.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scenario } from '../src/core/index';
import type { Availability } from './helper-process';
import type { KvmRunOutput } from './kvm-results';

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_STEPS = 2000;
export const RUN_TIMEOUT_MS = 30_000;
const MAX_CONCURRENT_RUNS = 2;
const STATUS_TTL_MS = 30_000;

/** What the endpoint needs; kvm-endpoint-deps.ts has the real ones. */
export interface EndpointDeps {
  availability: () => Promise<Availability>;
  /** scenarioFromJson over the text; throws an InputError (name "InputError") naming the place. */
  parse: (text: string) => Scenario;
  run: (s: Scenario, opts: { trace: boolean; timeoutMs: number }) => Promise<KvmRunOutput>;
  timeoutMs?: number;
}

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

/** A cross-site page may not drive the endpoint: an Origin header, when sent, must name this host. */
function foreignOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

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

export function createKvmMiddleware(load: () => Promise<EndpointDeps>) {
  let loaded: Promise<EndpointDeps> | null = null;
  const depsOf = () => {
    loaded ??= load();
    return loaded;
  };
  let running = 0;
  let status: { at: number; value: Promise<Availability> } | null = null;
  const availability = (deps: EndpointDeps) => {
    if (!status || Date.now() - status.at > STATUS_TTL_MS) status = { at: Date.now(), value: deps.availability() };
    return status.value;
  };

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
    const kvm = await availability(deps);
    if (!kvm.available) return fail(res, 503, `this machine's KVM is not available: ${kvm.reason ?? 'unknown'}`);
    if (running >= MAX_CONCURRENT_RUNS)
      return fail(res, 429, 'busy: other runs are in progress', { 'Retry-After': '1' });
    running++;
    try {
      const out = await deps.run(scenario, { trace: false, timeoutMs: deps.timeoutMs ?? RUN_TIMEOUT_MS });
      const notes = encodeURIComponent(JSON.stringify(out.notes));
      send(res, 200, out.records.map((r) => `${JSON.stringify(r)}\n`).join(''), { 'X-Kvm-Notes': notes });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const message = (e as Error).message;
      if (code === 3) return fail(res, 503, message);
      if (/did not finish within/.test(message)) return fail(res, 504, message);
      return fail(res, 500, message);
    } finally {
      running--;
    }
  }

  return async function kvmMiddleware(req: IncomingMessage, res: ServerResponse, next: Next) {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api/kvm/run' && path !== '/api/kvm/status') return next();
    try {
      if (!isLoopback(req.socket.remoteAddress))
        return fail(res, 403, 'the KVM endpoint answers loopback clients only');
      if (foreignOrigin(req)) return fail(res, 403, 'cross-origin requests are refused');
      if (path === '/api/kvm/status') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'use GET', { Allow: 'GET, HEAD' });
        const { available, kernel, reason } = await availability(await depsOf());
        return send(res, 200, reason === undefined ? { available, kernel } : { available, kernel, reason });
      }
      if (req.method !== 'POST') return fail(res, 405, 'use POST', { Allow: 'POST' });
      await run(req, res, await depsOf());
    } catch (e) {
      if (!res.headersSent) fail(res, 500, `internal error: ${(e as Error).message}`);
      else res.end();
    }
  };
}
