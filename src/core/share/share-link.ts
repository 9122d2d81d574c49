/**
 * The share link: the ONE place that owns how a whole playground document is written into a URL fragment.
 *
 *   https://host/path/#v2.<base64url(raw DEFLATE level 9 with the v2 dictionary (body + checksum))>
 *
 * - `v2.` is the version tag (v1: the same body without a dictionary). Every version ever written has a decoder in DECODERS and keeps it forever, so old
 *   links keep opening; a decoder returns today's ShareDocument (migrating old shapes if the model has changed).
 * - The body (see v1.ts) is a compact binary form: varints, profile and vCPU as small enums, per range its flags,
 *   base, nmsrs and bitmap bytes, with every bitmap back to back at the end so DEFLATE compresses them together.
 * - Decoding is safe on hostile input: the fragment length, the inflated size and every count are capped before
 *   anything is allocated for them, it never hangs, and the only thing it throws is a ShareLinkError whose message
 *   says what was wrong, for a person.
 */
import { BinaryFormatError, base64urlDecode, base64urlEncode, firstNonBase64url } from './bytes';
import { deflateRaw, formatBytes, inflateRawBounded } from './deflate';
import type { ShareDocument } from './document';
import { ShareLinkError } from './errors';
import { SHARE_LINK_LIMITS } from './limits';
import { decodeV1, encodeV1, UnencodableError } from './v1';
import { decodeV2, encodeV2, V2_DICTIONARY } from './v2';
import { decodeV3, encodeV3 } from './v3';

export { SHARE_LINK_LIMITS } from './limits';

/** The newest version this build writes: v3 for a document that names a host model, else v2 (the same bytes as before). */
export const SHARE_LINK_VERSION = 3;

function versionFor(doc: ShareDocument): number {
  return doc.scenario.hostModel !== undefined ? 3 : 2;
}

/** Where `shareUrl` points when no base is given (the dev server; the UI passes its own location). */
export const DEFAULT_SHARE_BASE = 'http://127.0.0.1:5173/';

/**
 * Decoders by version, forever. To change the format: add `v2.ts`, point SHARE_LINK_VERSION at 2, add `2: decodeV2`
 * here, and make `decodeV1` (or a migration wrapped around it) return the current ShareDocument shape.
 */
interface Codec {
  encode: (doc: ShareDocument) => Uint8Array;
  decode: (body: Uint8Array) => ShareDocument;
  /** The preset DEFLATE dictionary of this version, if it has one. */
  dictionary?: Uint8Array;
}

const CODECS: Readonly<Record<number, Codec>> = Object.freeze({
  1: { encode: encodeV1, decode: decodeV1 },
  2: { encode: encodeV2, decode: decodeV2, dictionary: V2_DICTIONARY },
  3: { encode: encodeV3, decode: decodeV3, dictionary: V2_DICTIONARY },
});
const DECODERS = CODECS;

/** The versions this build reads. */
export const SHARE_LINK_VERSIONS: readonly number[] = Object.keys(DECODERS).map(Number);

const TAG = /^v([0-9]{1,9})\.([\s\S]*)$/;

function preview(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 24 ? `${clean.slice(0, 24)}…` : clean;
}

/**
 * Writes a document as a fragment (without the `#`): `v1.` + payload. Throws ShareLinkError (`unencodable`) when the
 * document cannot be a link: a value out of range (a base past 32 bits), or more than SHARE_LINK_LIMITS allows.
 */
export function encodeShareFragment(doc: ShareDocument): string {
  const version = versionFor(doc);
  let body: Uint8Array;
  try {
    body = CODECS[version].encode(doc);
  } catch (e) {
    if (e instanceof UnencodableError) {
      throw new ShareLinkError(
        'unencodable',
        e.tooLarge
          ? `This document is too large for a share link (${e.place}: ${e.reason}); export it as JSON instead.`
          : `This document cannot be put in a share link: ${e.place}: ${e.reason}.`,
      );
    }
    throw new ShareLinkError('unencodable', `This document cannot be put in a share link: ${(e as Error).message}.`);
  }
  if (body.length > SHARE_LINK_LIMITS.maxInflatedBytes) {
    throw new ShareLinkError(
      'unencodable',
      `This document is too large for a share link (${formatBytes(body.length)} before compression; at most ` +
        `${formatBytes(SHARE_LINK_LIMITS.maxInflatedBytes)}); export it as JSON instead.`,
    );
  }
  const fragment = `v${version}.${base64urlEncode(deflateRaw(body, CODECS[version].dictionary))}`;
  if (fragment.length > SHARE_LINK_LIMITS.maxFragmentChars) {
    throw new ShareLinkError(
      'unencodable',
      `This document is too large for a share link (${fragment.length} characters; at most ` +
        `${SHARE_LINK_LIMITS.maxFragmentChars}); export it as JSON instead.`,
    );
  }
  return fragment;
}

