import { useSyncExternalStore } from 'react';

/**
 * The simulator's run-time (SimulatedVm, runScenario) is not needed to draw the first screen, so it arrives in its
 * own chunk right after: `engine()` is null until then, `loadEngine()` fetches it (once), and components that show
 * results re-render through `useEngine()` when it is there. Everything else of src/core stays in the first chunk.
 */
export type Engine = typeof import('./engine-impl');

let loaded: Engine | null = null;
let pending: Promise<Engine> | null = null;
const listeners = new Set<() => void>();

export function engine(): Engine | null {
  return loaded;
}

export function loadEngine(): Promise<Engine> {
  pending ??= import('./engine-impl').then((m) => {
    loaded = m;
    for (const l of listeners) l();
    return m;
  });
  return pending;
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The engine, or null while it loads (and then a re-render when it has). */
export function useEngine(): Engine | null {
  const e = useSyncExternalStore(subscribe, engine, engine);
  if (!e) void loadEngine();
  return e;
}
