/** Keyboard combinations as strings: `mod+shift+z`. `mod` is Cmd on a Mac and Ctrl elsewhere. */

export function isMacPlatform(nav: { platform?: string; userAgent?: string } | undefined = globalThis.navigator) {
  const p = `${nav?.platform ?? ''} ${nav?.userAgent ?? ''}`;
  return /Mac|iPhone|iPad/.test(p);
}

/** The combination a key event stands for; both Ctrl and Cmd count as `mod`. */
export function comboOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('mod');
  if (e.altKey) parts.push('alt');
  if (e.shiftKey) parts.push('shift');
  parts.push(e.key.toLowerCase());
  return parts.join('+');
}

const MAC_NAMES: Record<string, string> = { mod: '⌘', shift: '⇧', alt: '⌥', enter: '↩' };
const PC_NAMES: Record<string, string> = { mod: 'Ctrl', shift: 'Shift', alt: 'Alt', enter: 'Enter' };

/** For display: `⌘⇧Z` on a Mac, `Ctrl+Shift+Z` elsewhere. */
export function formatShortcut(combo: string, mac = isMacPlatform()): string {
  const names = mac ? MAC_NAMES : PC_NAMES;
  const keys = combo.split('+').map((k) => names[k] ?? (k.length === 1 ? k.toUpperCase() : k));
  return keys.join(mac ? '' : '+');
}

/** For aria-keyshortcuts: `Control+Shift+Z Meta+Shift+Z` (a combo without `mod` once: `Alt+1`). */
export function ariaShortcut(combo: string): string {
  const map = (mod: string) =>
    combo
      .split('+')
      .map((k) =>
        k === 'mod' ? mod : k === 'shift' ? 'Shift' : k === 'alt' ? 'Alt' : k === 'enter' ? 'Enter' : k.toUpperCase(),
      )
      .join('+');
  const pc = map('Control');
  const mac = map('Meta');
  return pc === mac ? pc : `${pc} ${mac}`;
}
