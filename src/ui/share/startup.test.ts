import { describe, expect, it, vi } from 'vitest';
import { perform } from '../actions/dispatch';
import { getPreset } from '../presets';
import { emptyDocument, type PlaygroundDocument } from '../state/document';
import { getDocument } from '../state/document-api';
import { documentToJson } from './document-json';
import { DOCUMENT_KEY } from './env';
import { type FakeEnv, fakeEnv } from './fakes';
import { writeLink } from './link-codec';
import { restorePrevious } from './previous';
import { type BootOptions, bootPlayground, needsRestore } from './startup';
import { PREVIOUS_KEY, storedText, UNREADABLE_KEY } from './storage';

const preset = (id: string) => getPreset(id)?.build() as PlaygroundDocument;
const fp = (d: PlaygroundDocument) => JSON.stringify(documentToJson(d));
const BASE = 'http://127.0.0.1:4173/';
const options: BootOptions = { defaultDocument: () => preset('qemu-default'), debounceMs: 5, preloadMs: null };

/** Local storage that holds `doc`, as a previous visit left it. */
function withStored(env: FakeEnv, doc: PlaygroundDocument) {
  env.storage.setItem(DOCUMENT_KEY, storedText(doc));
  return env.storage.getItem(DOCUMENT_KEY);
}

const linkOf = (doc: PlaygroundDocument) => {
  const r = writeLink(BASE, doc);
  if (!r.ok) throw new Error(r.message);
  return r.url;
};

async function boot(env: FakeEnv, extra: Partial<BootOptions> = {}) {
  const b = await bootPlayground(env, { ...options, ...extra });
  const connection = await b.connection;
  return { ...b, conn: connection as NonNullable<typeof connection> };
}

