/**
 * The share-link codec as the playground uses it: playground documents in and out of `#v2.…` links. Loaded on
 * demand (see codec.ts): it brings the share-link format and its DEFLATE implementation (fflate), which the first
 * render does not need.
 */
import { ShareLinkError } from '../../core/share/errors';
import { decodeShareFragment, decodeShareLink, encodeShareFragment } from '../../core/share/share-link';
import type { PlaygroundDocument } from '../state/document';
import { fromShareDocument, toShareDocument } from './convert';
import { withoutFragment } from './env';

export type LinkRead =
  | { ok: true; doc: PlaygroundDocument; notes: string[] }
  /** `kind` is ShareLinkError's; `message` says what is wrong, for a person. */
  | { ok: false; kind: string; message: string };

export type LinkWrite = { ok: true; fragment: string; url: string } | { ok: false; message: string };

function failure(e: unknown): LinkRead & { ok: false } {
  if (e instanceof ShareLinkError) return { ok: false, kind: e.kind, message: e.message };
  return {
    ok: false,
    kind: 'corrupt',
    message: `This link could not be read (${(e as Error)?.message ?? String(e)}).`,
  };
}

function read(decode: () => ReturnType<typeof decodeShareFragment>): LinkRead {
  try {
    const notes: string[] = [];
    const doc = fromShareDocument(decode(), notes);
    return { ok: true, doc, notes };
  } catch (e) {
    return failure(e);
  }
}

/** A fragment (`v2.…`, with or without `#`). Never throws. */
export function readFragment(fragment: string): LinkRead {
  return read(() => decodeShareFragment(fragment));
}

/** A whole pasted link (`https://…/#v2.…`, `#v2.…` or `v2.…`). Never throws. */
export function readLink(link: string): LinkRead {
  return read(() => decodeShareLink(link));
}

/** The document's link on `base` (any fragment of it replaced). Never throws: a document too large says so. */
export function writeLink(base: string, doc: PlaygroundDocument): LinkWrite {
  try {
    const fragment = encodeShareFragment(toShareDocument(doc));
    return { ok: true, fragment, url: `${withoutFragment(base)}#${fragment}` };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
