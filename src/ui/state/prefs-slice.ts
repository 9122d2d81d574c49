import type { SliceCreator } from './types';

export type ThemePreference = 'system' | 'light' | 'dark';
export const THEMES: readonly ThemePreference[] = ['system', 'light', 'dark'];
const THEME_KEY = 'msr-playground.theme';
const STAGE_KEY = 'msr-playground.stage';

/** The stage's side panes: their widths in CSS px and whether they are open (the grid takes the rest). */
export interface StageLayout {
  editorWidth: number;
  consoleWidth: number;
  editorOpen: boolean;
  consoleOpen: boolean;
}

export const PANE_MIN = 240;
export const PANE_MAX = 720;
export const DEFAULT_STAGE: StageLayout = { editorWidth: 300, consoleWidth: 380, editorOpen: true, consoleOpen: true };

const clampPane = (w: unknown, fallback: number) =>
  typeof w === 'number' && Number.isFinite(w) ? Math.min(PANE_MAX, Math.max(PANE_MIN, Math.round(w))) : fallback;

/** Whatever local storage holds (nothing, junk, an old shape), a usable layout. */
export function normalizeStage(raw: unknown): StageLayout {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    editorWidth: clampPane(o.editorWidth, DEFAULT_STAGE.editorWidth),
    consoleWidth: clampPane(o.consoleWidth, DEFAULT_STAGE.consoleWidth),
    editorOpen: typeof o.editorOpen === 'boolean' ? o.editorOpen : true,
    consoleOpen: typeof o.consoleOpen === 'boolean' ? o.consoleOpen : true,
  };
}

function readStage(storage: PrefsStorage): StageLayout {
  try {
    const v = storage?.getItem(STAGE_KEY);
    return normalizeStage(v ? JSON.parse(v) : null);
  } catch {
    return { ...DEFAULT_STAGE };
  }
}

/** User preferences, kept in local storage (never in the document or its undo history). */
export interface PrefsSlice {
  theme: ThemePreference;
  setTheme(theme: ThemePreference): void;
  stage: StageLayout;
  setStage(patch: Partial<StageLayout>): void;
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
  (set, get) => ({
    stage: readStage(storage),
    setStage: (patch) => {
      const stage = normalizeStage({ ...get().stage, ...patch });
      set({ stage });
      try {
        storage?.setItem(STAGE_KEY, JSON.stringify(stage));
      } catch {
        // the layout lasts for this page only
      }
    },
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
