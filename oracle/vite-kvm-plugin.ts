/**
 * Vite plugin: serves the real-KVM endpoint (oracle/kvm-endpoint.ts) from `vite` (dev) and `vite preview`.
 * A static build has no endpoint; the playground then hides its "Run on this machine's KVM" button.
 */
import type { Plugin } from 'vite';
import { createKvmMiddleware, type EndpointDeps } from './kvm-endpoint.ts';

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

export function kvmPlugin(load: () => Promise<EndpointDeps> = loadRealDeps): Plugin {
  return {
    name: 'msrfilter-kvm-endpoint',
    configureServer(server) {
      server.middlewares.use(createKvmMiddleware(load));
    },
    configurePreviewServer(server) {
      server.middlewares.use(createKvmMiddleware(load));
    },
  };
}
