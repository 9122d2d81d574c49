import { lazy, Suspense } from 'react';
import { useGlobalShortcuts } from './actions/hooks';
import { GuestConsole } from './console/GuestConsole';
import { PolicyEditor } from './editor/PolicyEditor';
import { BottomPanels } from './layout/BottomPanels';
import { GridPane } from './layout/GridPane';
import { Header } from './layout/Header';
import { useApplyTheme } from './layout/ThemeToggle';
import { VmSettings } from './settings/VmSettings';
import { Toast } from './share/Toast';
import { StoreProvider, useAppStore } from './state/context';
import type { PlaygroundStore } from './state/types';
import './layout/theme.css';
import './layout/layout.css';

const CommandPalette = lazy(() => import('./palette/CommandPalette').then((m) => ({ default: m.CommandPalette })));
/** Import, export and the copy-link fallback, with the exports and the link codec: loaded when first opened. */
const ShareDialogs = lazy(() => import('./share/ShareDialogs').then((m) => ({ default: m.ShareDialogs })));
/** Messages about a link or the kept work that could not be opened; most visits have none. */
const Notices = lazy(() => import('./share/Notices').then((m) => ({ default: m.Notices })));

function Workspace() {
  const paletteOpen = useAppStore((s) => s.paletteOpen);
  const dialogOpen = useAppStore((s) => s.dialog !== null);
  const hasNotices = useAppStore((s) => s.notices.length > 0);
  const dragging = useAppStore((s) => s.dragging);
  useGlobalShortcuts();
  useApplyTheme();
  return (
    <div className="app">
      <a className="skip-link" href="#console-heading">
        Skip to the guest console
      </a>
      <Header />
      {hasNotices ? (
        <Suspense fallback={null}>
          <Notices />
        </Suspense>
      ) : null}
      <Toast />
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
      {dialogOpen ? (
        <Suspense fallback={null}>
          <ShareDialogs />
        </Suspense>
      ) : null}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop a JSON file to import it
        </div>
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
