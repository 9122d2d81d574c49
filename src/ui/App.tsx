import { lazy, Suspense } from 'react';
import { useGlobalShortcuts } from './actions/hooks';
import { GuestConsole } from './console/GuestConsole';
import { PolicyEditor } from './editor/PolicyEditor';
import { BottomPanels } from './layout/BottomPanels';
import { GridPane } from './layout/GridPane';
import { Header } from './layout/Header';
import { useApplyTheme } from './layout/ThemeToggle';
import { VmSettings } from './settings/VmSettings';
import { StoreProvider, useAppStore } from './state/context';
import type { PlaygroundStore } from './state/types';
import './layout/theme.css';
import './layout/layout.css';

const CommandPalette = lazy(() => import('./palette/CommandPalette').then((m) => ({ default: m.CommandPalette })));

function Workspace() {
  const paletteOpen = useAppStore((s) => s.paletteOpen);
  useGlobalShortcuts();
  useApplyTheme();
  return (
    <div className="app">
      <a className="skip-link" href="#console-heading">
        Skip to the guest console
      </a>
      <Header />
      <main className="workspace">
        <div className="column column-editor">
          <PolicyEditor />
          <VmSettings />
        </div>
        <div className="column column-grid">
          <GridPane />
        </div>
        <div className="column column-console">
          <GuestConsole />
        </div>
        <div className="column column-bottom">
          <BottomPanels />
        </div>
      </main>
      {paletteOpen ? (
        <Suspense fallback={null}>
          <CommandPalette />
        </Suspense>
      ) : null}
    </div>
  );
}

/** The playground: policy editor | bitmap grid | guest console, with explain/compare below. */
export function App({ store }: { store: PlaygroundStore }) {
  return (
    <StoreProvider store={store}>
      <Workspace />
    </StoreProvider>
  );
}
