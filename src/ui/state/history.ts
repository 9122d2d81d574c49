import type { PlaygroundDocument } from './document';
import type { PlaygroundStore } from './types';

/**
 * Undo granularity on top of zundo: a pointer gesture (a drag over the grid) is one undo step however many cells
 * it paints, and a burst of typing in one field is one step.
 */

interface Gesture {
  depth: number;
  start: PlaygroundDocument;
}
interface Burst {
  key: string;
  at: number;
  pastLength: number;
}

const gestures = new WeakMap<PlaygroundStore, Gesture>();
const bursts = new WeakMap<PlaygroundStore, Burst>();
/** Edits of the same field closer together than this merge into one undo step. */
export const BURST_MS = 1500;

/** Pointer down: stop recording; every change until endGesture becomes one step. Nested calls are counted. */
export function beginGesture(store: PlaygroundStore): void {
  const g = gestures.get(store);
  if (g) {
    g.depth++;
    return;
  }
  bursts.delete(store);
  gestures.set(store, { depth: 1, start: store.getState().doc });
  store.temporal.getState().pause();
}

/** Pointer up: record the whole gesture as one undo step (none if nothing changed). Unmatched calls are ignored. */
export function endGesture(store: PlaygroundStore): void {
  const g = gestures.get(store);
  if (!g) return;
  if (--g.depth > 0) return;
  gestures.delete(store);
  const end = store.getState().doc;
  const t = store.temporal.getState();
  if (end === g.start) {
    t.resume();
    return;
  }
  // Put the pre-gesture document back unrecorded, then set the final one recorded: one step, start → end.
  store.setState({ doc: g.start });
  t.resume();
  store.setState({ doc: end });
}

export function inGesture(store: PlaygroundStore): boolean {
  return gestures.has(store);
}

/**
 * Runs an edit. With a key (say `range.0.base`), an edit that follows another with the same key within BURST_MS,
 * with nothing recorded in between, joins its undo step instead of starting a new one.
 */
export function recordEdit(store: PlaygroundStore, key: string | null, edit: () => void, now = Date.now()): void {
  const t = store.temporal;
  const last = bursts.get(store);
  const join =
    key !== null &&
    !inGesture(store) &&
    last !== undefined &&
    last.key === key &&
    now - last.at < BURST_MS &&
    t.getState().pastStates.length === last.pastLength;
  if (join) {
    t.getState().pause();
    try {
      edit();
    } finally {
      t.getState().resume();
    }
  } else {
    edit();
  }
  if (key === null || inGesture(store)) bursts.delete(store);
  else bursts.set(store, { key, at: now, pastLength: t.getState().pastStates.length });
}

/** Undoes the last step; a confirmation still on screen ("Imported…") was about the step undone, so it goes. */
export function undo(store: PlaygroundStore): void {
  if (inGesture(store)) return;
  bursts.delete(store);
  store.temporal.getState().undo();
  store.getState().showToast(null);
}

export function redo(store: PlaygroundStore): void {
  if (inGesture(store)) return;
  bursts.delete(store);
  store.temporal.getState().redo();
  store.getState().showToast(null);
}

export const canUndo = (store: PlaygroundStore) => store.temporal.getState().pastStates.length > 0;
export const canRedo = (store: PlaygroundStore) => store.temporal.getState().futureStates.length > 0;
