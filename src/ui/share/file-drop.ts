import { perform } from '../actions/dispatch';
import type { PlaygroundStore } from '../state/types';

const hasFiles = (e: Event) => Array.from((e as DragEvent).dataTransfer?.types ?? []).includes('Files');

/**
 * A file dropped anywhere on the page opens the Import dialog with it (the `share.importFile` action); while a file
 * is dragged over the page, `dragging` is set (the app shows a hint). Returns a function that removes the listeners.
 */
export function installFileDrop(
  store: PlaygroundStore,
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
): () => void {
  let depth = 0;
  const set = (dragging: boolean) => {
    if (store.getState().dragging !== dragging) store.setState({ dragging });
  };
  const onEnter = (e: Event) => {
    if (!hasFiles(e)) return;
    depth++;
    set(true);
  };
  const onOver = (e: Event) => {
    if (!hasFiles(e)) return;
    e.preventDefault(); // allows the drop
    const dt = (e as DragEvent).dataTransfer;
    if (dt) dt.dropEffect = 'copy';
  };
  const onLeave = (e: Event) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) set(false);
  };
  const onDrop = (e: Event) => {
    depth = 0;
    set(false);
    const file = (e as DragEvent).dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault(); // instead of the browser opening the file
    perform(store, 'share.importFile', { file });
  };
  const listeners: [string, (e: Event) => void][] = [
    ['dragenter', onEnter],
    ['dragover', onOver],
    ['dragleave', onLeave],
    ['drop', onDrop],
  ];
  for (const [type, fn] of listeners) target.addEventListener(type, fn);
  return () => {
    for (const [type, fn] of listeners) target.removeEventListener(type, fn);
  };
}
