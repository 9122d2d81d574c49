// Bundles the benchmark with esbuild (as the playground's bundler would: modules inlined, no loader hooks in the
// hot loops) and runs it with plain node. tsx's per-call module indirection would otherwise halve the figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'msrfilter-bench-')), 'bench.mjs');
await build({
  entryPoints: [join(here, 'main.ts')],
  bundle: true,
  platform: 'node',
  // libraries' ESM builds (jsonc-parser's "main" is UMD with dynamic requires an ESM bundle cannot hold)
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'node20',
  outfile: out,
  define: { 'import.meta.dirname': JSON.stringify(here) },
  logLevel: 'error',
});
try {
  execFileSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit', cwd: join(here, '..') });
} catch (e) {
  process.exitCode = e.status ?? 1;
}
