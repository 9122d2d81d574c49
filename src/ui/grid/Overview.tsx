import { memo, useMemo } from 'react';
import { type FilterRange, hex32 } from '../../core/index';
import { allowedDensity } from './density';
import { drawnBits } from './geometry';

const BUCKETS = 24;

/** A CSS gradient of a range's allowed share per slice: the allow colour where allowed, the deny colour where not. */
function gradientOf(d: readonly number[]): string {
  if (d.length === 0) return 'none';
  const stops = d.map((v, i) => {
    const pct = Math.round(v * 100);
    const c = `color-mix(in srgb, var(--grid-allow) ${pct}%, var(--grid-deny))`;
    return `${c} ${((i / d.length) * 100).toFixed(2)}% ${(((i + 1) / d.length) * 100).toFixed(2)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/**
 * The overview strip: every range as one bar of its allowed/denied density; a click scrolls the grid to the range
 * (opening it when collapsed), the small button beside it collapses or expands it.
 */
export const Overview = memo(function Overview(props: {
  ranges: readonly FilterRange[];
  collapsed: ReadonlySet<number>;
  onShow(range: number): void;
  onToggle(range: number): void;
}) {
  const { ranges, collapsed } = props;
  const rows = useMemo(
    () =>
      ranges.map((r) => {
        const d = allowedDensity(r, BUCKETS);
        const bits = drawnBits(r.nmsrs);
        const whole = allowedDensity(r, 1)[0] ?? 0;
        return { base: r.base >>> 0, bits, allowed: Math.round(whole * bits), gradient: gradientOf(d) };
      }),
    [ranges],
  );
  return (
    <ul className="msr-grid-overview" aria-label="Overview of the ranges">
      {rows.map((o, i) => {
        const label = `ranges[${i}] ${hex32(o.base)}: ${o.allowed} of ${o.bits} allowed`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: one entry per range index
          <li key={i}>
            <button
              type="button"
              className="msr-grid-overview-bar"
              title={`${label}. Show it on the grid`}
              aria-label={`Show ${label}`}
              onClick={() => props.onShow(i)}
            >
              <span className="msr-grid-overview-name" aria-hidden="true">
                {i}
              </span>
              <span className="msr-grid-overview-density" style={{ backgroundImage: o.gradient }} aria-hidden="true" />
            </button>
            <button
              type="button"
              className="msr-grid-overview-toggle"
              aria-expanded={!collapsed.has(i)}
              aria-label={`${collapsed.has(i) ? 'Expand' : 'Collapse'} ranges[${i}]`}
              title={collapsed.has(i) ? 'Expand' : 'Collapse'}
              onClick={() => props.onToggle(i)}
            >
              {collapsed.has(i) ? '▸' : '▾'}
            </button>
          </li>
        );
      })}
    </ul>
  );
});
