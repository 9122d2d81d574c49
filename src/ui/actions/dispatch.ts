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

/**
 * How well an entry matches a query (higher is better; 0: no match): the whole label, then a prefix of the label
 * (both also with the punctuation ignored), then words of the label that start with each query word (the label's
 * first word first), then substrings of the label, then of the action id.
 */
export function matchScore(e: Pick<PaletteEntry, 'label' | 'id'>, query: string): number {
  const q = query.trim().toLowerCase();
  if (q === '') return 1;
  const label = e.label.toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  const labelWords = label.split(/[^a-z0-9_#.]+/).filter(Boolean);
  // the same words, punctuation aside ("theme dark" is "Theme: dark")
  const bare = labelWords.join(' ');
  const bareQuery = words.join(' ');
  if (label === q || bare === bareQuery) return 1000;
  if (label.startsWith(q) || bare.startsWith(bareQuery)) return 800;
  const prefixes = words.filter((w) => labelWords.some((lw) => lw.startsWith(w))).length;
  // every word a word's prefix; better when the label starts with the first of them
  if (prefixes === words.length) return labelWords[0]?.startsWith(words[0]) ? 700 : 600;
  if (words.every((w) => label.includes(w))) return 400;
  const text = `${label} ${e.id.toLowerCase()}`;
  if (words.every((w) => text.includes(w))) return 200;
  return 0;
}

/** Filters entries by every word of the query, case-insensitively, in any order; the best matches first. */
export function filterEntries<E extends Pick<PaletteEntry, 'label' | 'id'>>(entries: readonly E[], query: string): E[] {
  if (query.trim() === '') return entries.slice();
  return entries
    .map((e, i) => ({ e, i, s: matchScore(e, query) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.e);
}
