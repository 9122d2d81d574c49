/** Bit helpers over a range bitmap (LSB first, like the kernel's test_bit on a little-endian host). */
export function bitmapBytesFor(nmsrs: number): number {
  return Math.ceil(nmsrs / 8);
}

export function testBit(bitmap: Uint8Array, bit: number): boolean {
  const byte = bit >>> 3;
  return byte < bitmap.length && ((bitmap[byte] >>> (bit & 7)) & 1) === 1;
}

/** Returns a bitmap at least large enough for `bit`, with the bit set or cleared (copy-on-write). */
export function withBit(bitmap: Uint8Array, bit: number, on: boolean): Uint8Array {
  const byte = bit >>> 3;
  const out = new Uint8Array(Math.max(bitmap.length, byte + 1));
  out.set(bitmap);
  if (on) out[byte] |= 1 << (bit & 7);
  else out[byte] &= ~(1 << (bit & 7));
  return out;
}

/** Sets bits [from, to) to `on` in place; `bitmap` must be large enough. */
export function fillBits(bitmap: Uint8Array, from: number, to: number, on: boolean): void {
  for (let b = from; b < to; b++) {
    if (on) bitmap[b >>> 3] |= 1 << (b & 7);
    else bitmap[b >>> 3] &= ~(1 << (b & 7));
  }
}

export function resizeBitmap(bitmap: Uint8Array, nmsrs: number): Uint8Array {
  const out = new Uint8Array(bitmapBytesFor(nmsrs));
  out.set(bitmap.subarray(0, out.length));
  return out;
}

export function filledBitmap(nmsrs: number, on: boolean): Uint8Array {
  const out = new Uint8Array(bitmapBytesFor(nmsrs));
  if (on) fillBits(out, 0, nmsrs, true);
  return out;
}

const HEX_BYTE = /^[0-9a-fA-F]*$/;

export function bitmapToHex(bitmap: Uint8Array): string {
  let s = '';
  for (const b of bitmap) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Parses a hex byte string; returns null when it is not an even-length hex string. */
export function bitmapFromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !HEX_BYTE.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Drops trailing zero bytes (missing bytes read as zero). */
export function trimBitmap(bitmap: Uint8Array): Uint8Array {
  let end = bitmap.length;
  while (end > 0 && bitmap[end - 1] === 0) end--;
  return bitmap.subarray(0, end);
}
