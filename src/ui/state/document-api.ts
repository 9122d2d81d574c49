import type { PlaygroundDocument } from './document';
import type { PlaygroundStore } from './types';

/**
 * The document as a whole, for code outside the UI (share links, local persistence). Read it, replace it,
 * and hear about every change to it (edits, undo, redo, presets).
 */

export function getDocument(store: PlaygroundStore): PlaygroundDocument {
  return store.getState().doc;
}

/**
 * Replaces the whole document. `history: 'record'` (default) makes it one undo step; `'reset'` forgets the undo
 * history (for a document loaded at start-up, so that undo cannot go back to the blank one).
 */
export function setDocument(
  store: PlaygroundStore,
  doc: PlaygroundDocument,
  options: { history?: 'record' | 'reset' } = {},
): void {
  store.getState().setDoc(doc);
  if (options.history === 'reset') store.temporal.getState().clear();
}

/** Calls `listener` after every change of the document (never for view, log or preference changes). */
export function subscribeDocument(
  store: PlaygroundStore,
  listener: (doc: PlaygroundDocument, previous: PlaygroundDocument) => void,
): () => void {
  return store.subscribe((state, prev) => {
    if (state.doc !== prev.doc) listener(state.doc, prev.doc);
  });
}
