import { ActionButton } from '../actions/ActionButton';
import { formatShortcut } from '../actions/shortcuts';
import { PresetPicker } from './PresetPicker';
import { ThemeToggle } from './ThemeToggle';

/** Title, presets, undo/redo, share/import/export, the command palette and the theme switch. */
export function Header() {
  return (
    <header className="app-header">
      <h1>MSR Filter Playground</h1>
      <nav className="header-tools" aria-label="Tools">
        <PresetPicker />
        <ActionButton action="history.undo">Undo</ActionButton>
        <ActionButton action="history.redo">Redo</ActionButton>
        <ActionButton action="share.copyLink">Copy link</ActionButton>
        <ActionButton action="share.import">Import…</ActionButton>
        <ActionButton action="share.export">Export…</ActionButton>
        <ActionButton action="palette.open" label="Commands">
          Commands <kbd>{formatShortcut('mod+k')}</kbd>
        </ActionButton>
        <ThemeToggle />
      </nav>
    </header>
  );
}
