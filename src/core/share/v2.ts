/**
 * Share-link format, version 2 (`#v2.`): the body is exactly v1's (see v1.ts), compressed with a preset DEFLATE
 * dictionary: the v1 bodies of the four presets as they stood when v2 was made. A link of a preset, or of a small
 * edit of one, is then a handful of back-references. FROZEN like v1: these bytes never change; a new dictionary is
 * a new version.
 */
import { base64urlDecode } from './bytes';

const DICTIONARY_V2 =
  'CAAAARJBbGxvdy1saXN0IGV4YW1wbGUCDhABAAaAgYCADAUAAJD4CAQBAxpEZW55IGFsbCBidXQgYXJjaGl0ZWN0dXJhbAUOAIBgAA6AgICABIBgAA6AmtnaBIACAA6AgICADIBgAA6AgISADIBgAACkjyoEAQcBAAEAAxRTZWxmdGVzdCBkZW55IGZpbHRlcgYGAIBgAAoAgGBADoCAgIAEgGAABoCAgIAMgGAhCoCAgIAMgGAADu_9tvUNAQAA____________________________________________________________________________________7______________________v_____________________U-aKgQBBAGBgAQAAQxRRU1VIGRlZmF1bHQBBDUBAAA_kA';

/** The v2 dictionary (322 bytes). */
export const V2_DICTIONARY: Uint8Array = base64urlDecode(DICTIONARY_V2) as Uint8Array;

export { decodeV1 as decodeV2, encodeV1 as encodeV2 } from './v1';
