import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { kvmPlugin } from './oracle/vite-kvm-plugin.ts';
import { securityHeadersPlugin } from './src/node/security-headers.ts';

export default defineConfig({
  // kvmPlugin: POST /api/kvm/run and GET /api/kvm/status on `vite` and `vite preview` (the server's token, loopback).
  // securityHeadersPlugin: the CSP (no inline script, frame-ancestors 'none') and X-Frame-Options on both servers,
  // and the CSP as a <meta> in the built index.html.
  plugins: [securityHeadersPlugin(), react(), kvmPlugin()],
  base: './',
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  preview: { port: 4173, strictPort: true, host: '127.0.0.1' },
  build: {
    // Every browser the build targets but Safari 16 preloads modules itself; there they simply load on import.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Everything the first render needs in one chunk beside the entry (instead of a handful of small shared
        // chunks, each with its own import/export glue and a worse compression ratio); lazy chunks stay separate.
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    setupFiles: ['./src/setupTests.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'oracle/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
