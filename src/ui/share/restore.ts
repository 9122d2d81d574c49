/**
 * Which document the playground opens with, when there is a choice to make: work kept in local storage, a link in
 * the address bar, or both. Loaded only then (startup.ts), so that a first visit does not download the readers.
 *
 * 1. The work kept in local storage (storage.ts), if readable; else the default document.
 * 2. A link in the address bar (`#v2.…`) wins over it. Kept work that differs from the link is copied to
 *    PREVIOUS_KEY first, and a notice offers it back ("Restore previous work"), so a click on a link loses nothing.
 *    If the link cannot be opened, the previous work stays, a notice says
 *    what was wrong with the link, and the link stays in the address bar until the user edits or dismisses the
 *    notice (sync.ts).
 */
import type { PlaygroundDocument } from '../state/document';
import type { Notice } from '../state/share-slice';
import { type LoadLinkCodec, loadLinkCodec } from './codec';
import { fragmentOf, type ShareEnv } from './env';
import {
  keepPrevious,
  type Migrations,
  readStoredDocument,
  sameWork,
  setAsideUnreadable,
  UNREADABLE_KEY,
} from './storage';

export const LINK_NOTICE = 'link';
export const STORAGE_NOTICE = 'storage';
export const PREVIOUS_NOTICE = 'previous';

function workSummary(doc: PlaygroundDocument): string {
  const name = doc.name ?? doc.policy.name;
  const n = doc.policy.ranges.length;
  const m = doc.saved.length;
  return `${name ? `"${name}", ` : ''}${n} range${n === 1 ? '' : 's'} and ${m} saved access${m === 1 ? '' : 'es'}`;
}

export interface Startup {
  doc: PlaygroundDocument;
  /** Where the document came from. */
  source: 'link' | 'storage' | 'default';
  notices: Notice[];
  /** A link that could not be opened is in the address bar: leave it there until an edit or a dismissal. */
  holdUrl: boolean;
  /** False when the stored work could not be looked at: then nothing may overwrite it. */
  persist: boolean;
}

export interface StartupOptions {
  /** The document when nothing is stored (the app: the QEMU preset). */
  defaultDocument: () => PlaygroundDocument;
  loadCodec?: LoadLinkCodec;
  migrations?: Migrations;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Decides the starting document. Never throws. */
export async function resolveStartup(env: ShareEnv, options: StartupOptions): Promise<Startup> {
  const notices: Notice[] = [];
  let doc: PlaygroundDocument;
  let source: Startup['source'] = 'default';

  const stored = readStoredDocument(env.storage, { migrations: options.migrations });
  if (stored.kind === 'ok') {
    doc = stored.doc;
    source = 'storage';
  } else {
    doc = options.defaultDocument();
    if (stored.kind === 'unreadable') {
      const kept = setAsideUnreadable(env.storage);
      env.console.warn(`MSR Filter Playground: the saved work in local storage could not be read: ${stored.reason}`);
      notices.push({
        id: STORAGE_NOTICE,
        tone: 'info',
        title: 'Your saved work could not be restored.',
        text:
          `The copy kept in this browser could not be read: ${stored.reason}. The playground started with its ` +
          `default document instead.${kept ? ` The unreadable copy is kept in local storage as "${UNREADABLE_KEY}".` : ''}`,
      });
    }
  }

  let href = '';
  try {
    href = String(env.location.href);
  } catch {
    // a location that cannot be read holds no link
  }
  const fragment = fragmentOf(href);
  if (fragment === null) return { doc, source, notices, holdUrl: false, persist: true };

  let message: string;
  try {
    const codec = await (options.loadCodec ?? loadLinkCodec)();
    const r = codec.readFragment(fragment);
    if (r.ok) {
      if (r.notes.length) {
        notices.push({ id: LINK_NOTICE, tone: 'info', title: 'Opened the link.', text: r.notes.join(' ') });
      }
      if (stored.kind === 'ok' && !sameWork(stored.doc, r.doc) && keepPrevious(env.storage)) {
        notices.push({
          id: PREVIOUS_NOTICE,
          tone: 'info',
          title: 'The link replaced the work you had open.',
          text:
            `Your previous work (${workSummary(stored.doc)}) is kept in this browser until another link replaces ` +
            'it: "Restore previous work" brings it back.',
          restore: true,
        });
      }
      return { doc: r.doc, source: 'link', notices, holdUrl: false, persist: true };
    }
    message = r.message;
  } catch (e) {
    message = `The playground could not load its link reader (${messageOf(e)}); reload the page to try again.`;
  }
  const kept =
    source === 'storage' ? 'Your previous work is still here.' : 'The playground opened its default document instead.';
  notices.push({ id: LINK_NOTICE, tone: 'alert', title: 'This link could not be opened.', text: `${message} ${kept}` });
  return { doc, source, notices, holdUrl: true, persist: true };
}
