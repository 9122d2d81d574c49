/**
 * Vite plugin: serves the real-KVM endpoint (oracle/kvm-endpoint.ts) from `vite` (dev) and `vite preview`.
 * A static build has no endpoint; the playground then hides its "Run on this machine's KVM" button.
 *
 * The endpoint answers only requests that carry the server's secret token (the Jupyter habit): 32 random bytes made
 * when the server starts (or MSRFILTER_TOKEN, for tests), printed in the URLs Vite shows and put in the URL that
 * `--open` opens. The page reads it from its URL once, keeps it in sessionStorage and removes it from the address bar
 * (src/ui/kvm/kvm-token.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { createKvmMiddleware, type EndpointDeps, type KvmMiddleware } from './kvm-endpoint.ts';

/** The query parameter that hands the token to the page. */
export const TOKEN_PARAM = 'token';

/**
 * The engine and the runner are TypeScript that vite.config.ts must not bundle (Vite's config loader would take
 * in the whole engine): they are loaded through tsx on the first request.
 */
async function loadRealDeps(): Promise<EndpointDeps> {
  const { tsImport } = await import('tsx/esm/api');
  const url = new URL('./kvm-endpoint-deps.ts', import.meta.url).href;
  const mod = (await tsImport(url, import.meta.url)) as { endpointDeps: EndpointDeps };
  return mod.endpointDeps;
}

const KEPT = Symbol.for('msrfilter.kvm-endpoint-token');

/**
 * MSRFILTER_TOKEN when set (at least 16 characters), else one random token per Node process: a dev server restart
 * (which re-reads vite.config.ts) keeps the token the open page already has.
 */
export function serverToken(env: NodeJS.ProcessEnv = process.env): string {
  const fixed = env.MSRFILTER_TOKEN;
  if (fixed !== undefined && fixed !== '') {
    if (fixed.length < 16) throw new Error('MSRFILTER_TOKEN must be at least 16 characters');
    return fixed;
  }
  const g = globalThis as { [KEPT]?: string };
  g[KEPT] ??= randomBytes(32).toString('base64url');
  return g[KEPT];
}

/** `url` with ?token=… (the hash, if any, kept after it). */
export function withToken(url: string, token: string): string {
  const u = new URL(url);
  u.searchParams.set(TOKEN_PARAM, token);
  return u.href;
}

/** `open: true` → the root with the token; `open: '/path'` → that path with the token. */
function openWithToken(open: boolean | string | undefined, token: string): string | boolean | undefined {
  if (!open) return open;
  return withToken(new URL(typeof open === 'string' ? open : '/', 'http://x').href, token).replace(/^http:\/\/x/, '');
}

/** Vite prints server.resolvedUrls: give every printed URL the token, so the one to click is the one shown. */
function printTokenUrls(server: ViteDevServer | PreviewServer, token: string) {
  const print = server.printUrls.bind(server);
  server.printUrls = () => {
    const urls = server.resolvedUrls;
    if (urls) {
      const add = (u: string) => (u.includes(`${TOKEN_PARAM}=`) ? u : withToken(u, token));
      urls.local = urls.local.map(add);
      urls.network = urls.network.map(add);
    }
    print();
    server.config.logger.info(
      '  The real-KVM endpoint needs the token in these URLs: open one of them (the page keeps it for this tab).\n',
    );
  };
}

export interface KvmPluginOptions {
  /** The endpoint's dependencies (tests give fakes). */
  load?: () => Promise<EndpointDeps>;
  /** The secret (default: serverToken()). */
  token?: string;
}

/** The endpoint on `server`, closed with it (the svm-6.1 QEMU guest it keeps warm powers off). */
function serve(server: ViteDevServer | PreviewServer, load: () => Promise<EndpointDeps>, token: string) {
  printTokenUrls(server, token);
  const mw: KvmMiddleware = createKvmMiddleware(load, token);
  server.middlewares.use(mw);
  server.httpServer?.once('close', () => {
    void mw.close();
  });
}

export function kvmPlugin(opts: KvmPluginOptions = {}): Plugin {
  const load = opts.load ?? loadRealDeps;
  let token = opts.token;
  const tokenOf = () => {
    token ??= serverToken();
    return token;
  };
  return {
    name: 'msrfilter-kvm-endpoint',
    config(config, env) {
      if (env.command !== 'serve') return;
      return {
        server: { open: openWithToken(config.server?.open, tokenOf()) },
        preview: { open: openWithToken(config.preview?.open, tokenOf()) },
      };
    },
    configureServer(server) {
      serve(server, load, tokenOf());
    },
    configurePreviewServer(server) {
      serve(server, load, tokenOf());
    },
  };
}
