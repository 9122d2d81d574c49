/**
 * The local server's secret token for the real-KVM endpoint (oracle/vite-kvm-plugin.ts): the server prints its URL
 * with `?token=…`; the page takes it from the address bar once, keeps it in sessionStorage (this tab only, gone when
 * the tab closes) and removes it from the address bar (so it is not bookmarked, shared or left in the history).
 */

export const TOKEN_PARAM = 'token';
export const TOKEN_STORAGE_KEY = 'msr-playground.kvm-token';
/** The request header the endpoint reads. */
export const TOKEN_HEADER = 'X-Msrfilter-Token';

export interface TokenEnv {
  location: { readonly href: string };
  history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void; readonly state?: unknown };
  /** null: the browser refuses sessionStorage (the token then lives in memory until the page is left). */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

let inMemory: string | null = null;

function sessionStore(): TokenEnv['storage'] {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function browserTokenEnv(): TokenEnv | null {
  if (typeof location === 'undefined' || typeof history === 'undefined') return null;
  return { location, history, storage: sessionStore() };
}

/**
 * Moves a `?token=` from the address bar into sessionStorage (the rest of the URL, the hash included, unchanged).
 * Called once at start-up, before anything reads or writes the address bar.
 */
export function adoptTokenFromUrl(env: TokenEnv | null = browserTokenEnv()): void {
  if (!env) return;
  let url: URL;
  try {
    url = new URL(env.location.href);
  } catch {
    return;
  }
  const token = url.searchParams.get(TOKEN_PARAM);
  if (token === null) return;
  if (token !== '') {
    try {
      if (!env.storage) throw new Error('no sessionStorage');
      env.storage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      inMemory = token; // storage refused: an in-memory copy serves this page
    }
  }
  url.searchParams.delete(TOKEN_PARAM);
  env.history.replaceState(env.history.state ?? null, '', url.href);
}

/** The kept token, or null (the page was not opened from the server's URL). */
export function kvmToken(storage: TokenEnv['storage'] = sessionStore()): string | null {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) || inMemory;
  } catch {
    return inMemory;
  }
}

/** The headers that carry the token, when there is one. */
export function tokenHeaders(): Record<string, string> {
  const t = kvmToken();
  return t ? { [TOKEN_HEADER]: t } : {};
}
