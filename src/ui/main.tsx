import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { firstVisitDocument } from './first-visit';
import { adoptTokenFromUrl } from './kvm/kvm-token';
import { browserEnv } from './share/env';
import { bootPlayground } from './share/startup';
import { createPlaygroundStore } from './state/store';
import type { PlaygroundStore } from './state/types';

// The local server's ?token= (for the real-KVM endpoint) goes into sessionStorage before anything reads the URL.
adoptTokenFromUrl();

// `?grid-harness`: the bitmap grid alone (src/ui/grid/GridHarness.tsx); renaming #root keeps the App off the page.
const gridHarness = location.search.includes('grid-harness') ? document.getElementById('root') : null;
if (gridHarness) gridHarness.id = 'grid-harness-root';
if (gridHarness) void import('./grid/GridHarness').then((m) => m.mountGridHarness(gridHarness));

const defaultDocument = firstVisitDocument;

/**
 * The document is decided before the first render (share/startup.ts): a link in the address bar, else the work
 * kept in local storage, else the first-visit document (first-visit.ts). Only a link makes this wait, for the link codec's chunk.
 */
async function start(root: HTMLElement) {
  let store: PlaygroundStore;
  try {
    store = (await bootPlayground(browserEnv(), { defaultDocument })).store;
  } catch (e) {
    // Not expected (start-up reports every problem as a notice); never leave the page blank.
    console.error('MSR Filter Playground: start-up failed', e);
    store = createPlaygroundStore({ doc: defaultDocument() });
  }
  createRoot(root).render(
    <StrictMode>
      <App store={store} />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) void start(root);
