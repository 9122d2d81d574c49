import { lazy, type MouseEvent, Suspense } from 'react';
import { useGlobalShortcuts } from './actions/hooks';
import { GuestConsole } from './console/GuestConsole';
import { PolicyEditor } from './editor/PolicyEditor';
import { BottomPanels } from './layout/BottomPanels';
import { GridPane } from './layout/GridPane';
import { Header } from './layout/Header';
import { Stage } from './layout/Stage';
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
/** The `?` sheet of shortcuts, built from the action registry. */
const HelpSheet = lazy(() => import('./help/HelpSheet').then((m) => ({ default: m.HelpSheet })));
/** Messages about a link or the kept work that could not be opened; most visits have none. */
const Notices = lazy(() => import('./share/Notices').then((m) => ({ default: m.Notices })));

/**
 * A skip link moves the keyboard focus too: to the grid's surface (one tab stop), or to the console's MSR field.
 */
const skipTo = (where: 'grid' | 'console') => (e: MouseEvent) => {
  const target =
    where === 'grid'
      ? document.querySelector<HTMLElement>('.msr-grid-surface')
      : document.querySelector<HTMLElement>('#access-index');
  // never the #fragment (it holds the share link): while the grid is still loading, its heading takes the focus
  e.preventDefault();
  const to = target ?? document.getElementById(where === 'grid' ? 'grid-heading' : 'console-heading');
  if (!to) return;
  if (!target) to.tabIndex = -1;
  to.scrollIntoView({ block: 'nearest' });
  to.focus();
};

function Workspace() {
  const paletteOpen = useAppStore((s) => s.paletteOpen);
  const dialogOpen = useAppStore((s) => s.dialog !== null);
  const helpOpen = useAppStore((s) => s.helpOpen);
  const hasNotices = useAppStore((s) => s.notices.length > 0);
  const dragging = useAppStore((s) => s.dragging);
  useGlobalShortcuts();
  useApplyTheme();
  return (
    <div className="app">
      <nav className="skip-links" aria-label="Skip links">
        {/* biome-ignore lint/a11y/useValidAnchor: a skip link; the click moves the focus without touching the #fragment (the share link) */}
        <a className="skip-link" href="#grid-heading" onClick={skipTo('grid')}>
          Skip to the bitmap grid
        </a>
        {/* biome-ignore lint/a11y/useValidAnchor: as above */}
        <a className="skip-link" href="#console-heading" onClick={skipTo('console')}>
          Skip to the guest console
        </a>
      </nav>
      <Header />
      {hasNotices ? (
        <Suspense fallback={null}>
          <Notices />
        </Suspense>
      ) : null}
      <Toast />
      <Stage
        editor={
          <>
            <PolicyEditor />
            <VmSettings />
          </>
        }
        grid={<GridPane />}
        console={<GuestConsole />}
      />
      <div className="below-stage">
        <BottomPanels />
      </div>
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
      {helpOpen ? (
        <Suspense fallback={null}>
          <HelpSheet />
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

/** The playground: the stage (policy | bitmap grid | guest console), with explain/compare below. */
export function App({ store }: { store: PlaygroundStore }) {
  return (
    <StoreProvider store={store}>
      <Workspace />
    </StoreProvider>
  );
}
