import type { PlaygroundStore } from '../state/types';

/**
 * How an action relates to undo: `records` changes the document and makes one undo step (or joins a burst, see
 * `coalesce`); `none` changes only the view, the run log or preferences; `history` is undo or redo itself.
 */
export type UndoBehaviour = 'records' | 'none' | 'history';

/** A palette entry for a parameterised action: one line per choice (a preset, a panel, a profile). */
export interface PaletteChoice<P> {
  label: string;
  params: P;
}

/** One user operation: the buttons, the keyboard shortcuts and the command palette all perform these. */
export interface ActionDef<P = void> {
  label: string;
  /** Key combinations such as `mod+z`, `mod+shift+z`, `mod+enter` (mod is Ctrl, or Cmd on a Mac). */
  shortcut?: readonly string[];
  undo: UndoBehaviour;
  /** Edits with the same key in quick succession form one undo step (typing in a field). */
  coalesce?: (params: P) => string;
  /** Listed in the command palette: `true` for an action without parameters, or the choices to list. */
  palette?: true | ((store: PlaygroundStore) => PaletteChoice<P>[]);
  enabled?: (store: PlaygroundStore, params: P) => boolean;
  perform: (store: PlaygroundStore, params: P) => void;
}
