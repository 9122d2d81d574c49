import { filterDecision, getProfile, type InstalledFilter } from '../src/core/index';
import { installed, randomIndexes, sixteenFullRanges } from './fixtures';
import { type Figure, medianRatio, opsPerSecond } from './measure';

/** The baseline: a plain first-match loop over the same typed arrays, no profile, no trace, no packing. */
export function plainFirstMatch(f: InstalledFilter, indexes: Uint32Array, type: number): number {
  const { base, end, flags, offset, bits, count, defaultAllow } = f;
  let allowed = 0;
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i];
    let r = defaultAllow ? 1 : 0;
    for (let k = 0; k < count; k++) {
      if (index >= base[k] && index < end[k] && (flags[k] & type) !== 0) {
        const bit = index - base[k];
        r = (bits[offset[k] + (bit >>> 3)] >>> (bit & 7)) & 1;
        break;
      }
    }
    allowed += r;
  }
  return allowed;
}

export function engineDecisions(f: InstalledFilter, indexes: Uint32Array, type: number): number {
  const profile = getProfile('linux-6.12');
  let allowed = 0;
  for (let i = 0; i < indexes.length; i++) allowed += filterDecision(profile, f, indexes[i], type) & 1;
  return allowed;
}

export function filterDecisionFigure(): Figure & { engineOps: number } {
  const policy = sixteenFullRanges('random');
  const f = installed(policy);
  const indexes = randomIndexes(policy, 1 << 16);
  if (plainFirstMatch(f, indexes, 1) !== engineDecisions(f, indexes, 1))
    throw new Error('engine and baseline disagree');
  const m = medianRatio(
    () => opsPerSecond(() => engineDecisions(f, indexes, 1) + engineDecisions(f, indexes, 2), indexes.length * 2),
    () => opsPerSecond(() => plainFirstMatch(f, indexes, 1) + plainFirstMatch(f, indexes, 2), indexes.length * 2),
  );
  return {
    figure: 'filter decisions/s, 16 full ranges, random indexes',
    baseline: 'plain first-match loop over the same typed arrays',
    value: m.ratio,
    unit: 'x',
    target: '>= 0.5x',
    pass: m.ratio >= 0.5,
    detail: `engine ${(m.a / 1e6).toFixed(1)} M/s, baseline ${(m.b / 1e6).toFixed(1)} M/s`,
    engineOps: m.a,
  };
}
