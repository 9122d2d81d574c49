/** The grid's own keys (handled while its surface has the focus), for the `?` sheet. */
export const GRID_KEYS: readonly { keys: string; does: string }[] = [
  { keys: '← → ↑ ↓', does: 'move between MSRs' },
  { keys: 'Home / End', does: "go to the row's ends (with Ctrl: the first or last MSR)" },
  { keys: 'Page Up / Page Down', does: 'move by a page' },
  { keys: 'Space', does: 'toggle allow and deny' },
  { keys: 'Shift + a movement key', does: 'select a span' },
  { keys: 'Ctrl+A', does: 'select the whole range' },
  { keys: 'A / D / I', does: 'allow, deny or invert the selection (or the focused MSR)' },
  { keys: 'Escape', does: 'clear the selection' },
  { keys: '+ / −', does: 'zoom in or out' },
];
