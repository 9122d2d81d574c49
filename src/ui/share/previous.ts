import { setDocument } from '../state/document-api';
import type { PlaygroundStore } from '../state/types';
import { shareEnvOf } from './env';
import { PREVIOUS_KEY, readStoredDocument } from './storage';

/**
 * Opens the work a link replaced (kept under PREVIOUS_KEY by restore.ts) as one undoable step, so that undo goes back
 * to the link. False, with a notice saying why, when the copy cannot be read.
 */
export function restorePrevious(store: PlaygroundStore): boolean {
  const read = readStoredDocument(shareEnvOf(store).storage, { key: PREVIOUS_KEY });
  if (read.kind === 'ok') {
    setDocument(store, read.doc);
    return true;
  }
  store.getState().addNotice({
    id: 'previous',
    tone: 'alert',
    title: 'The previous work could not be restored.',
    text:
      read.kind === 'none'
        ? `Nothing is kept under "${PREVIOUS_KEY}" any more.`
        : `The copy under "${PREVIOUS_KEY}" could not be read: ${read.reason}.`,
  });
  return false;
}
