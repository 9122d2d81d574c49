import { temporal } from 'zundo';
import { createStore } from 'zustand';
import type { PlaygroundDocument } from './document';
import { createDocumentSlice } from './document-slice';
import { createPrefsSlice, defaultStorage, type PrefsStorage } from './prefs-slice';
import { createRunSlice } from './run-slice';
import { createShareSlice } from './share-slice';
import type { PlaygroundState, PlaygroundStore, TrackedState } from './types';
import { createViewSlice } from './view-slice';

export interface StoreOptions {
  /** The document to start with (from a share link, local storage or a preset). */
  doc?: PlaygroundDocument;
  /** Where preferences are kept; defaults to localStorage, null for none. */
  storage?: PrefsStorage;
  /** How many undo steps are kept. */
  historyLimit?: number;
}

/**
 * The playground's store: five slices (document, run log, view, preferences, share notices and dialogs) with undo/redo over the document
 * only. A change that leaves `doc` the same object records no undo step.
 */
export function createPlaygroundStore(options: StoreOptions = {}): PlaygroundStore {
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  return createStore<PlaygroundState>()(
    temporal<PlaygroundState, [], [], TrackedState>(
      (set, get) => ({
        ...createDocumentSlice(options.doc)(set, get),
        ...createRunSlice()(set, get),
        ...createViewSlice()(set, get),
        ...createPrefsSlice(storage)(set, get),
        ...createShareSlice()(set, get),
      }),
      {
        partialize: (s) => ({ doc: s.doc }),
        equality: (a, b) => a.doc === b.doc,
        limit: options.historyLimit ?? 200,
      },
    ),
  ) as PlaygroundStore;
}
