// @vitest-environment node
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliExit } from '../src/cli/main';
import { parseJsonText, resultsToJsonLines, runScenario, scenarioFromJson } from '../src/core/index';
import type { BackendStatus } from './kvm-backends';
import {
  createKvmMiddleware,
  type EndpointDeps,
  isLoopback,
  loopbackHost,
  MAX_BODY_BYTES,
  MAX_CONCURRENT_RUNS,
  TOKEN_HEADER,
} from './kvm-endpoint';
import { kvmPlugin, serverToken, withToken } from './vite-kvm-plugin';

const TOKEN = 'test-token-0123456789abcdef';
const AUTH = { [TOKEN_HEADER]: TOKEN };

const native: BackendStatus = {
  id: 'native',
  label: "this machine's KVM",
  kernel: 'Linux 6.18.44-test',
  hostModel: 'pvm-amd',
  hostWhy: 'module kvm_pvm, CPU vendor AuthenticAMD, LA57 off',
  profile: 'linux-6.12',
  available: true,
};
const svm: BackendStatus = {
  id: 'svm-6.1',
  label: 'kvm_amd 6.1 under QEMU',
  kernel: 'Linux 6.1.0-57-amd64 (Debian 12)',
  hostModel: 'svm',
  hostWhy: 'kvm_amd under QEMU TCG',
  profile: 'linux-5.19',
  available: true,
};
const ONE_STEP = { steps: [{ op: 'rdmsr', index: '0x10' }] };

function fakeDeps(over: Partial<EndpointDeps> = {}, list: BackendStatus[] = [native, svm]): EndpointDeps {
  return {
    backends: async () => list,
    parse: (text) => scenarioFromJson(parseJsonText(text, 'scenario')),
    run: async (_backend, s) => ({
      notes: ['msrfilter: note: a note'],
      records: runScenario(s, false).steps.map((r) => ({ step: r.step, op: r.op })),
    }),
    ...over,
  };
}