/**
 * Reads a fragment (`v1.…`, with or without the leading `#`) back into a document. Throws only ShareLinkError, with
 * a `kind` and a message that says what is wrong with the link.
 */
export function decodeShareFragment(fragment: string): ShareDocument {
  try {
    return decodeUnsafe(fragment);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    // Not expected: every known failure is mapped above. Still never let anything else escape.
    throw new ShareLinkError('corrupt', `This link is damaged and could not be read (${(e as Error)?.message ?? e}).`);
  }
}

function decodeUnsafe(fragment: string): ShareDocument {
  if (typeof fragment !== 'string') throw new ShareLinkError('foreign', 'A share link must be text.');
  let text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > SHARE_LINK_LIMITS.maxFragmentChars) {
    throw new ShareLinkError(
      'oversized',
      `This link is ${text.length} characters long; the playground only opens links of up to ` +
        `${SHARE_LINK_LIMITS.maxFragmentChars} characters.`,
    );
  }
  text = text.replace(/\s+/g, '');
  if (text === '') throw new ShareLinkError('empty', 'This link has nothing after the #: it holds no document.');
  const m = TAG.exec(text);
  if (!m) {
    throw new ShareLinkError(
      'foreign',
      `This link's #fragment ("${preview(text)}") is not an MSR Filter Playground document; ours start with ` +
        `#v${SHARE_LINK_VERSION}.`,
    );
  }
  const version = Number(m[1]);
  const codec = Object.hasOwn(DECODERS, version) ? DECODERS[version] : undefined;
  if (!codec) {
    const newer = version > SHARE_LINK_VERSION;
    throw new ShareLinkError(
      'unknown-version',
      newer
        ? `This link was made by a newer version of the playground (link format v${version}; this one reads ` +
            `v${SHARE_LINK_VERSIONS.join(', v')}). Reload the page to get the newest version.`
        : `This link's format v${version} is not one the playground ever wrote (it reads ` +
            `v${SHARE_LINK_VERSIONS.join(', v')}).`,
    );
  }
  const payload = m[2].replace(/={1,2}$/, '');
  const bad = firstNonBase64url(payload);
  if (bad >= 0) {
    const ch = payload.codePointAt(bad) ?? 0;
    const shown = ch >= 0x21 && ch <= 0x7e ? `"${String.fromCodePoint(ch)}"` : `U+${ch.toString(16).padStart(4, '0')}`;
    throw new ShareLinkError(
      'not-base64url',
      `This link is damaged: character ${shown} at position ${bad + 1} of its data is not allowed there ` +
        '(only A-Z, a-z, 0-9, "-" and "_" are).',
    );
  }
  const bytes = base64urlDecode(payload);
  if (!bytes || bytes.length === 0) {
    throw new ShareLinkError(
      'truncated',
      'This link is incomplete: its data is cut off. Copy the whole link, up to its last character.',
    );
  }
  const body = inflateRawBounded(bytes, SHARE_LINK_LIMITS.maxInflatedBytes, codec.dictionary);
  try {
    return codec.decode(body);
  } catch (e) {
    if (e instanceof BinaryFormatError) {
      if (e.reason === 'limit') {
        throw new ShareLinkError('oversized', `This link holds more than the playground opens: ${e.message}.`);
      }
      throw new ShareLinkError('corrupt', `This link is damaged: its document ${e.message}.`);
    }
    throw e;
  }
}

/** The fragment of a pasted link: what follows `#` in a URL, or the text itself when it has no `#` and no scheme. */
export function fragmentOfLink(link: string): string {
  const text = typeof link === 'string' ? link.trim() : '';
  const hash = text.indexOf('#');
  if (hash >= 0) return text.slice(hash + 1);
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text) || text.startsWith('/') || text.startsWith('?')) return '';
  return text;
}

/** Reads a whole pasted link (a URL with `#v1.…`, `#v1.…` or `v1.…`). Throws only ShareLinkError. */
export function decodeShareLink(link: string): ShareDocument {
  const fragment = fragmentOfLink(link);
  if (fragment === '' && typeof link === 'string' && link.trim() !== '' && !link.includes('#')) {
    throw new ShareLinkError('empty', 'This link has no #fragment, so it holds no playground document.');
  }
  return decodeShareFragment(fragment);
}

/** A full URL: `base` (any fragment it had removed) + `#` + the document's fragment. */
export function shareUrl(base: string, doc: ShareDocument): string {
  const hash = base.indexOf('#');
  const root = hash >= 0 ? base.slice(0, hash) : base;
  return `${root}#${encodeShareFragment(doc)}`;
}
