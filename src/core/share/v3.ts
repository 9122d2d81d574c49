/**
 * Share-link format, version 3 (`#v3.`): v1's body (see v1.ts) with one addition, the host model (document flag 64,
 * then its index into V3_HOSTS after the vCPU model), compressed with v2's dictionary. New links are written as v2
 * when the document names no host (the same bytes as before) and as v3 when it does. FROZEN like v1 and v2.
 */
import type { ShareDocument } from './document';
import { decodeV1, encodeV1, type LayoutExtensions } from './v1';

const V3_LAYOUT: LayoutExtensions = { hostModel: true };

export const encodeV3 = (doc: ShareDocument): Uint8Array => encodeV1(doc, V3_LAYOUT);
export const decodeV3 = (raw: Uint8Array): ShareDocument => decodeV1(raw, V3_LAYOUT);
