import { useEffect } from 'react';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { THEMES, type ThemePreference } from '../state/prefs-slice';

const ICON: Record<ThemePreference, string> = { system: '◐', light: '☀', dark: '☾' };
const NAME: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Applies the theme to the page: `data-theme` on <html> for light or dark; none follows the system. */
export function useApplyTheme(root: HTMLElement = document.documentElement) {
  const theme = useAppStore((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme, root]);
}

/** The header's theme switch: system → light → dark → system. */
export function ThemeToggle() {
  const theme = useAppStore((s) => s.theme);
  const run = usePerform();
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label={`Theme: ${NAME[theme]} (switch to ${NAME[next]})`}
      title={`Theme: ${NAME[theme]}; click for ${NAME[next]}`}
      onClick={() => run('theme.cycle')}
    >
      <span aria-hidden="true">{ICON[theme]} </span>
      {NAME[theme]}
    </button>
  );
}
