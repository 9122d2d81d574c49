import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineDecisions } from './filter-decisions';
import { installed, randomIndexes, sixteenFullRanges } from './fixtures';
import { type Figure, opsPerSecond } from './measure';

function serialise(f: ReturnType<typeof installed>, indexes: Uint32Array): Buffer {
  const words: number[] = [f.count, f.defaultAllow ? 1 : 0];
  for (let k = 0; k < f.count; k++) words.push(f.base[k], f.end[k], f.flags[k], f.offset[k]);
  const head = Buffer.from(new Uint32Array([...words, f.bits.length]).buffer);
  return Buffer.concat([
    head,
    Buffer.from(f.bits),
    Buffer.from(new Uint32Array([indexes.length]).buffer),
    Buffer.from(indexes.buffer),
  ]);
}

/** The engine against the same first-match algorithm in C (-O2, system compiler), alternated in one run. */
export function cBaselineFigure(): Figure | null {
  const dir = mkdtempSync(join(tmpdir(), 'msrfilter-bench-'));
  const exe = join(dir, 'first-match');
  try {
    execFileSync('cc', ['-O2', '-o', exe, join(import.meta.dirname, 'first-match.c')], { stdio: 'pipe' });
  } catch {
    return null;
  }
  const policy = sixteenFullRanges('random');
  const f = installed(policy);
  const indexes = randomIndexes(policy, 1 << 16);
  const data = join(dir, 'filter.bin');
  writeFileSync(data, serialise(f, indexes));
  const ratios: { ratio: number; js: number; c: number }[] = [];
  for (let round = 0; round < 5; round++) {
    const [cOps, checksum] = execFileSync(exe, [data, '300']).toString().trim().split(' ').map(Number);
    const js = opsPerSecond(() => engineDecisions(f, indexes, 1) + engineDecisions(f, indexes, 2), indexes.length * 2);
    const expected = engineDecisions(f, indexes, 1) + engineDecisions(f, indexes, 2);
    if (checksum % expected !== 0) throw new Error('C baseline and engine disagree');
    ratios.push({ ratio: js / cOps, js, c: cOps });
  }
  ratios.sort((a, b) => a.ratio - b.ratio);
  const m = ratios[2];
  return {
    figure: 'filter decisions/s against C',
    baseline: 'the same first-match loop in C, cc -O2',
    value: m.ratio,
    unit: 'x',
    target: '>= 0.33x',
    pass: m.ratio >= 0.33,
    detail: `engine ${(m.js / 1e6).toFixed(1)} M/s, C ${(m.c / 1e6).toFixed(1)} M/s`,
  };
}
