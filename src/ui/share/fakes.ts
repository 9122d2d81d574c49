/** Fakes of the browser globals (env.ts) for tests: an address bar, a history, local storage, a clipboard. */
import type { KeyValueStorage, ShareEnv } from './env';

export class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  /** Make the next calls throw, as a full quota or a sandboxed frame would. */
  failGet = false;
  failSet = false;
  getItem(key: string): string | null {
    if (this.failGet) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failSet) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.map.set(key, String(value));
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

export interface FakeEnv extends ShareEnv {
  location: { href: string };
  history: ShareEnv['history'] & { urls: string[] };
  storage: MemoryStorage;
  warnings: string[];
  events: EventTarget;
  copied: string[];
  /** Changes the address bar as a user would (a hashchange event follows, as in a browser). */
  navigate(href: string): void;
}

export function fakeEnv(href = 'http://127.0.0.1:4173/', options: { clipboard?: boolean } = {}): FakeEnv {
  const events = new EventTarget();
  const warnings: string[] = [];
  const copied: string[] = [];
  const env: FakeEnv = {
    location: { href },
    history: {
      state: null,
      urls: [],
      replaceState(_data: unknown, _unused: string, url?: string | URL | null) {
        if (url === undefined || url === null) return;
        const next = new URL(String(url), env.location.href).href;
        env.history.urls.push(next);
        env.location.href = next;
      },
    },
    storage: new MemoryStorage(),
    console: { warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')) },
    events,
    isHidden: () => false,
    clipboard:
      options.clipboard === false
        ? undefined
        : {
            writeText: async (text: string) => {
              copied.push(text);
            },
          },
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    warnings,
    copied,
    navigate(next: string) {
      env.location.href = next;
      events.dispatchEvent(new Event('hashchange'));
    },
  };
  return env;
}
