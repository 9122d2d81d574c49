import { cBaselineFigure } from './c-baseline';
import { effectiveSweepFigure } from './effective-sweep';
import { filterDecisionFigure } from './filter-decisions';
import { guestAccessFigure } from './guest-access';
import type { Figure } from './measure';

/** Every figure of BENCHMARKS.md, each a ratio against a baseline measured side by side in this run. */
export async function runBenchmarks(
  extra: (() => Figure | Figure[] | null | Promise<Figure | Figure[] | null>)[],
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const steps: (() => Figure | Figure[] | null | Promise<Figure | Figure[] | null>)[] = [
    filterDecisionFigure,
    cBaselineFigure,
    guestAccessFigure,
    effectiveSweepFigure,
    ...extra,
  ];
  for (const step of steps) {
    const out = await step();
    if (out === null) continue;
    for (const f of Array.isArray(out) ? out : [out]) {
      figures.push(f);
      console.log(formatFigure(f));
    }
  }
  return figures;
}

export function formatFigure(f: Figure): string {
  const value =
    f.unit === 'KB' || f.unit === 'ms'
      ? `${f.value.toFixed(1)} ${f.unit}`
      : `${f.value.toFixed(2)}${f.unit.startsWith('x') ? f.unit : ` ${f.unit}`}`;
  return `${f.pass ? 'PASS' : 'MISS'}  ${f.figure}: ${value} (target ${f.target}; baseline: ${f.baseline})${f.detail ? `\n      ${f.detail}` : ''}`;
}
