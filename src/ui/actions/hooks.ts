import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { useStoreApi } from '../state/context';
import { actionForCombo, isEnabled, type ParamArgs, perform, performById } from './dispatch';
import type { ActionId } from './registry';
import { comboOf } from './shortcuts';

/** Whether an action is enabled now, re-evaluated on every state or history change. */
export function useActionEnabled<K extends ActionId>(id: K, ...args: ParamArgs<K>): boolean {
  const store = useStoreApi();
  const subscribe = useMemo(
    () => (cb: () => void) => {
      const a = store.subscribe(cb);
      const b = store.temporal.subscribe(cb);
      return () => {
        a();
        b();
      };
    },
    [store],
  );
  const get = () => isEnabled(store, id, ...args);
  return useSyncExternalStore(subscribe, get, get);
}

/** A function that performs an action on this component's store. */
export function usePerform() {
  const store = useStoreApi();
  return useCallback(<K extends ActionId>(id: K, ...args: ParamArgs<K>) => perform(store, id, ...args), [store]);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return !!el.closest('input, textarea, select, [contenteditable="true"]');
}

/**
 * Fields outside the document (the access form, Jump to MSR, a pasted trace) mark themselves `data-native-undo`: in
 * them Ctrl/⌘+Z and its redo are the browser's own text undo, not the document's history.
 */
function inNativeUndoField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function' || !el.closest('[data-native-undo]')) return false;
  // a text the browser keeps an undo history of; a radio button or checkbox in the same form has none
  return el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && TEXT_TYPES.has((el as HTMLInputElement).type));
}
const TEXT_TYPES = new Set(['text', 'search', 'url', 'email', 'tel', 'number', 'password']);

/** Wires every action's keyboard shortcut to the window (ignored while the command palette or a dialog is open). */
export function useGlobalShortcuts() {
  const store = useStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = store.getState();
      if (e.defaultPrevented || s.paletteOpen || s.dialog || s.helpOpen) return;
      const combo = comboOf(e);
      const id = actionForCombo(combo);
      if (!id) return;
      // a plain key (?, g) is typing while a field has the focus
      if (!/(^|\+)(mod|alt)\+/.test(combo) && isTyping(e.target)) return;
      if ((id === 'history.undo' || id === 'history.redo') && inNativeUndoField(e.target)) return;
      e.preventDefault();
      performById(store, id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
