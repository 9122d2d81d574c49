import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './measure';

const FRAME_MS = 1000 / 60;

/**
 * Runs e2e/saved-perf.spec.ts in Chromium (an edit that re-runs every saved access, with 100 and with 10,000 of
 * them) and reads test-results/saved-perf.json.
 */
export function savedScaleFigures(root: string): Figure[] {
  try {
    execFileSync('npx', ['playwright', 'test', 'e2e/saved-perf.spec.ts', '--reporter=line'], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, CI: 'true' },
    });
  } catch (e) {
    const out = `${(e as { stdout?: Buffer }).stdout ?? ''}`.split('\n').slice(-15).join('\n');
    return [
      {
        figure: 'saved accesses at scale in Chromium',
        baseline: '100 accesses',
        value: Number.NaN,
        unit: 'x',
        target: 'runs',
        pass: false,
        detail: out,
      },
    ];
  }
  const r = JSON.parse(readFileSync(join(root, 'test-results', 'saved-perf.json'), 'utf8'));
  return [
    {
      figure: 'saved accesses: an edit re-running 10,000 of them (to the next frame), against 100',
      baseline: `the same edit with 100 accesses (${r.small.medianMs.toFixed(1)} ms)`,
      value: r.large.medianMs / r.small.medianMs,
      unit: 'x',
      target: '< 1 frame of added latency',
      pass: r.large.medianMs - r.small.medianMs < FRAME_MS,
      detail: `median ${r.large.medianMs.toFixed(1)} ms per edit with 10,000 (${(r.large.medianMs / FRAME_MS).toFixed(2)} frames)`,
    },
  ];
}
