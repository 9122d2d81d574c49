/**
 * Keeps the address bar and local storage in step with the document:
 *
 * - After every change (edits, undo, presets, imports), debounced: `history.replaceState` to the document's link
 *   (no new history entry) and the document into local storage (storage.ts).
 * - While a link that could not be opened is in the address bar (`holdUrl`), it is left alone until the user
 *   edits the document or dismisses the notice about it; then the address bar follows the document again.
 * - When the page is left (pagehide, or hidden), whatever is pending is written at once. The codec is loaded
 *   shortly after start-up, so that this can be synchronous; if it has not loaded, the fragment is dropped instead,
 *   so that a reload opens the work kept in local storage rather than an older link.
 * - A `#v2.…` link pasted into the address bar of the open page (hashchange) is opened as one undoable step.
 * - A file dropped on the page opens the Import dialog (file-drop.ts).
 */
import type { PlaygroundDocument } from '../state/document';
import { setDocument, subscribeDocument } from '../state/document-api';
import type { PlaygroundStore } from '../state/types';
import { type LinkCodec, type LoadLinkCodec, loadLinkCodec } from './codec';
import { fragmentOf, type ShareEnv, withoutFragment } from './env';
import { installFileDrop } from './file-drop';
import type { LinkWrite } from './link-codec';
import { writeStoredDocument } from './storage';

export const DEBOUNCE_MS = 300;
export const LINK_NOTICE_ID = 'link';
export const LINK_SIZE_NOTICE_ID = 'link-size';
export const SAVE_NOTICE_ID = 'save';

/** An address-bar fragment that is one of ours (anything else, like `#console-heading`, is an in-page anchor). */
const OURS = /^\s*v[0-9]+\./;

export interface ShareConnection {
  /** Writes what is pending now (the address bar and local storage). */
  flush(): void;
  /** The current document's link (also put in the address bar unless a bad link is held there). */
  linkNow(): Promise<LinkWrite>;
  /** Whether a link that could not be opened is being kept in the address bar. */
  readonly holding: boolean;
  /** Resolves when nothing is pending or running (tests). */
  idle(): Promise<void>;
  dispose(): void;
}

export interface ConnectOptions {
  holdUrl?: boolean;
  /** The document the page opened with: a different one now is an edit made before this module loaded. */
  since?: PlaygroundDocument;
  loadCodec?: LoadLinkCodec;
  debounceMs?: number;
  /** Load the codec this long after start-up (null: only when needed). */
  preloadMs?: number | null;
}

const connections = new WeakMap<PlaygroundStore, ShareConnection>();

export function connectionOf(store: PlaygroundStore): ShareConnection | undefined {
  return connections.get(store);
}

