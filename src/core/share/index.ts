/** The share-link codec's public API (the UI and the CLI use only these). */
export {
  EXPECTATIONS,
  type Expectation,
  normalizeShareDocument,
  type ShareDocument,
  shareDocumentFromJson,
  shareDocumentToJson,
} from './document';
export { isShareLinkError, ShareLinkError, type ShareLinkErrorKind } from './errors';
export type { ShareLinkLimits } from './limits';
export {
  DEFAULT_SHARE_BASE,
  decodeShareFragment,
  decodeShareLink,
  encodeShareFragment,
  fragmentOfLink,
  SHARE_LINK_LIMITS,
  SHARE_LINK_VERSION,
  SHARE_LINK_VERSIONS,
  shareUrl,
} from './share-link';
