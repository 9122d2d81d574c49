import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './measure';

/** Builds the playground and gzips every script index.html loads up front (module scripts and modulepreloads). */
export function bundleFigure(root: string): Figure {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  const dist = join(root, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  let total = 0;
  for (const s of new Set(scripts)) total += gzipSync(readFileSync(join(dist, s)), { level: 9 }).length;
  const kb = total / 1024;
  return {
    figure: 'initial JavaScript, gzip',
    baseline: '—',
    value: kb,
    unit: 'KB',
    target: '<= 100 KB',
    pass: kb <= 100,
    detail: `${scripts.length} file(s) loaded by index.html`,
  };
}
