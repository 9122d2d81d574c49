import { deflateSync, Inflate } from 'fflate';
import { ShareLinkError } from './errors';

/** Raw DEFLATE (no zlib or gzip header) at level 9, the smallest fflate makes. */
export function deflateRaw(data: Uint8Array, dictionary?: Uint8Array): Uint8Array {
  return deflateSync(data, dictionary ? { level: 9, dictionary } : { level: 9 });
}

/** Input is fed to the inflater this many bytes at a time, so no single step can expand by more than ~1032x this. */
const INPUT_CHUNK = 1024;

class TooBig extends Error {}

/**
 * Inflates raw DEFLATE with a running count of the output, and stops as soon as it passes `maxBytes`: a
 * decompression bomb costs at most maxBytes + ~1 MiB of memory and the time to produce it. Every failure is a
 * ShareLinkError: `truncated` when the stream ends early, `corrupt` when it is not DEFLATE,
 * `decompression-bomb` past the cap.
 */
export function inflateRawBounded(data: Uint8Array, maxBytes: number, dictionary?: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate(dictionary ? { dictionary } : {}, (chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw new TooBig();
    if (chunk.length) chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
    for (let i = 0; i < data.length; i += INPUT_CHUNK) {
      const end = Math.min(data.length, i + INPUT_CHUNK);
      inflater.push(data.subarray(i, end), end === data.length);
    }
  } catch (e) {
    if (e instanceof TooBig) {
      throw new ShareLinkError(
        'decompression-bomb',
        `This link expands to more than ${formatBytes(maxBytes)}; no document made by the playground is that large, ` +
          'so it was not opened (it may be a decompression bomb).',
      );
    }
    const code = (e as { code?: unknown }).code;
    if (code === 0) {
      throw new ShareLinkError(
        'truncated',
        'This link is incomplete: its data stops in the middle. Copy the whole link, up to its last character.',
      );
    }
    throw new ShareLinkError(
      'corrupt',
      `This link is damaged: its compressed data is not valid (${(e as Error).message ?? 'inflate failed'}).`,
    );
  }
  if (!finished) {
    throw new ShareLinkError(
      'truncated',
      'This link is incomplete: its data stops in the middle. Copy the whole link, up to its last character.',
    );
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
