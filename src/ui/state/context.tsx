import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { PlaygroundState, PlaygroundStore } from './types';

const StoreContext = createContext<PlaygroundStore | null>(null);

/** Provides one playground store to the components below (the app has one; each test makes its own). */
export function StoreProvider({ store, children }: { store: PlaygroundStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStoreApi(): PlaygroundStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreApi: no <StoreProvider> above this component');
  return store;
}

/** Selects from the playground state; re-renders only when the selected value changes (Object.is). */
export function useAppStore<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(useStoreApi(), selector);
}

/** Whether undo and redo have anything to do. */
export function useHistoryState(): { canUndo: boolean; canRedo: boolean } {
  const store = useStoreApi();
  const canUndo = useStore(store.temporal, (t) => t.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (t) => t.futureStates.length > 0);
  return { canUndo, canRedo };
}
