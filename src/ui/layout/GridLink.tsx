import type { ReactNode } from 'react';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';

/**
 * A mention of a range, a bit or an MSR that scrolls the grid to it and focuses it: give the range and bit, or the
 * MSR index (then the first range covering it). Outside every range it is plain text.
 */
export function GridLink(props: { range?: number | null; bit?: number | null; index?: number; children: ReactNode }) {
  const ranges = useAppStore((s) => s.doc.policy.ranges);
  const run = usePerform();
  const { range, bit } = props;
  const r = range !== undefined && range !== null ? ranges[range] : undefined;
  const index =
    r && bit !== undefined && bit !== null
      ? ((r.base >>> 0) + bit) >>> 0
      : props.index !== undefined
        ? props.index >>> 0
        : null;
  // a bare MSR index links only when a range of the current policy covers it
  const covered = r !== undefined || (index !== null && ranges.some((x) => (index - x.base) >>> 0 < x.nmsrs >>> 0));
  if (index === null || !covered) return <>{props.children}</>;
  return (
    <button
      type="button"
      className="grid-link"
      title="Show on the grid"
      onClick={() => run('grid.jump', { index, ...(r ? { range: range as number } : {}) })}
    >
      {props.children}
    </button>
  );
}
