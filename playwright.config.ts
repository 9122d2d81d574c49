import { defineConfig, devices } from '@playwright/test';
import { E2E_KVM_TOKEN } from './e2e/token';

// E2E_PORT lets several clones run their journeys side by side without sharing one preview server.
const port = Number(process.env.E2E_PORT ?? 4173);
const base = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: { baseURL: base, trace: 'retain-on-failure' },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-quic',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: base,
    // A fixed token for the real-KVM endpoint, so that the journeys can open the page with it (e2e/token.ts).
    env: { MSRFILTER_TOKEN: E2E_KVM_TOKEN },
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
