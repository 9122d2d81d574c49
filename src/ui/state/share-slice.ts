import type { SliceCreator } from './types';

/**
 * A message about the document as a whole: a link that could not be opened, saved work that could not be read, a
 * document too large for a link. Shown under the header until dismissed. `alert` ones are errors (role="alert").
 */
export interface Notice {
  /** One notice per id: adding a notice with the same id replaces it (`link`, `storage`, `link-size`, …). */
  id: string;
  tone: 'alert' | 'info';
  title: string;
  text: string;
  /** Offer "Restore previous work" (the copy restore.ts kept under PREVIOUS_KEY). */
  restore?: boolean;
}

export type ExportFormat = 'c' | 'rust' | 'policy-json' | 'scenario-json' | 'link';

/** The share dialogs (at most one at a time). */
export type ShareDialog =
  | { kind: 'import' /** A file dropped on the page, read as soon as the dialog opens. */; file?: File }
  | { kind: 'export'; format?: ExportFormat }
  /** The clipboard was not available: the link in a text field, selected, to copy by hand. */
  | { kind: 'copy-link'; url: string };

/** Share links, import and export: notices, dialogs and short confirmations. Never undone, never shared. */
export interface ShareSlice {
  notices: Notice[];
  dialog: ShareDialog | null;
  /** A short confirmation ("Link copied"), announced politely; `seq` makes a repeat announce again. */
  toast: { text: string; seq: number } | null;
  /** A file is being dragged over the page (it can be dropped to import it). */
  dragging: boolean;
  addNotice(notice: Notice): void;
  dismissNotice(id: string): void;
  setDialog(dialog: ShareDialog | null): void;
  showToast(text: string | null): void;
}

export const createShareSlice = (): SliceCreator<ShareSlice> => (set, get) => ({
  notices: [],
  dialog: null,
  toast: null,
  dragging: false,
  addNotice: (notice) => set({ notices: [...get().notices.filter((n) => n.id !== notice.id), notice] }),
  dismissNotice: (id) => {
    if (get().notices.some((n) => n.id === id)) set({ notices: get().notices.filter((n) => n.id !== id) });
  },
  setDialog: (dialog) => set({ dialog }),
  showToast: (text) => set({ toast: text === null ? null : { text, seq: (get().toast?.seq ?? 0) + 1 } }),
});
