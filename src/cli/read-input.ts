import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The most the CLI reads from one input file or standard input: 256 MiB, above the largest scenario the engine
 * takes (1,000,000 steps; about 130 bytes each with a full `expect`, written compactly). Past it the input is
 * refused (exit 2) rather than read forever.
 */
export const MAX_INPUT_BYTES = 256 * 2 ** 20;

const CHUNK = 2 ** 20;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads `file` (a path, or 0 for standard input) as UTF-8 in chunks, stopping at `limit` bytes: an input that never
 * ends (`/dev/zero`, `yes |`) throws an error with code EFBIG instead of filling memory.
 */
export function readInputCapped(file: string | 0, limit = MAX_INPUT_BYTES): string {
  const fd = file === 0 ? 0 : openSync(file, 'r');
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    // A regular file is read into one buffer of its size (and one byte more, to see that it ended).
    const stat = fstatSync(fd);
    let first = stat.isFile() ? stat.size + 1 : CHUNK;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(first, limit + 1 - total));
      first = CHUNK;
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 5); // a non-blocking stdin with nothing yet: wait, then read again
          continue;
        }
        if (code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      total += n;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      if (total > limit) {
        throw Object.assign(new Error(`more than ${limit / 2 ** 20} MiB (the limit for one input); refused`), {
          code: 'EFBIG',
        });
      }
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, total).toString('utf8');
}
