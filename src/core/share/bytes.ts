/**
 * Small, dependency-free byte helpers for the share-link codec: LEB128 varints, strict UTF-8, CRC-32 and base64url.
 * Readers never read past the end and never allocate more than the input holds; a problem is a BinaryFormatError,
 * which the codec turns into a ShareLinkError.
 */

export class BinaryFormatError extends Error {
  constructor(
    readonly reason: 'eof' | 'invalid' | 'limit',
    message: string,
  ) {
    super(message);
    this.name = 'BinaryFormatError';
  }
}

/** Grows as it is written; `bytes()` returns exactly what was written. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b & 0xff;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** An unsigned LEB128 varint of a non-negative integer up to 2^53 - 1. */
  uint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  /** An unsigned LEB128 varint of a bigint in [0, 2^64). */
  big(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  /** Length-prefixed UTF-8. */
  string(s: string): void {
    const bytes = utf8Encode(s);
    this.uint(bytes.length);
    this.raw(bytes);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  get offset(): number {
    return this.pos;
  }

  byte(what: string): number {
    if (this.pos >= this.buf.length) throw new BinaryFormatError('eof', `ends before ${what}`);
    return this.buf[this.pos++];
  }

  raw(n: number, what: string): Uint8Array {
    if (n > this.remaining) throw new BinaryFormatError('eof', `ends inside ${what}`);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A minimal-length varint no larger than `max` (at most 2^53 - 1). */
  uint(what: string, max: number): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      const b = this.byte(what);
      if (i > 0 && b === 0) throw new BinaryFormatError('invalid', `${what} is not a minimal varint`);
      result += (b & 0x7f) * scale;
      if (result > max) throw new BinaryFormatError('invalid', `${what} is out of range`);
      if ((b & 0x80) === 0) return result;
      scale *= 0x80;
      if (i >= 7) throw new BinaryFormatError('invalid', `${what} is too long a varint`);
    }
  }

  /** A minimal-length varint in [0, 2^64). */
  big(what: string): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      const b = this.byte(what);
      if (i > 0 && b === 0) throw new BinaryFormatError('invalid', `${what} is not a minimal varint`);
      result |= BigInt(b & 0x7f) << shift;
      if (result >> 64n) throw new BinaryFormatError('invalid', `${what} does not fit in 64 bits`);
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (i >= 9) throw new BinaryFormatError('invalid', `${what} is too long a varint`);
    }
  }

  string(what: string): string {
    const n = this.uint(`${what} length`, this.remaining);
    return utf8Decode(this.raw(n, what), what);
  }
}

/** UTF-8 of a JS string; a lone surrogate becomes U+FFFD (as TextEncoder does). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else cp = 0xfffd;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** The string a JS string becomes once written as UTF-8 (lone surrogates replaced by U+FFFD). */
export function wellFormed(s: string): string {
  // Fast path: most strings have no surrogates at all.
  if (!/[\ud800-\udfff]/.test(s)) return s;
  return utf8Decode(utf8Encode(s), 'string');
}

/** Strict UTF-8: rejects overlong forms, surrogates, code points past U+10FFFF and cut sequences. */
export function utf8Decode(bytes: Uint8Array, what: string): string {
  let out = '';
  const bad = () => new BinaryFormatError('invalid', `${what} is not valid UTF-8`);
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i];
    let cp: number;
    let need: number;
    let min: number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = b0 & 0x1f;
      need = 1;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = b0 & 0x0f;
      need = 2;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = b0 & 0x07;
      need = 3;
      min = 0x10000;
    } else throw bad();
    if (i + need >= bytes.length) throw bad();
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k];
      if ((b & 0xc0) !== 0x80) throw bad();
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw bad();
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as in gzip and zip). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

/** base64url (RFC 4648 §5) without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63] + B64URL[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63];
  }
  return out;
}

/** Where a string stops being base64url: the index of the first bad character, or -1. */
export function firstNonBase64url(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || B64URL_VALUE[c] < 0) return i;
  }
  return -1;
}

/**
 * Decodes base64url without padding. The caller has checked the alphabet with firstNonBase64url; returns null when
 * the length cannot be base64 (one character left over).
 */
export function base64urlDecode(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let i = 0;
  const v = (k: number) => B64URL_VALUE[s.charCodeAt(k)];
  for (; i + 3 < s.length; i += 4) {
    const n = (v(i) << 18) | (v(i + 1) << 12) | (v(i + 2) << 6) | v(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = s.length - i;
  if (rest === 2) {
    out[o++] = ((v(i) << 18) | (v(i + 1) << 12)) >> 16;
  } else if (rest === 3) {
    const n = (v(i) << 18) | (v(i + 1) << 12) | (v(i + 2) << 6);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
  }
  return out;
}
