/**
 * The document kept in local storage across reloads, apart from preferences (the theme has its own key, see
 * state/prefs-slice.ts):
 *
 *   localStorage['msr-playground.document'] = {"version":1,"savedAt":"…","document":<msr-scenario/1 + expectations>}
 *
 * `document` is what shareDocumentToJson writes (document-json.ts): an `msr-scenario/1` object plus the expected
 * verdicts, so a copy of it is also a file the Import dialog and `msrfilter` read.
 * The envelope's `version` changes only when that shape does: add MIGRATIONS[old] = (document of version old) =>
 * document of version old + 1, and bump STORAGE_VERSION. Whatever is stored, reading never throws: unreadable work is
 * set aside under `<key>.unreadable` (so that nothing is lost when the next edit overwrites the key) and reported.
 */
import type { PlaygroundDocument } from '../state/document';
import { documentFromJson, documentToJson } from './document-json';
import { DOCUMENT_KEY, type KeyValueStorage } from './env';

export { DOCUMENT_KEY };
export const UNREADABLE_KEY = `${DOCUMENT_KEY}.unreadable`;
/** The kept work a link was opened over (restore.ts), until the next such link replaces it. */
export const PREVIOUS_KEY = `${DOCUMENT_KEY}.previous`;
export const STORAGE_VERSION = 1;

/** Migrations of the stored `document`, by the version they upgrade from (n → n + 1). */
export type Migrations = Readonly<Record<number, (document: unknown) => unknown>>;
export const MIGRATIONS: Migrations = Object.freeze({});

export type StoredRead =
  | { kind: 'none' }
  | { kind: 'ok'; doc: PlaygroundDocument; migratedFrom: number | null }
  /** Something is stored but cannot be used; `reason` is for a person. */
  | { kind: 'unreadable'; reason: string };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads the stored document (migrating an older envelope), never throwing: `none` when nothing is stored or storage
 * is not available, `unreadable` with a reason for anything that cannot be used.
 */
export function readStoredDocument(
  storage: KeyValueStorage | null,
  options: { migrations?: Migrations; version?: number; key?: string } = {},
): StoredRead {
  const migrations = options.migrations ?? MIGRATIONS;
  const current = options.version ?? STORAGE_VERSION;
  let text: string | null;
  try {
    text = storage?.getItem(options.key ?? DOCUMENT_KEY) ?? null;
  } catch (e) {
    return { kind: 'unreadable', reason: `local storage refused to be read (${messageOf(e)})` };
  }
  if (text === null) return { kind: 'none' };
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (e) {
    return { kind: 'unreadable', reason: `it is not valid JSON (${messageOf(e)})` };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { kind: 'unreadable', reason: 'it is not an object with a version and a document' };
  }
  const { version, document } = envelope as { version?: unknown; document?: unknown };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { kind: 'unreadable', reason: `its version (${JSON.stringify(version) ?? 'none'}) is not a version number` };
  }
  if (version > current) {
    return {
      kind: 'unreadable',
      reason: `it was saved by a newer version of the playground (storage v${version}; this one reads up to v${current})`,
    };
  }
  let migrated = document;
  try {
    for (let v = version; v < current; v++) {
      const step = Object.hasOwn(migrations, v) ? migrations[v] : undefined;
      if (!step)
        return { kind: 'unreadable', reason: `storage v${version} cannot be upgraded (no migration from v${v})` };
      migrated = step(migrated);
    }
    const doc = documentFromJson(migrated);
    return { kind: 'ok', doc, migratedFrom: version === current ? null : version };
  } catch (e) {
    return { kind: 'unreadable', reason: messageOf(e) };
  }
}

/** The stored text for a document (the current envelope). */
export function storedText(doc: PlaygroundDocument, now: Date = new Date()): string {
  return JSON.stringify({
    version: STORAGE_VERSION,
    savedAt: now.toISOString(),
    document: documentToJson(doc),
  });
}

/** Keeps the document; false (never a throw) when storage refuses it, e.g. past its quota. */
export function writeStoredDocument(storage: KeyValueStorage | null, doc: PlaygroundDocument): boolean {
  if (!storage) return false;
  try {
    storage.setItem(DOCUMENT_KEY, storedText(doc));
    return true;
  } catch {
    return false;
  }
}

/** Moves unreadable stored work to UNREADABLE_KEY (replacing an older copy there) so that the next write loses nothing. */
export function setAsideUnreadable(storage: KeyValueStorage | null): boolean {
  try {
    const text = storage?.getItem(DOCUMENT_KEY);
    if (!storage || text === null || text === undefined) return false;
    storage.setItem(UNREADABLE_KEY, text);
    storage.removeItem(DOCUMENT_KEY);
    return true;
  } catch {
    return false;
  }
}

/** Copies the kept work to PREVIOUS_KEY (replacing an older copy there) before a link replaces it. */
export function keepPrevious(storage: KeyValueStorage | null): boolean {
  try {
    const text = storage?.getItem(DOCUMENT_KEY);
    if (!storage || text === null || text === undefined) return false;
    storage.setItem(PREVIOUS_KEY, text);
    return true;
  } catch {
    return false;
  }
}

/** Whether two documents are the same work (what local storage would keep of them, the time aside). */
export function sameWork(a: PlaygroundDocument, b: PlaygroundDocument): boolean {
  const at = new Date(0);
  return storedText(a, at) === storedText(b, at);
}
