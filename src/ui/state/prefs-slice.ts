import type { SliceCreator } from './types';

export type ThemePreference = 'system' | 'light' | 'dark';
export const THEMES: readonly ThemePreference[] = ['system', 'light', 'dark'];
const THEME_KEY = 'msr-playground.theme';

/** User preferences, kept in local storage (never in the document or its undo history). */
export interface PrefsSlice {
  theme: ThemePreference;
  setTheme(theme: ThemePreference): void;
}

/** Storage is injected so that tests can pass their own (or none). */
export type PrefsStorage = Pick<Storage, 'getItem' | 'setItem'> | null;

export function defaultStorage(): PrefsStorage {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readTheme(storage: PrefsStorage): ThemePreference {
  try {
    const v = storage?.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export const createPrefsSlice =
  (storage: PrefsStorage): SliceCreator<PrefsSlice> =>
  (set) => ({
    theme: readTheme(storage),
    setTheme: (theme) => {
      set({ theme });
      try {
        storage?.setItem(THEME_KEY, theme);
      } catch {
        // private mode or a full quota: the preference lasts for this page only
      }
    },
  });
