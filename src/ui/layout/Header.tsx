import { useLayoutEffect, useRef } from 'react';
import { ActionButton } from '../actions/ActionButton';
import { formatShortcut } from '../actions/shortcuts';
import { PresetPicker } from './PresetPicker';
import { ThemeToggle } from './ThemeToggle';

/** What the page is, in one sentence (the first thing a new visitor reads). */
export const TAGLINE =
  "Paint a KVM MSR filter (KVM_X86_SET_MSR_FILTER) on the bitmap, fire a guest's RDMSR/WRMSR at it, and see what the guest gets and why.";

/**
 * Title, the one-sentence tagline, presets, undo/redo, share/import/export, the command palette, help and the theme
 * switch. Its height is published as --header-h, so that the stage below fills the rest of the screen.
 */
export function Header() {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const publish = () => document.documentElement.style.setProperty('--header-h', `${el.offsetHeight}px`);
    publish();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(publish);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return (
    <header className="app-header" ref={ref}>
      <div className="app-title">
        <h1>MSR Filter Playground</h1>
        <p className="app-tagline">{TAGLINE}</p>
      </div>
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
        <ActionButton action="help.open" label="Keyboard shortcuts">
          ? <span className="visually-hidden">Keyboard shortcuts</span>
        </ActionButton>
        <ThemeToggle />
      </nav>
    </header>
  );
}
