import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getPreset } from './presets';
import { createPlaygroundStore } from './state/store';

// `?grid-harness`: the bitmap grid alone (src/ui/grid/GridHarness.tsx); renaming #root keeps the App off the page.
const gridHarness = location.search.includes('grid-harness') ? document.getElementById('root') : null;
if (gridHarness) gridHarness.id = 'grid-harness-root';
if (gridHarness) void import('./grid/GridHarness').then((m) => m.mountGridHarness(gridHarness));

const store = createPlaygroundStore({ doc: getPreset('qemu-default')?.build() });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App store={store} />
    </StrictMode>,
  );
}
