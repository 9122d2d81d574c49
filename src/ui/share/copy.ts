/** Copying and downloading, for the share actions (registry.ts): the link, an export, a file. */
import type { PlaygroundStore } from '../state/types';
import { loadLinkCodec } from './codec';
import { shareEnvOf } from './env';
import type { LinkWrite } from './link-codec';
import { connectionOf } from './sync';

export const COPY_NOTICE_ID = 'copy';

/** The current document's link: through the store's connection (which also updates the address bar) if any. */
export async function currentLink(store: PlaygroundStore): Promise<LinkWrite> {
  const connection = connectionOf(store);
  if (connection) return connection.linkNow();
  const codec = await loadLinkCodec();
  return codec.writeLink(String(shareEnvOf(store).location.href), store.getState().doc);
}

/** Puts text on the clipboard; false when there is no clipboard or it refused. */
export async function writeClipboard(store: PlaygroundStore, text: string): Promise<boolean> {
  const clipboard = shareEnvOf(store).clipboard;
  if (!clipboard) return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Copy link": the full URL of the current document onto the clipboard, confirmed with "Link copied"; without a
 * clipboard, a dialog with the link selected, to copy by hand. A document too large for a link says so.
 */
export async function copyLink(store: PlaygroundStore): Promise<void> {
  const s = () => store.getState();
  let link: LinkWrite;
  try {
    link = await currentLink(store);
  } catch (e) {
    link = { ok: false, message: `The link could not be made (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (!link.ok) {
    s().addNotice({ id: COPY_NOTICE_ID, tone: 'alert', title: 'No link to copy.', text: link.message });
    return;
  }
  s().dismissNotice(COPY_NOTICE_ID);
  if (await writeClipboard(store, link.url)) s().showToast('Link copied');
  else s().setDialog({ kind: 'copy-link', url: link.url });
}

/** Copies text (an export) and confirms with `what copied`; says so when the clipboard refuses. */
export async function copyText(store: PlaygroundStore, text: string, what: string): Promise<void> {
  const ok = await writeClipboard(store, text);
  store
    .getState()
    .showToast(ok ? `${what} copied` : 'The clipboard is not available here: select the text and copy it');
}

/** Saves text as a file through the browser's download (a Blob and a[download]). */
export function downloadText(text: string, filename: string, type: string, doc: Document = globalThis.document): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
