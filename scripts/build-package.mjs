// Builds what the npm package ships (run by `prepack`, so `npm pack` always packs fresh files):
// - dist/cli.mjs: the CLI bundled with esbuild (core, CLI and their libraries inlined; no dependency at run time);
// - dist/core.mjs: the core API (src/core/public.ts) as one ES module;
// - dist/types/: its declarations (tsc), relative imports rewritten with `.js` so any moduleResolution finds them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
for (const f of ['cli.mjs', 'core.mjs', 'types']) rmSync(join(dist, f), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  legalComments: 'none',
  // libraries' ESM builds (jsonc-parser's "main" is UMD with dynamic requires an ESM bundle cannot hold)
  mainFields: ['module', 'main'],
};
await build({
  ...common,
  entryPoints: [join(root, 'src/cli/package-entry.ts')],
  outfile: join(dist, 'cli.mjs'),
  minifySyntax: true,
});
await build({
  ...common,
  platform: 'neutral',
  entryPoints: [join(root, 'src/core/public.ts')],
  outfile: join(dist, 'core.mjs'),
});

execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.package.json')],
  {
    stdio: 'inherit',
  },
);
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.d.ts')) {
      const text = readFileSync(p, 'utf8').replace(
        /(from\s+|import\()(['"])(\.\.?\/[^'"]+?)(\.js)?\2/g,
        (_m, lead, q, spec) => `${lead}${q}${spec}.js${q}`,
      );
      writeFileSync(p, text);
    }
  }
}
walk(join(dist, 'types'));
