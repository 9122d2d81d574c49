/**
 * Start-up, before the first render (no flash of a wrong document): what main.tsx runs, and what the tests and the
 * fuzz test run with fakes. Everything here takes the browser's globals as parameters (env.ts) and is DOM-free.
 *
 * - Nothing kept and no link in the address bar (a first visit): the default document, at once.
 * - Otherwise restore.ts (loaded on demand, with the storage reader and, for a link, the link codec) decides
 *   between the kept work and the link, and says what was wrong with either.
 * - Then the store is made with that document (no undo history behind it), the notices are shown, and sync.ts
 *   (loaded after the first render) keeps the address bar and local storage in step with the document.
 */
import { setDocument } from '../state/document-api';
import { createPlaygroundStore } from '../state/store';
import type { PlaygroundStore } from '../state/types';
import { DOCUMENT_KEY, fragmentOf, type ShareEnv, setShareEnv } from './env';
import type { Startup, StartupOptions } from './restore';
import type { ConnectOptions, ShareConnection } from './sync';

export type { Startup, StartupOptions } from './restore';

/** Whether there is anything to restore: a fragment in the address bar, or a kept document. */
export function needsRestore(env: ShareEnv): boolean {
  try {
    if (fragmentOf(String(env.location.href)) !== null) return true;
    return env.storage !== null && env.storage.getItem(DOCUMENT_KEY) !== null;
  } catch {
    return true; // restore.ts reports what cannot be read
  }
}

export interface Boot {
  store: PlaygroundStore;
  startup: Startup;
  /** The address bar and local storage following the document (null when they must be left alone). */
  connection: Promise<ShareConnection | null>;
}

export interface BootOptions extends StartupOptions {
  /** Delay before the address bar and local storage follow an edit. */
  debounceMs?: number;
  historyLimit?: number;
  /** Load the link codec this long after start-up (null: only when needed). */
  preloadMs?: number | null;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function decide(env: ShareEnv, options: StartupOptions): Promise<Startup> {
  if (!needsRestore(env)) {
    return { doc: options.defaultDocument(), source: 'default', notices: [], holdUrl: false, persist: true };
  }
  try {
    const { resolveStartup } = await import('./restore');
    return await resolveStartup(env, options);
  } catch (e) {
    // The reader could not be loaded (offline with a stale page): open the default document and leave the kept
    // work and the address bar alone, so that a reload can still restore them.
    env.console.warn('MSR Filter Playground: the saved work could not be restored', e);
    return {
      doc: options.defaultDocument(),
      source: 'default',
      notices: [
        {
          id: 'storage',
          tone: 'alert',
          title: 'Your saved work and links cannot be opened now.',
          text: `Reload the page to try again (${messageOf(e)}); until then, nothing here is kept.`,
        },
      ],
      holdUrl: true,
      persist: false,
    };
  }
}

/** sync.ts is not needed for the first render: it loads in its own chunk and catches up with any edit made first. */
const connectLazily = (store: PlaygroundStore, env: ShareEnv, options: ConnectOptions) =>
  import('./sync').then((m) => m.connectShare(store, env, options));

/**
 * What main.tsx runs before the first render: decide the document, make the store with it, show the start-up
 * notices, and connect the address bar and local storage to it. Never throws for anything a link or storage holds.
 */
export async function bootPlayground(env: ShareEnv, options: BootOptions): Promise<Boot> {
  const startup = await decide(env, options);
  const store = createPlaygroundStore({ doc: startup.doc, storage: env.storage, historyLimit: options.historyLimit });
  setDocument(store, startup.doc, { history: 'reset' });
  for (const n of startup.notices) store.getState().addNotice(n);
  setShareEnv(store, env);
  const connection = startup.persist
    ? connectLazily(store, env, {
        holdUrl: startup.holdUrl,
        since: startup.doc,
        loadCodec: options.loadCodec,
        debounceMs: options.debounceMs,
        preloadMs: options.preloadMs,
      }).catch((e) => {
        env.console.warn('MSR Filter Playground: the address bar and local storage will not follow edits', e);
        return null;
      })
    : Promise.resolve(null);
  return { store, startup, connection };
}