export function connectShare(store: PlaygroundStore, env: ShareEnv, options: ConnectOptions = {}): ShareConnection {
  const load = options.loadCodec ?? loadLinkCodec;
  const debounce = options.debounceMs ?? DEBOUNCE_MS;
  let hold = options.holdUrl ?? false;
  let codec: LinkCodec | null = null;
  let urlTimer: unknown = null;
  let saveTimer: unknown = null;
  let urlPending = false;
  let savePending = false;
  let saveFailed = false;
  let disposed = false;
  /** The fragment last written to the address bar. */
  let written: string | null = null;
  const running = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    const done = () => running.delete(p);
    p.then(done, done);
    return p;
  };

  async function ensureCodec(): Promise<LinkCodec> {
    if (codec) return codec;
    codec = await load();
    return codec;
  }

  const href = () => {
    try {
      return String(env.location.href);
    } catch {
      return '';
    }
  };

  function replaceUrl(url: string) {
    if (url === href()) return;
    try {
      env.history.replaceState(env.history.state ?? null, '', url);
    } catch (e) {
      env.console.warn('MSR Filter Playground: could not update the address bar', e);
    }
  }

  /** Puts the document's link in the address bar (or drops a stale fragment when it has no link). */
  function writeUrl(c: LinkCodec, doc: PlaygroundDocument): LinkWrite {
    const r = c.writeLink(href(), doc);
    if (r.ok) {
      replaceUrl(r.url);
      written = r.fragment;
      store.getState().dismissNotice(LINK_SIZE_NOTICE_ID);
    } else {
      if (fragmentOf(href()) !== null) replaceUrl(withoutFragment(href()));
      store.getState().addNotice({
        id: LINK_SIZE_NOTICE_ID,
        tone: 'info',
        title: 'The address bar no longer holds this document.',
        text: `${r.message} Your work is still kept in this browser.`,
      });
    }
    return r;
  }

  async function updateUrl() {
    if (urlTimer !== null) env.clearTimeout(urlTimer);
    urlTimer = null;
    let c: LinkCodec;
    try {
      c = await ensureCodec();
    } catch (e) {
      // Offline, or a new deployment replaced the chunk: drop the stale fragment so that a reload opens the work
      // kept in local storage; the next edit tries again.
      env.console.warn('MSR Filter Playground: the share-link codec could not be loaded', e);
      if (!disposed && !hold && urlPending && fragmentOf(href()) !== null) replaceUrl(withoutFragment(href()));
      return;
    }
    if (disposed || hold || !urlPending) return;
    urlPending = false;
    writeUrl(c, store.getState().doc);
  }

  function save() {
    if (saveTimer !== null) env.clearTimeout(saveTimer);
    saveTimer = null;
    if (!savePending) return;
    savePending = false;
    const ok = writeStoredDocument(env.storage, store.getState().doc);
    if (!ok && env.storage && !saveFailed) {
      saveFailed = true;
      env.console.warn('MSR Filter Playground: the document could not be kept in local storage');
      store.getState().addNotice({
        id: SAVE_NOTICE_ID,
        tone: 'info',
        title: 'Your work is not being kept in this browser.',
        text: 'Local storage refused it (it may be full or disabled). Copy the link or export it as JSON to keep it.',
      });
    } else if (ok && saveFailed) {
      saveFailed = false;
      store.getState().dismissNotice(SAVE_NOTICE_ID);
    }
  }

  function scheduleUrl() {
    urlPending = true;
    if (urlTimer !== null) env.clearTimeout(urlTimer);
    urlTimer = env.setTimeout(() => void track(updateUrl()), debounce);
  }

  function scheduleSave() {
    savePending = true;
    if (saveTimer !== null) env.clearTimeout(saveTimer);
    saveTimer = env.setTimeout(save, debounce);
  }

  function flush() {
    save();
    if (urlTimer !== null) env.clearTimeout(urlTimer);
    urlTimer = null;
    if (!urlPending || hold) return;
    urlPending = false;
    if (codec) writeUrl(codec, store.getState().doc);
    else if (fragmentOf(href()) !== null) replaceUrl(withoutFragment(href()));
  }

  function release() {
    if (!hold) return;
    hold = false;
    urlPending = true;
    void track(updateUrl());
  }

  const onEdit = () => {
    hold = false;
    scheduleUrl();
    scheduleSave();
  };
  const unsubscribeDoc = subscribeDocument(store, onEdit);
  const linkNoticeShown = () => store.getState().notices.some((n) => n.id === LINK_NOTICE_ID);
  const unsubscribeNotices = store.subscribe((s, prev) => {
    if (hold && s.notices !== prev.notices && !linkNoticeShown()) release();
  });
  // Catch up with what happened before this module loaded.
  if (options.since !== undefined && store.getState().doc !== options.since) onEdit();
  else if (hold && !linkNoticeShown()) release();

  async function onHashChange() {
    const fragment = fragmentOf(href());
    if (fragment === null || fragment === written) return; // back to a link of ours: nothing new to open
    if (!OURS.test(fragment)) {
      // An in-page anchor (the skip link): the page has moved to it; put the document's link back.
      if (!hold) {
        urlPending = true;
        await updateUrl();
      }
      return;
    }
    let r: ReturnType<LinkCodec['readFragment']>;
    try {
      r = (await ensureCodec()).readFragment(fragment);
    } catch (e) {
      r = { ok: false, kind: 'unavailable', message: `The playground could not load its link reader (${String(e)}).` };
    }
    if (disposed) return;
    if (r.ok) {
      store.getState().dismissNotice(LINK_NOTICE_ID);
      setDocument(store, r.doc, { history: 'record' });
      if (r.notes.length) {
        store
          .getState()
          .addNotice({ id: LINK_NOTICE_ID, tone: 'info', title: 'Opened the link.', text: r.notes.join(' ') });
      }
    } else {
      hold = true;
      urlPending = false;
      store.getState().addNotice({
        id: LINK_NOTICE_ID,
        tone: 'alert',
        title: 'This link could not be opened.',
        text: `${r.message} Your work is still here.`,
      });
    }
  }
  const onHash = () => void track(onHashChange());
  const onPageHide = () => flush();
  const onVisibility = () => {
    if (env.isHidden?.()) flush();
  };
  env.events?.addEventListener('hashchange', onHash);
  env.events?.addEventListener('pagehide', onPageHide);
  env.events?.addEventListener('visibilitychange', onVisibility);
  const removeFileDrop = env.events ? installFileDrop(store, env.events) : () => {};

  const preloadMs = options.preloadMs === undefined ? 1000 : options.preloadMs;
  let preloadTimer: unknown =
    preloadMs === null
      ? null
      : env.setTimeout(() => {
          preloadTimer = null;
          track(ensureCodec()).catch(() => {}); // a failure shows when the codec is needed
        }, preloadMs);

  const connection: ShareConnection = {
    flush,
    get holding() {
      return hold;
    },
    async linkNow() {
      const c = await ensureCodec();
      const doc = store.getState().doc;
      if (hold) return c.writeLink(href(), doc);
      if (urlTimer !== null) env.clearTimeout(urlTimer);
      urlTimer = null;
      urlPending = false;
      return writeUrl(c, doc);
    },
    async idle() {
      while (running.size || urlTimer !== null || saveTimer !== null || preloadTimer !== null) {
        if (running.size) await Promise.allSettled([...running]);
        else await new Promise((r) => globalThis.setTimeout(r, 0));
      }
    },
    dispose() {
      disposed = true;
      unsubscribeDoc();
      unsubscribeNotices();
      for (const t of [urlTimer, saveTimer, preloadTimer]) if (t !== null) env.clearTimeout(t);
      env.events?.removeEventListener('hashchange', onHash);
      env.events?.removeEventListener('pagehide', onPageHide);
      env.events?.removeEventListener('visibilitychange', onVisibility);
      removeFileDrop();
      connections.delete(store);
    },
  };
  connections.set(store, connection);
  return connection;
}
