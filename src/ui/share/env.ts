/**
 * The browser globals the share code uses, injected (as in the TypeScript playground) so that the code that reads
 * `location`, writes `history` and keeps work in `localStorage` runs in tests with fakes.
 */

/** Where the document is kept in local storage (storage.ts reads and writes it; the theme has its own key). */
export const DOCUMENT_KEY = 'msr-playground.document';

/** The part of `Storage` the playground uses (localStorage, or a Map in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ShareEnv {
  location: { readonly href: string };
  history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void; readonly state?: unknown };
  /** null: nothing is kept across reloads (private mode, or storage refused). */
  storage: KeyValueStorage | null;
  console: Pick<Console, 'warn'>;
  /** Where hashchange, pagehide and visibilitychange are heard; absent in tests that do not need them. */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** For visibilitychange: whether the page is now hidden. */
  isHidden?: () => boolean;
  clipboard?: { writeText(text: string): Promise<void> };
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** localStorage, or null when the browser refuses it (a sandboxed frame, some private modes). */
export function browserStorage(): KeyValueStorage | null {
  try {
    const s = globalThis.localStorage;
    return s ?? null;
  } catch {
    return null;
  }
}

/** navigator.clipboard when this browser has it (not on plain http:// pages other than localhost). */
function clipboardOf(nav: Navigator | undefined): ShareEnv['clipboard'] {
  const c = nav?.clipboard as Partial<Clipboard> | undefined;
  return typeof c?.writeText === 'function' ? (c as Clipboard) : undefined;
}

/** The real globals. */
export function browserEnv(): ShareEnv {
  return {
    location: globalThis.location,
    history: globalThis.history,
    storage: browserStorage(),
    console: globalThis.console,
    events: globalThis.window,
    isHidden: () => globalThis.document?.visibilityState === 'hidden',
    clipboard: clipboardOf(globalThis.navigator as Navigator | undefined),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

const envs = new WeakMap<object, ShareEnv>();

/** Ties an environment to a store, for the actions that copy or follow the URL (the app does it at start-up). */
export function setShareEnv(store: object, env: ShareEnv): void {
  envs.set(store, env);
}

/** The store's environment; the real globals when none was set (component tests in happy-dom). */
export function shareEnvOf(store: object): ShareEnv {
  let env = envs.get(store);
  if (!env) {
    env = browserEnv();
    envs.set(store, env);
  }
  return env;
}

/** The fragment of a URL (after `#`), or null when it has none. */
export function fragmentOf(href: string): string | null {
  const i = href.indexOf('#');
  return i < 0 ? null : href.slice(i + 1);
}

/** The URL without its fragment. */
export function withoutFragment(href: string): string {
  const i = href.indexOf('#');
  return i < 0 ? href : href.slice(0, i);
}
