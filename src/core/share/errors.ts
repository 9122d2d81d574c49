/**
 * What can be wrong with a share link. Every failure of the share-link codec is a ShareLinkError with one of these
 * kinds and a message written for the person who pasted the link; nothing else is ever thrown.
 */
export type ShareLinkErrorKind =
  /** Nothing after the `#`. */
  | 'empty'
  /** A fragment that is not one of ours (no `v<N>.` tag). */
  | 'foreign'
  /** A `v<N>.` tag this build cannot read (a newer playground made it). */
  | 'unknown-version'
  /** Longer than SHARE_LINK_LIMITS.maxFragmentChars, or holding more than the limits allow. */
  | 'oversized'
  /** A character outside base64url. */
  | 'not-base64url'
  /** The compressed data ends early: the link was cut. */
  | 'truncated'
  /** Decodes, but the data is damaged: bad compressed stream, checksum mismatch, bad structure. */
  | 'corrupt'
  /** Expands past SHARE_LINK_LIMITS.maxInflatedBytes. */
  | 'decompression-bomb'
  /** Encoding only: the document does not fit in a link or holds values no document can hold. */
  | 'unencodable';

export class ShareLinkError extends Error {
  readonly kind: ShareLinkErrorKind;
  constructor(kind: ShareLinkErrorKind, message: string) {
    super(message);
    this.name = 'ShareLinkError';
    this.kind = kind;
  }
}

export function isShareLinkError(e: unknown): e is ShareLinkError {
  return e instanceof ShareLinkError;
}
