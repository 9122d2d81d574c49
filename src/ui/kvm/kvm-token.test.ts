import { afterEach, describe, expect, it, vi } from 'vitest';
import { adoptTokenFromUrl, kvmToken, TOKEN_HEADER, TOKEN_STORAGE_KEY, type TokenEnv, tokenHeaders } from './kvm-token';

function fakeEnv(href: string) {
  const kept = new Map<string, string>();
  const env: TokenEnv & { href: string; kept: Map<string, string> } = {
    href,
    kept,
    location: {
      get href() {
        return env.href;
      },
    },
    history: {
      replaceState: (_d, _u, url) => {
        env.href = String(url);
      },
    },
    storage: { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => void kept.set(k, v) },
  };
  return env;
}

afterEach(() => sessionStorage.clear());

describe('the KVM endpoint token in the page', () => {
  it('is taken from ?token= once, kept in session storage and removed from the address bar (the hash kept)', () => {
    const env = fakeEnv('http://127.0.0.1:5173/?token=s3cret-s3cret-s3cret#v2.AAAA');
    adoptTokenFromUrl(env);
    expect(env.href).toBe('http://127.0.0.1:5173/#v2.AAAA');
    expect(env.kept.get(TOKEN_STORAGE_KEY)).toBe('s3cret-s3cret-s3cret');
    expect(kvmToken(env.storage)).toBe('s3cret-s3cret-s3cret');
  });

  it('keeps the other query parameters and leaves a URL without a token alone', () => {
    const env = fakeEnv('http://127.0.0.1:5173/?grid-harness&token=abc');
    adoptTokenFromUrl(env);
    expect(env.href).toBe('http://127.0.0.1:5173/?grid-harness=');
    const plain = fakeEnv('http://127.0.0.1:5173/#v2.AAAA');
    const replace = vi.spyOn(plain.history, 'replaceState');
    adoptTokenFromUrl(plain);
    expect(replace).not.toHaveBeenCalled();
    expect(plain.kept.size).toBe(0);
  });

  it('is sent as the X-Msrfilter-Token header, and no header is sent without one', () => {
    expect(tokenHeaders()).toEqual({});
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'abc');
    expect(tokenHeaders()).toEqual({ [TOKEN_HEADER]: 'abc' });
  });

  it('lives in memory for this page where the browser refuses session storage', () => {
    const env = { ...fakeEnv('http://127.0.0.1:5173/?token=in-memory-token'), storage: null };
    adoptTokenFromUrl(env);
    expect(kvmToken(null)).toBe('in-memory-token');
  });
});
