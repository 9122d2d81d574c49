import type { FilterPolicy } from '../../core/index';
import { emptyDocument, type PlaygroundDocument } from './document';
import type { SliceCreator } from './types';

/** The document: the only part of the state that undo/redo tracks and that share links carry. */
export interface DocumentSlice {
  doc: PlaygroundDocument;
  /** Replaces the whole document (one undo step unless history is paused). */
  setDoc(doc: PlaygroundDocument): void;
  updateDoc(fn: (doc: PlaygroundDocument) => PlaygroundDocument): void;
  updatePolicy(fn: (policy: FilterPolicy) => FilterPolicy): void;
}

export const createDocumentSlice =
  (initial: PlaygroundDocument = emptyDocument()): SliceCreator<DocumentSlice> =>
  (set, get) => ({
    doc: initial,
    setDoc: (doc) => {
      if (doc !== get().doc) set({ doc });
    },
    updateDoc: (fn) => get().setDoc(fn(get().doc)),
    updatePolicy: (fn) => {
      const doc = get().doc;
      const policy = fn(doc.policy);
      if (policy !== doc.policy) set({ doc: { ...doc, policy } });
    },
  });
