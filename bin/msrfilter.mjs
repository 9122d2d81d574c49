#!/usr/bin/env node
// The msrfilter command. Installed from the package, it runs dist/cli.mjs, the bundle built at pack time (plain
// JavaScript: no TypeScript compiler at start-up). In a clone (src/ is there), it runs the TypeScript sources
// through tsx, so that it works right after `npm ci` and never runs a bundle older than the sources.
import { existsSync } from 'node:fs';

const inClone = existsSync(new URL('../src/cli/main.ts', import.meta.url));
if (inClone && process.env.MSRFILTER_BUNDLE !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  const { runFromClone } = await import('../src/cli/clone-entry.ts');
  process.exitCode = await runFromClone(process.argv.slice(2));
} else {
  await import('../dist/cli.mjs');
}
