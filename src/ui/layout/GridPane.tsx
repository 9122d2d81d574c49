import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { usePerform } from '../actions/hooks';
import { useAppStore, useStoreApi } from '../state/context';
import { beginGesture, endGesture } from '../state/history';
import { type LogEntry, lastDecided } from '../state/run-slice';
import type { GridSelection } from '../state/view-slice';

/** The grid loads right after the first paint, in its own chunk, so that the page's initial JS stays small. */
const BitmapGrid = lazy(() => import('../grid/BitmapGrid').then((m) => ({ default: m.BitmapGrid })));

function lastAccess(log: readonly LogEntry[]): LogEntry | null {
  for (let i = log.length - 1; i >= 0; i--) if (log[i].kind === 'access') return log[i];
  return null;
}

/**
 * While the Compare tab is shown, the cells where A and B differ, outlined on the grid (the sweep's code loads with
 * the compare, in its own chunk).
 */
function useCompareMarks(): readonly GridSelection[] | null {
  const comparing = useAppStore((s) => s.activePanel === 'compare');
  const policy = useAppStore((s) => s.doc.policy);
  const profile = useAppStore((s) => s.doc.profile);
  const compare = useAppStore((s) => s.compare);
  const [marks, setMarks] = useState<readonly GridSelection[] | null>(null);
  useEffect(() => {
    if (!comparing) {
      setMarks(null);
      return;
    }
    let live = true;
    void import('../state/compare-marks').then((m) => {
      if (live) setMarks(m.compareMarks(policy, profile, compare));
    });
    return () => {
      live = false;
    };
  }, [comparing, policy, profile, compare]);
  return marks;
}

/**
 * The bitmap grid (src/ui/grid, with its own zoom, jump and fill tools) wired to the store: its edits are registry
 * actions, a drag is one undo step, and the cell that decided the last fired access is highlighted.
 */
export function GridPane() {
  const store = useStoreApi();
  const run = usePerform();
  const ranges = useAppStore((s) => s.doc.policy.ranges);
  const zoom = useAppStore((s) => s.zoom);
  const selection = useAppStore((s) => s.selection);
  const jumpTo = useAppStore((s) => s.jumpTo);
  const last = useAppStore((s) => lastAccess(s.log));
  const setView = useAppStore((s) => s.setView);
  const marks = useCompareMarks();
  const decided = useMemo(() => {
    const d = last ? lastDecided([last]) : null;
    return d && d.range < ranges.length ? d : null;
  }, [last, ranges.length]);

  // After each fire, the grid scrolls to the cell that decided (the focus stays in the console).
  const lastId = last?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per fired access
  useEffect(() => {
    if (!decided || lastId === undefined) return;
    const r = ranges[decided.range];
    store.getState().jump(((r.base >>> 0) + decided.bit) >>> 0, decided.range, false);
  }, [lastId]);

  return (
    <section className="panel grid-pane" aria-labelledby="grid-heading">
      <h2 id="grid-heading">Bitmap grid</h2>
      <Suspense fallback={<p className="muted">Loading the grid…</p>}>
        <BitmapGrid
          ranges={ranges}
          decided={decided}
          zoom={zoom}
          onZoomChange={(z) => run('grid.setZoom', { zoom: z })}
          selection={selection}
          onSelectionChange={(sel) => run('grid.select', { selection: sel })}
          onApply={(range, from, to, op) => run('grid.apply', { range, from, to, op })}
          onGestureStart={() => beginGesture(store)}
          onGestureEnd={() => endGesture(store)}
          jumpTo={jumpTo}
          onFocusChange={(cell) => setView({ focus: cell })}
          marks={marks}
        />
      </Suspense>
    </section>
  );
}