describe('start-up', () => {
  it('a first visit opens the default document and touches neither the address bar nor storage', async () => {
    const env = fakeEnv(BASE);
    expect(needsRestore(env)).toBe(false);
    const { store, startup, conn } = await boot(env);
    expect(startup.source).toBe('default');
    expect(fp(getDocument(store))).toBe(fp(preset('qemu-default')));
    expect(store.temporal.getState().pastStates).toHaveLength(0);
    await conn.idle();
    expect(env.history.urls).toEqual([]);
    expect(env.storage.map.size).toBe(0);
    conn.dispose();
  });

  it('restores the work kept in local storage, with no undo step behind it', async () => {
    const env = fakeEnv(BASE);
    withStored(env, preset('selftest-deny'));
    const { store, startup, conn } = await boot(env);
    expect(startup.source).toBe('storage');
    expect(fp(getDocument(store))).toBe(fp(preset('selftest-deny')));
    expect(store.temporal.getState().pastStates).toHaveLength(0);
    expect(store.getState().notices).toEqual([]);
    conn.dispose();
  });

  it('a valid link wins over the kept work, which stays kept until the first edit', async () => {
    const env = fakeEnv(linkOf(preset('allowlist-v4-example')));
    const kept = withStored(env, preset('selftest-deny'));
    const { store, startup, conn } = await boot(env);
    expect(startup.source).toBe('link');
    expect(fp(getDocument(store))).toBe(fp(preset('allowlist-v4-example')));
    await conn.idle();
    expect(env.storage.getItem(DOCUMENT_KEY)).toBe(kept);
    perform(store, 'range.add');
    await conn.idle();
    expect(env.storage.getItem(DOCUMENT_KEY)).not.toBe(kept);
    expect(env.location.href).toBe(linkOf(getDocument(store)));
    conn.dispose();
  });

  it('a bad link keeps the previous work, says what was wrong, and stays in the address bar until an edit', async () => {
    const good = linkOf(preset('allowlist-v4-example'));
    const bad = `${good.slice(0, -6)}`; // cut short
    const env = fakeEnv(bad);
    const kept = withStored(env, preset('selftest-deny'));
    const { store, startup, conn } = await boot(env);
    expect(startup.source).toBe('storage');
    expect(startup.holdUrl).toBe(true);
    expect(fp(getDocument(store))).toBe(fp(preset('selftest-deny')));
    const [notice] = store.getState().notices;
    expect(notice).toMatchObject({ id: 'link', tone: 'alert', title: 'This link could not be opened.' });
    expect(notice.text).toMatch(/^This link (is incomplete|is damaged)/);
    expect(notice.text).toMatch(/Your previous work is still here\.$/);
    await conn.idle();
    expect(env.history.urls).toEqual([]);
    expect(env.location.href).toBe(bad);
    expect(env.storage.getItem(DOCUMENT_KEY)).toBe(kept);
    conn.flush(); // leaving the page: still nothing rewritten
    expect(env.location.href).toBe(bad);

    perform(store, 'range.add');
    await conn.idle();
    expect(env.location.href).toBe(linkOf(getDocument(store)));
    expect(store.getState().notices).toHaveLength(1); // the message stays until dismissed
    conn.dispose();
  });

  it('dismissing the message about a bad link lets the address bar follow the document again', async () => {
    const env = fakeEnv(`${BASE}#v2.AAAA`);
    withStored(env, preset('selftest-deny'));
    const { store, conn } = await boot(env);
    await conn.idle();
    expect(env.location.href).toBe(`${BASE}#v2.AAAA`);
    perform(store, 'notice.dismiss', { id: 'link' });
    await conn.idle();
    expect(env.location.href).toBe(linkOf(preset('selftest-deny')));
    expect(store.getState().notices).toEqual([]);
    conn.dispose();
  });

  it('a foreign fragment or a link from a newer playground gets its own message', async () => {
    for (const [hash, message] of [
      ['#section-2', /#fragment \("section-2"\) is not an MSR Filter Playground document/],
      ['#v9.AAAA', /made by a newer version of the playground/],
      ['#', /nothing after the #/],
    ] as const) {
      const env = fakeEnv(`${BASE}${hash}`);
      const { store, startup, conn } = await boot(env);
      expect(startup.source).toBe('default');
      expect(store.getState().notices[0].text).toMatch(message);
      expect(store.getState().notices[0].text).toMatch(/opened its default document instead/);
      conn.dispose();
    }
  });

  it('corrupt storage never crashes: a console warning, a note, the default document, the copy set aside', async () => {
    const env = fakeEnv(BASE);
    env.storage.setItem(DOCUMENT_KEY, '{"version":1,"document":{"profile":"linux-4.4"}}');
    const { store, startup, conn } = await boot(env);
    expect(startup.source).toBe('default');
    expect(fp(getDocument(store))).toBe(fp(preset('qemu-default')));
    expect(env.warnings.join('\n')).toMatch(/could not be read: profile: unknown profile "linux-4.4"/);
    const [notice] = store.getState().notices;
    expect(notice).toMatchObject({ id: 'storage', tone: 'info', title: 'Your saved work could not be restored.' });
    expect(notice.text).toContain(UNREADABLE_KEY);
    expect(env.storage.getItem(UNREADABLE_KEY)).toBe('{"version":1,"document":{"profile":"linux-4.4"}}');
    conn.dispose();
  });

  it('if the link reader cannot be loaded, the kept work stays and the link is reported', async () => {
    const env = fakeEnv(linkOf(preset('allowlist-v4-example')));
    withStored(env, preset('selftest-deny'));
    const { store, conn } = await boot(env, { loadCodec: () => Promise.reject(new Error('offline')) });
    expect(fp(getDocument(store))).toBe(fp(preset('selftest-deny')));
    expect(store.getState().notices[0].text).toMatch(/could not load its link reader \(offline\)/);
    conn.dispose();
  });
});

describe('the address bar and local storage follow the document', () => {
  it('after each edit, debounced: replaceState to the link and the document into storage; undo too', async () => {
    const env = fakeEnv(BASE);
    const { store, conn } = await boot(env);
    perform(store, 'range.add');
    perform(store, 'range.add');
    expect(env.history.urls).toEqual([]); // debounced
    await conn.idle();
    expect(env.history.urls).toEqual([linkOf(getDocument(store))]);
    expect(JSON.parse(env.storage.getItem(DOCUMENT_KEY) ?? '').document).toEqual(documentToJson(getDocument(store)));
    perform(store, 'history.undo');
    await conn.idle();
    expect(env.location.href).toBe(linkOf(getDocument(store)));
    conn.dispose();
  });

  it('writes what is pending at once when the page is left; without the codec yet, drops the stale link', async () => {
    const env = fakeEnv(linkOf(preset('selftest-deny')));
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // Start-up reads the link at once; the codec for the address bar has not arrived when the page is left.
    let calls = 0;
    const slowCodec = () => (calls++ === 0 ? import('./link-codec') : gate.then(() => import('./link-codec')));
    const { store, conn } = await boot(env, { debounceMs: 10_000, preloadMs: 0 });
    await conn.idle(); // the codec has loaded, as it has shortly after start-up in the app
    perform(store, 'range.add');
    env.events.dispatchEvent(new Event('pagehide'));
    expect(env.location.href).toBe(linkOf(getDocument(store)));
    expect(JSON.parse(env.storage.getItem(DOCUMENT_KEY) ?? '').document).toEqual(documentToJson(getDocument(store)));
    conn.dispose();

    const env2 = fakeEnv(linkOf(preset('selftest-deny')));
    const second = await boot(env2, { loadCodec: slowCodec, debounceMs: 10_000 });
    perform(second.store, 'range.add');
    env2.events.dispatchEvent(new Event('pagehide'));
    expect(env2.location.href).toBe(BASE); // a reload opens the kept work, not the older link
    expect(env2.storage.getItem(DOCUMENT_KEY)).not.toBeNull();
    release();
    second.conn.dispose();
  });

  it('opens a link pasted into the address bar of the open page as one undo step; a bad one is reported', async () => {
    const env = fakeEnv(BASE);
    const { store, conn } = await boot(env);
    env.navigate(linkOf(preset('allowlist-v4-example')));
    await conn.idle();
    expect(fp(getDocument(store))).toBe(fp(preset('allowlist-v4-example')));
    perform(store, 'history.undo');
    expect(fp(getDocument(store))).toBe(fp(preset('qemu-default')));
    await conn.idle();

    const before = getDocument(store);
    env.navigate(`${BASE}#v2.AAAA`);
    await conn.idle();
    expect(getDocument(store)).toBe(before);
    expect(store.getState().notices[0]).toMatchObject({ id: 'link', tone: 'alert' });
    expect(env.location.href).toBe(`${BASE}#v2.AAAA`);

    // An in-page anchor (the skip link) is not a link to open: the document's link comes back.
    perform(store, 'notice.dismiss', { id: 'link' });
    await conn.idle();
    env.navigate(`${BASE}#console-heading`);
    await conn.idle();
    expect(env.location.href).toBe(linkOf(getDocument(store)));
    expect(store.getState().notices).toEqual([]);
    conn.dispose();
  });

  it('a document too large for a link: the address bar drops its fragment and says so; storage still keeps it', async () => {
    const env = fakeEnv(linkOf(preset('selftest-deny')));
    const { store, conn } = await boot(env);
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed & 0xff;
    };
    const ranges = Array.from({ length: 40 }, (_, i) => ({
      flags: 1,
      base: i * 0x10000,
      nmsrs: 0x10000,
      bitmap: Uint8Array.from({ length: 0x2000 }, random),
    }));
    perform(store, 'document.import', { doc: { ...emptyDocument(), policy: { flags: 0, ranges } } });
    await conn.idle();
    expect(env.location.href).toBe(BASE);
    expect(store.getState().notices[0]).toMatchObject({ id: 'link-size' });
    expect(store.getState().notices[0].text).toMatch(/too large for a share link/);
    expect(env.storage.getItem(DOCUMENT_KEY)?.length).toBeGreaterThan(100_000);
    perform(store, 'history.undo');
    await conn.idle();
    expect(store.getState().notices).toEqual([]);
    conn.dispose();
  });

  it('a storage that refuses the document is reported once, not thrown', async () => {
    const env = fakeEnv(BASE);
    env.storage.failSet = true;
    const { store, conn } = await boot(env);
    perform(store, 'range.add');
    await conn.idle();
    perform(store, 'range.add');
    await conn.idle();
    expect(store.getState().notices.map((n) => n.id)).toEqual(['save']);
    expect(env.warnings.filter((w) => /could not be kept/.test(w))).toHaveLength(1);
    conn.dispose();
  });
});

describe('start-up when its code cannot be loaded', () => {
  it('opens the default document, says so, and leaves the kept work and the address bar alone', async () => {
    vi.resetModules();
    vi.doMock('./restore', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    try {
      const { bootPlayground: boot2 } = await import('./startup');
      const env = fakeEnv(linkOf(preset('allowlist-v4-example')));
      const kept = withStored(env, preset('selftest-deny'));
      const b = await boot2(env, options);
      expect(fp(getDocument(b.store))).toBe(fp(preset('qemu-default')));
      expect(b.store.getState().notices[0]).toMatchObject({ tone: 'alert', title: /cannot be opened now/ });
      expect(await b.connection).toBeNull();
      perform(b.store, 'range.add');
      await new Promise((r) => setTimeout(r, 20));
      expect(env.storage.getItem(DOCUMENT_KEY)).toBe(kept);
      expect(env.history.urls).toEqual([]);
    } finally {
      vi.doUnmock('./restore');
      vi.resetModules();
    }
  });

  it('a link opened over different kept work keeps a copy of that work and offers it back, as one undoable step', async () => {
    const env = fakeEnv(linkOf(preset('selftest-deny')));
    const kept = withStored(env, preset('deny-all-but-architectural'));
    const { store, startup, conn } = await boot(env);
    expect(startup.source).toBe('link');
    expect(fp(getDocument(store))).toBe(fp(preset('selftest-deny')));
    expect(env.storage.getItem(PREVIOUS_KEY)).toBe(kept);
    const notice = store.getState().notices.find((n) => n.id === 'previous');
    expect(notice?.restore).toBe(true);
    expect(notice?.text).toContain('is kept in this browser until another link replaces it');
    // the link's document is now the kept one; the previous work is still there to restore
    await conn.idle();
    expect(restorePrevious(store)).toBe(true);
    expect(fp(getDocument(store))).toBe(fp(preset('deny-all-but-architectural')));
    perform(store, 'history.undo');
    expect(fp(getDocument(store))).toBe(fp(preset('selftest-deny')));
    conn.dispose();
  });

  it('a link of the work already kept makes no copy and no notice', async () => {
    const env = fakeEnv(linkOf(preset('selftest-deny')));
    withStored(env, preset('selftest-deny'));
    const { store, conn } = await boot(env);
    expect(env.storage.getItem(PREVIOUS_KEY)).toBeNull();
    expect(store.getState().notices).toEqual([]);
    conn.dispose();
  });

  it('restoring when the copy is gone says so and changes nothing', async () => {
    const env = fakeEnv(BASE);
    withStored(env, preset('selftest-deny'));
    const { store, conn } = await boot(env);
    expect(restorePrevious(store)).toBe(false);
    expect(store.getState().notices.find((n) => n.id === 'previous')?.text).toMatch(/Nothing is kept/);
    expect(fp(getDocument(store))).toBe(fp(preset('selftest-deny')));
    conn.dispose();
  });
});
