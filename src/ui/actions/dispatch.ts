import { recordEdit } from '../state/history';
import type { PlaygroundStore } from '../state/types';
import { ACTIONS, type ActionId, type ActionParams } from './registry';
import type { ActionDef } from './types';

/** `[params]` for actions that take parameters, `[]` for those that do not. */
export type ParamArgs<K extends ActionId> = ActionParams<K> extends void ? [] : [ActionParams<K>];

function defOf<K extends ActionId>(id: K): ActionDef<ActionParams<K>> {
  return ACTIONS[id] as unknown as ActionDef<ActionParams<K>>;
}

export function isEnabled<K extends ActionId>(store: PlaygroundStore, id: K, ...args: ParamArgs<K>): boolean {
  const def = defOf(id);
  return def.enabled ? def.enabled(store, args[0] as ActionParams<K>) : true;
}

/**
 * Performs an action if it is enabled, with its undo behaviour: a `records` action becomes one undo step (or
 * joins the burst it continues). Returns whether it ran.
 */
export function perform<K extends ActionId>(store: PlaygroundStore, id: K, ...args: ParamArgs<K>): boolean {
  const def = defOf(id);
  const params = args[0] as ActionParams<K>;
  if (def.enabled && !def.enabled(store, params)) return false;
  if (def.undo === 'records')
    recordEdit(store, def.coalesce ? def.coalesce(params) : null, () => def.perform(store, params));
  else def.perform(store, params);
  return true;
}

/** Performs an action by id with untyped parameters (the palette and the shortcut table). */
export function performById(store: PlaygroundStore, id: ActionId, params?: unknown): boolean {
  return (perform as (s: PlaygroundStore, i: ActionId, ...a: unknown[]) => boolean)(
    store,
    id,
    ...(params === undefined ? [] : [params]),
  );
}

/** The action whose shortcut is `combo`, if any. */
export function actionForCombo(combo: string): ActionId | undefined {
  for (const id of Object.keys(ACTIONS) as ActionId[]) {
    if ((ACTIONS[id] as ActionDef<unknown>).shortcut?.includes(combo)) return id;
  }
  return undefined;
}

export interface PaletteEntry {
  key: string;
  id: ActionId;
  label: string;
  params: unknown;
  shortcut?: string;
}

/** Everything the command palette lists: parameterless actions and each choice of parameterised ones. */
export function paletteEntries(store: PlaygroundStore): PaletteEntry[] {
  const out: PaletteEntry[] = [];
  for (const id of Object.keys(ACTIONS) as ActionId[]) {
    const def = ACTIONS[id] as ActionDef<unknown>;
    if (!def.palette) continue;
    if (def.palette === true) {
      out.push({ key: id, id, label: def.label, params: undefined, shortcut: def.shortcut?.[0] });
    } else {
      def.palette(store).forEach((c, i) => {
        out.push({ key: `${id}:${i}`, id, label: c.label, params: c.params });
      });
    }
  }
  return out;
}

export function entryEnabled(store: PlaygroundStore, e: PaletteEntry): boolean {
  const def = ACTIONS[e.id] as ActionDef<unknown>;
  return def.enabled ? def.enabled(store, e.params) : true;
}

/** Filters entries by every word of the query, case-insensitively, in any order. */
export function filterEntries(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries.slice();
  return entries.filter((e) => {
    const text = `${e.label} ${e.id}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