async function listen(deps: EndpointDeps): Promise<{ server: Server; base: string }> {
  const mw = createKvmMiddleware(async () => deps, TOKEN);
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
  fetch(`${base}/api/kvm/run`, { method: 'POST', body, headers: { ...AUTH, ...headers } });
const get = (base: string, path = '/api/kvm/status', headers: Record<string, string> = AUTH) =>
  fetch(`${base}${path}`, { headers });

describe('the KVM endpoint (middleware on a plain HTTP server, fake runner)', () => {
  let base = '';
  let server: Server;
  const run = vi.fn(fakeDeps().run);
  beforeAll(async () => {
    ({ server, base } = await listen(fakeDeps({ run })));
  });
  afterAll(() => server.close());

  it('GET /api/kvm/status lists every backend, and the native one at the top for older pages', async () => {
    const r = await get(base);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      available: true,
      kernel: 'Linux 6.18.44-test',
      hostModel: 'pvm-amd',
      hostWhy: 'module kvm_pvm, CPU vendor AuthenticAMD, LA57 off',
      backends: [native, svm],
    });
  });

  it('POST /api/kvm/run returns the JSON Lines and the notes', async () => {
    const r = await post(base, JSON.stringify(ONE_STEP));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(await r.text()).toBe('{"step":0,"op":"rdmsr"}\n');
    expect(JSON.parse(decodeURIComponent(r.headers.get('x-kvm-notes') ?? ''))).toEqual(['msrfilter: note: a note']);
    expect(run).toHaveBeenCalledWith(
      'native',
      expect.objectContaining({ steps: [expect.objectContaining({ index: 0x10 })] }),
      { trace: false, timeoutMs: 30_000 },
    );
  });

  it('runs on the backend named by ?backend=, and refuses one it does not list', async () => {
    run.mockClear();
    const r = await fetch(`${base}/api/kvm/run?backend=svm-6.1`, {
      method: 'POST',
      body: JSON.stringify(ONE_STEP),
      headers: { ...AUTH, 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(200);
    expect(run).toHaveBeenCalledWith('svm-6.1', expect.anything(), expect.anything());
    for (const id of ['svm-6.2', '../native', '']) {
      const bad = await fetch(`${base}/api/kvm/run?backend=${encodeURIComponent(id)}`, {
        method: 'POST',
        body: JSON.stringify(ONE_STEP),
        headers: { ...AUTH, 'Content-Type': 'application/json' },
      });
      expect(bad.status, id).toBe(400);
      expect((await bad.json()).error, id).toBe(
        `backend: unknown backend ${JSON.stringify(id)} (known: native, svm-6.1)`,
      );
    }
    expect(run).toHaveBeenCalledTimes(1);
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
      const req = request({ hostname, port, path: '/api/kvm/run', method: 'POST', headers: AUTH }, (res) => {
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
    expect((await get(base, '/api/kvm/run')).status).toBe(405);
    expect((await fetch(`${base}/api/kvm/status`, { method: 'POST', headers: AUTH })).status).toBe(405);
    const foreign = await post(base, JSON.stringify(ONE_STEP), {
      'Content-Type': 'application/json',
      Origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses a request without the token, or with a wrong one, with 403 and a JSON error that says what to do', async () => {
    run.mockClear();
    const cases: [string, Record<string, string>][] = [
      ['no token', {}],
      ['an empty token', { [TOKEN_HEADER]: '' }],
      ['a wrong token', { [TOKEN_HEADER]: `${TOKEN.slice(0, -1)}X` }],
      ['a longer token', { [TOKEN_HEADER]: `${TOKEN}0` }],
      ['the token in another header', { Authorization: `Bearer ${TOKEN}` }],
    ];
    for (const [what, headers] of cases) {
      for (const r of [
        await get(base, '/api/kvm/status', headers),
        await fetch(`${base}/api/kvm/run`, {
          method: 'POST',
          body: JSON.stringify(ONE_STEP),
          headers: { 'Content-Type': 'application/json', ...headers },
        }),
      ]) {
        expect(r.status, what).toBe(403);
        expect(r.headers.get('content-type'), what).toMatch(/^application\/json/);
        expect((await r.json()).error, what).toMatch(/^missing or wrong token: open the playground from the URL/);
      }
    }
    expect(run).not.toHaveBeenCalled();
    // The right token: the same requests go through.
    expect((await get(base)).status).toBe(200);
    expect((await post(base, JSON.stringify(ONE_STEP))).status).toBe(200);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses a Host that is not a loopback name with this port (DNS rebinding), whatever the token', async () => {
    const { hostname, port } = new URL(base);
    const statusWithHost = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ hostname, port, path: '/api/kvm/status', headers: { ...AUTH, Host: host } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost:${Number(port) + 1}`,
      'localhost',
    ]) {
      const r = await statusWithHost(host);
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body).error, host).toMatch(/Host header must name a loopback address/);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await statusWithHost(host)).status, host).toBe(200);
    }
  });

  it('refuses an Origin other than its own, whatever the token', async () => {
    const { host, port } = new URL(base);
    for (const origin of [
      'http://evil.example',
      `http://localhost:${port}`,
      `http://${host}.evil`,
      'null',
      'file://',
    ]) {
      const r = await get(base, '/api/kvm/status', { ...AUTH, Origin: origin });
      expect(r.status, origin).toBe(403);
      expect((await r.json()).error, origin).toBe('cross-origin requests are refused');
    }
    expect((await get(base, '/api/kvm/status', { ...AUTH, Origin: base })).status).toBe(200);
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
    ({
      url,
      method,
      headers: { host: '127.0.0.1:5173', [TOKEN_HEADER]: TOKEN },
      socket: { remoteAddress, localPort: 5173 },
    }) as unknown as IncomingMessage;

  it('answers loopback clients only', async () => {
    const mw = createKvmMiddleware(async () => fakeDeps(), TOKEN);
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

  it('checks the Host against loopback names and the port the request came in on', () => {
    expect(loopbackHost('127.0.0.1:5173', 5173)).toBe(true);
    expect(loopbackHost('127.0.0.2:5173', 5173)).toBe(true);
    expect(loopbackHost('[::1]:5173', 5173)).toBe(true);
    expect(loopbackHost('localhost', 80)).toBe(true);
    expect(loopbackHost('localhost:5173', 4173)).toBe(false);
    expect(loopbackHost('127.0.0.1', 5173)).toBe(false);
    expect(loopbackHost('attacker.example:5173', 5173)).toBe(false);
    expect(loopbackHost('localhost.attacker.example:5173', 5173)).toBe(false);
    expect(loopbackHost('[::ffff:127.0.0.1]:5173', 5173)).toBe(false);
    expect(loopbackHost(undefined, 5173)).toBe(false);
    expect(loopbackHost('127.0.0.1:5173', undefined)).toBe(false);
  });

  it('will not start with a short token', () => {
    expect(() => createKvmMiddleware(async () => fakeDeps(), 'short')).toThrow(/at least 16 characters/);
  });

  it('503 when this machine has no usable KVM, 504 on a timeout, 500 on a helper failure, 422 when refused', async () => {
    const cases: [EndpointDeps, number, RegExp][] = [
      [
        fakeDeps({}, [{ ...native, available: false, reason: 'no /dev/kvm' }]),
        503,
        /^this machine's KVM is not available: no \/dev\/kvm$/,
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
      [
        fakeDeps({
          run: async () => {
            throw new CliExit(2, 'msrfilter: --kvm: the scenario is refused at steps[1] (`rdmsr 0x10 error`): …');
          },
        }),
        422,
        /the scenario is refused at steps\[1\]/,
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

describe('the backends: preparing one, runs per backend, closing', () => {
  const request = (base: string, path: string, body = JSON.stringify(ONE_STEP)) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers: { ...AUTH, 'Content-Type': 'application/json' } });

  it('prepares (downloads) a backend only on POST /api/kvm/prepare, then lists it as available', async () => {
    let cached = false;
    const prepare = vi.fn(async () => {
      cached = true;
    });
    const pending: BackendStatus = {
      ...svm,
      available: false,
      reason: 'the guest kernel linux-image-6.1.0-57-amd64 (71 MB) is not downloaded yet: …',
      download: { package: 'linux-image-6.1.0-57-amd64', bytes: 70_591_024 },
    };
    const deps = fakeDeps({ prepare, backends: async () => [native, cached ? svm : pending] });
    const { server, base } = await listen(deps);
    const before = await (await get(base)).json();
    expect(before.backends[1]).toEqual(pending);
    const refused = await request(base, '/api/kvm/run?backend=svm-6.1');
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatch(/^kvm_amd 6\.1 under QEMU is not available: the guest kernel/);
    expect(prepare).not.toHaveBeenCalled();
    expect((await request(base, '/api/kvm/prepare', '')).status).toBe(400); // native: nothing to prepare
    const done = await request(base, '/api/kvm/prepare?backend=svm-6.1', '');
    expect(done.status).toBe(200);
    expect((await done.json()).backends[1]).toEqual(svm); // the cached status is refreshed
    expect(prepare).toHaveBeenCalledWith('svm-6.1');
    expect((await request(base, '/api/kvm/run?backend=svm-6.1')).status).toBe(200);
    expect((await request(base, '/api/kvm/prepare?backend=svm-6.1', '')).status).toBe(400); // nothing left to do
    expect((await fetch(`${base}/api/kvm/prepare?backend=svm-6.1`, { headers: AUTH })).status).toBe(405);
    server.close();
  });

  it('says why a preparation failed, and runs one at a time', async () => {
    const gate: { finish?: () => void } = {};
    const pending = { ...svm, available: false, download: { package: 'linux-image-x', bytes: null } };
    const slow = fakeDeps({
      prepare: () =>
        new Promise<void>((_resolve, reject) => {
          gate.finish = () => reject(new Error('apt-get download failed: 404'));
        }),
      backends: async () => [native, pending],
    });
    const { server, base } = await listen(slow);
    const first = request(base, '/api/kvm/prepare?backend=svm-6.1', '');
    await vi.waitFor(() => expect(gate.finish).toBeDefined());
    const second = await request(base, '/api/kvm/prepare?backend=svm-6.1', '');
    expect(second.status).toBe(429);
    gate.finish?.();
    const r = await first;
    expect(r.status).toBe(500);
    expect((await r.json()).error).toBe('kvm_amd 6.1 under QEMU could not be prepared: apt-get download failed: 404');
    server.close();
  });

  it(`takes at most ${MAX_CONCURRENT_RUNS} runs at a time per backend; the other backend still runs`, async () => {
    const release: (() => void)[] = [];
    const deps = fakeDeps({
      run: (_b, s) =>
        new Promise((resolve) => {
          release.push(() => resolve({ notes: [], records: s.steps.map((_, i) => ({ step: i })) }));
        }),
    });
    const { server, base } = await listen(deps);
    const busy = Array.from({ length: MAX_CONCURRENT_RUNS }, () => request(base, '/api/kvm/run?backend=svm-6.1'));
    await vi.waitFor(() => expect(release).toHaveLength(MAX_CONCURRENT_RUNS));
    const third = await request(base, '/api/kvm/run?backend=svm-6.1');
    expect(third.status).toBe(429);
    expect((await third.json()).error).toBe(
      `busy: ${MAX_CONCURRENT_RUNS} runs on kvm_amd 6.1 under QEMU are in progress`,
    );
    const onNative = request(base, '/api/kvm/run');
    await vi.waitFor(() => expect(release).toHaveLength(MAX_CONCURRENT_RUNS + 1));
    for (const r of release) r();
    for (const r of [...(await Promise.all(busy)), await onNative]) expect(r.status).toBe(200);
    server.close();
  });

  it("close() closes the deps' sessions (the warm QEMU guest), only once they were loaded", async () => {
    const close = vi.fn(async () => {});
    const never = createKvmMiddleware(async () => fakeDeps({ close }), TOKEN);
    await never.close();
    expect(close).not.toHaveBeenCalled();
    const mw = createKvmMiddleware(async () => fakeDeps({ close }), TOKEN);
    const server = createServer((req, res) => mw(req, res, () => res.end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.close();
    await mw.close();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('the Vite plugin with the real runner (a dev server started here)', () => {
  let vite: ViteDevServer;
  let base = '';
  beforeAll(async () => {
    vite = await createViteServer({
      configFile: false,
      logLevel: 'silent',
      plugins: [kvmPlugin({ token: TOKEN })],
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
    expect((await get(base, '/api/kvm/status', {})).status).toBe(403);
    const status = (await (await get(base)).json()) as BackendStatus & { backends: BackendStatus[] };
    expect(status.kernel).toMatch(/^Linux /);
    // the svm-6.1 backend is listed whether or not qemu is here, with the reason when it is not available
    expect(status.backends.map((b) => [b.id, b.hostModel === null || typeof b.hostModel === 'string'])).toEqual([
      ['native', true],
      ['svm-6.1', true],
    ]);
    const svm61 = status.backends[1];
    expect(svm61).toMatchObject({
      hostModel: 'svm',
      profile: 'linux-5.19',
      kernel: expect.stringMatching(/^Linux 6\.1/),
    });
    if (!svm61.available) expect(svm61.reason).toMatch(/not found|not downloaded yet|cannot be resolved/);
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

describe('the server token', () => {
  it('is MSRFILTER_TOKEN when set, else random and the same for the whole process', () => {
    expect(serverToken({ MSRFILTER_TOKEN: TOKEN })).toBe(TOKEN);
    expect(() => serverToken({ MSRFILTER_TOKEN: 'short' })).toThrow(/at least 16/);
    const a = serverToken({});
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(serverToken({})).toBe(a);
  });

  it('goes into the printed URL as ?token=, before any hash', () => {
    expect(withToken('http://127.0.0.1:5173/', 'abc')).toBe('http://127.0.0.1:5173/?token=abc');
    expect(withToken('http://127.0.0.1:5173/x?a=1#v2.AA', 'a+b')).toBe('http://127.0.0.1:5173/x?a=1&token=a%2Bb#v2.AA');
  });

  it('is printed in the URLs the dev server shows', async () => {
    const lines: string[] = [];
    const vite = await createViteServer({
      configFile: false,
      logLevel: 'info',
      customLogger: {
        info: (m: string) => lines.push(m),
        warn: () => {},
        warnOnce: () => {},
        error: () => {},
        clearScreen: () => {},
        hasErrorLogged: () => false,
        hasWarned: false,
      },
      plugins: [kvmPlugin({ token: TOKEN, load: async () => fakeDeps() })],
      server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false },
    });
    await vite.listen();
    vite.printUrls();
    await vite.close();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Vite colours its output
    const text = lines.join('\n').replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(new RegExp(`http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}`));
  });
});
