import { type KeyboardEvent, type PointerEvent, useRef } from 'react';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { PANE_MAX, PANE_MIN } from '../state/prefs-slice';

/**
 * A draggable, focusable splitter (role separator) between the grid and a side pane: drag it, or focus it and press
 * the arrow keys (Shift: bigger steps), Home/End for the narrowest/widest; Enter collapses or opens the pane.
 */
export function PaneSeparator({ pane, label }: { pane: 'editor' | 'console'; label: string }) {
  const width = useAppStore((s) => (pane === 'editor' ? s.stage.editorWidth : s.stage.consoleWidth));
  const run = usePerform();
  const start = useRef<{ x: number; width: number; id: number } | null>(null);
  // dragging right widens the editor (left of the grid) and narrows the console (right of it)
  const sign = pane === 'editor' ? 1 : -1;
  const resize = (w: number) => run('layout.resize', { pane, width: w });
  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 64 : 16;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      resize(width + (e.key === 'ArrowRight' ? step : -step) * sign);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      resize(e.key === 'Home' ? PANE_MIN : PANE_MAX);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      run(pane === 'editor' ? 'layout.toggleEditor' : 'layout.toggleConsole');
    }
  };
  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    start.current = { x: e.clientX, width, id: e.pointerId };
    try {
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      // synthetic events
    }
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const s = start.current;
    if (!s || s.id !== e.pointerId) return;
    resize(s.width + (e.clientX - s.x) * sign);
  };
  const onUp = () => {
    start.current = null;
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable window splitter (WAI-ARIA), not a thematic break
    <div
      className="pane-separator"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={PANE_MIN}
      aria-valuemax={PANE_MAX}
      aria-valuenow={width}
      tabIndex={0}
      onKeyDown={onKey}
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={onUp}
      data-testid={`separator-${pane}`}
    />
  );
}
