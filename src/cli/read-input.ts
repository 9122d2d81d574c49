import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The most the CLI reads from one input file or standard input: 256 MiB, above the largest scenario the engine
 * takes (1,000,000 steps; about 130 bytes each with a full `expect`, written compactly). Past it the input is
 * refused (exit 2) rather than read forever.
 */
export const MAX_INPUT_BYTES = 256 * 2 ** 20;

const CHUNK = 2 ** 20;
const pause = new Int32Array(new SharedArrayBuffer(4));

const tooBig = (limit: number) =>
  Object.assign(new Error(`more than ${limit / 2 ** 20} MiB (the limit for one input); refused`), { code: 'EFBIG' });

/**
 * Reads `file` (a path, or 0 for standard input) as UTF-8, stopping at `limit` bytes: an input that never ends
 * (`/dev/zero`, `yes |`) throws an error with code EFBIG instead of filling memory, and so does a regular file
 * larger than the limit, before any of it is read. A regular file is read into one buffer of its size and a byte
 * more (the read that finds its end); one that grows meanwhile goes on in chunks.
 */
export function readInputCapped(file: string | 0, limit = MAX_INPUT_BYTES): string {
  const fd = file === 0 ? 0 : openSync(file, 'r');
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) throw tooBig(limit);
    let buf = Buffer.allocUnsafe(Math.min(stat.isFile() ? stat.size + 1 : CHUNK, limit + 1));
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        chunks.push(buf);
        buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
        used = 0;
      }
      let n: number;
      try {
        n = readSync(fd, buf, used, buf.length - used, null);
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
      used += n;
      total += n;
      if (total > limit) throw tooBig(limit);
    }
    chunks.push(buf.subarray(0, used));
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, total).toString('utf8');
}
