// @vitest-environment node
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliExit } from '../src/cli/main';
import { parseJsonText, resultsToJsonLines, runScenario, scenarioFromJson } from '../src/core/index';
import type { Availability } from './helper-process';
import { createKvmMiddleware, type EndpointDeps, isLoopback, MAX_BODY_BYTES } from './kvm-endpoint';
import { kvmPlugin } from './vite-kvm-plugin';

const up: Availability = { available: true, kernel: 'Linux 6.18.44-test' };
const ONE_STEP = { steps: [{ op: 'rdmsr', index: '0x10' }] };

function fakeDeps(over: Partial<EndpointDeps> = {}): EndpointDeps {
  return {
    availability: async () => up,
    parse: (text) => scenarioFromJson(parseJsonText(text, 'scenario')),
    run: async (s) => ({
      notes: ['msrfilter: note: a note'],
      records: runScenario(s, false).steps.map((r) => ({ step: r.step, op: r.op })),
    }),
    ...over,
  };
}

async function listen(deps: EndpointDeps): Promise<{ server: Server; base: string }> {
  const mw = createKvmMiddleware(async () => deps);
  const server = createServer((req, res) =>
    mw(req, res, () => {
      res.writeHead(404);
      res.end('next');
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const post = (base: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${base}/api/kvm/run`, { method: 'POST', body, headers });

describe('the KVM endpoint (middleware on a plain HTTP server, fake runner)', () => {
  let base = '';
  let server: Server;
  const run = vi.fn(fakeDeps().run);
  beforeAll(async () => {
    ({ server, base } = await listen(fakeDeps({ run })));
  });
  afterAll(() => server.close());

  it('GET /api/kvm/status says whether KVM can run and which kernel', async () => {
    const r = await fetch(`${base}/api/kvm/status`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ available: true, kernel: 'Linux 6.18.44-test' });
  });

  it('POST /api/kvm/run returns the JSON Lines and the notes', async () => {
    const r = await post(base, JSON.stringify(ONE_STEP));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(await r.text()).toBe('{"step":0,"op":"rdmsr"}\n');
    expect(JSON.parse(decodeURIComponent(r.headers.get('x-kvm-notes') ?? ''))).toEqual(['msrfilter: note: a note']);
    expect(run).toHaveBeenCalledWith(expect.objectContaining({ steps: [expect.objectContaining({ index: 0x10 })] }), {
      trace: false,
      timeoutMs: 30_000,
    });
  });

  it('accepts only application/json', async () => {
    const r = await post(base, JSON.stringify(ONE_STEP), { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(415);
    expect((await r.json()).error).toMatch(/application\/json/);
  });

  it('answers a malformed scenario with 400 and the located message, without running it', async () => {
    run.mockClear();
    const bad = await post(base, '{"steps":[{"op":"rdmsr","index":"0x1ffffffff"}]}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'steps[0].index: 0x1ffffffff is not a 32-bit MSR index' });
    const notJson = await post(base, '{"steps":');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/^scenario: not valid JSON/);
    expect(run).not.toHaveBeenCalled();
  });

  it('refuses more than 2,000 steps and bodies over 256 KB', async () => {
    const many = { steps: Array.from({ length: 2001 }, () => ({ op: 'rdmsr', index: 16 })) };
    const r = await post(base, JSON.stringify(many));
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(/2001 steps; the endpoint runs at most 2000/);
    const big = await post(base, JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), steps: [] }));
    expect(big.status).toBe(413);
  });

  it('stops reading a chunked body past 256 KB', async () => {
    const { hostname, port } = new URL(base);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ hostname, port, path: '/api/kvm/run', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.setHeader('Content-Type', 'application/json');
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      req.write('{"name":"');
      for (let i = 0; i < 5; i++) req.write(chunk); // no Content-Length: chunked
      req.end('","steps":[]}');
    });
    expect(status).toBe(413);
  });

  it('refuses other methods and cross-origin requests', async () => {
    expect((await fetch(`${base}/api/kvm/run`)).status).toBe(405);
    expect((await fetch(`${base}/api/kvm/status`, { method: 'POST' })).status).toBe(405);
    const foreign = await post(base, JSON.stringify(ONE_STEP), {
      'Content-Type': 'application/json',
      Origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
  });

  it('leaves every other path to the next middleware', async () => {
    const r = await fetch(`${base}/api/kvm/other`);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe('next');
  });
});

describe('the KVM endpoint, called with mock request objects', () => {
  function mockRes() {
    const res = { status: 0, headers: {} as Record<string, string>, body: '', headersSent: false };
    return Object.assign(res, {
      writeHead(status: number, headers: Record<string, string>) {
        res.status = status;
        res.headers = headers;
        res.headersSent = true;
      },
      end(text = '') {
        res.body += text;
      },
    });
  }
  const mockReq = (remoteAddress: string, url: string, method = 'GET') =>
    ({ url, method, headers: {}, socket: { remoteAddress } }) as unknown as IncomingMessage;

  it('answers loopback clients only', async () => {
    const mw = createKvmMiddleware(async () => fakeDeps());
    for (const [address, status] of [
      ['10.0.0.5', 403],
      ['192.168.1.2', 403],
      ['::ffff:10.0.0.5', 403],
      ['127.0.0.1', 200],
      ['::1', 200],
      ['::ffff:127.0.0.1', 200],
    ] as const) {
      const res = mockRes();
      await mw(mockReq(address, '/api/kvm/status'), res as unknown as ServerResponse, () => {});
      expect(res.status, address).toBe(status);
    }
    expect(isLoopback(undefined)).toBe(false);
  });

  it('503 when this machine has no usable KVM, 504 on a timeout, 500 on a helper failure', async () => {
    const cases: [EndpointDeps, number, RegExp][] = [
      [
        fakeDeps({ availability: async () => ({ ...up, available: false, reason: 'no /dev/kvm' }) }),
        503,
        /no \/dev\/kvm/,
      ],
      [
        fakeDeps({
          run: async () => {
            throw new CliExit(3, 'msrfilter: --kvm: /dev/kvm not available (ENOENT)');
          },
        }),
        503,
        /not available/,
      ],
      [
        fakeDeps({
          run: async () => {
            throw new CliExit(4, 'msrfilter: --kvm: the helper did not finish within 30000 ms');
          },
        }),
        504,
        /did not finish/,
      ],
      [
        fakeDeps({
          run: async () => {
            throw new CliExit(4, 'msrfilter: --kvm: the helper failed at steps[0]');
          },
        }),
        500,
        /helper failed/,
      ],
    ];
    for (const [deps, status, message] of cases) {
      const { server, base } = await listen(deps);
      const r = await post(base, JSON.stringify(ONE_STEP));
      expect(r.status).toBe(status);
      expect((await r.json()).error).toMatch(message);
      server.close();
    }
  });
});

describe('the Vite plugin with the real runner (a dev server started here)', () => {
  let vite: ViteDevServer;
  let base = '';
  beforeAll(async () => {
    vite = await createViteServer({
      configFile: false,
      logLevel: 'silent',
      plugins: [kvmPlugin()],
      server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false },
    });
    await vite.listen();
    const address = vite.httpServer?.address() as AddressInfo | null;
    if (!address) throw new Error('the Vite dev server is not listening');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await vite.close();
  });

  it('serves /api/kvm/status and runs a scenario on this machine (or answers 503 without KVM)', async () => {
    const status = (await (await fetch(`${base}/api/kvm/status`)).json()) as Availability;
    expect(status.kernel).toMatch(/^Linux /);
    const scenario = {
      exits: ['filter'],
      filter: { ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '00' }] },
      steps: [
        { op: 'rdmsr', index: '0x10', reply: { data: '0x5' } },
        { op: 'rdmsr', index: '0x1b' },
      ],
    };
    const r = await post(base, JSON.stringify(scenario));
    if (!status.available) {
      console.warn(`skipped: no /dev/kvm (${status.reason})`);
      expect(r.status).toBe(503);
      return;
    }
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(resultsToJsonLines(runScenario(scenarioFromJson(scenario), false).steps));
  });
});
