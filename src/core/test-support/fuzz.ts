import { Deflate } from 'fflate';

/** xorshift32: fuzz and benchmark inputs are the same on every run, so a failure can be replayed. */
export function seededRng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return { next, int: (n: number) => next() % n, pick: <T>(a: readonly T[]): T => a[next() % a.length] };
}
export type SeededRng = ReturnType<typeof seededRng>;

/** A raw DEFLATE stream of `prefix` then `megabytes` MiB of zeros: tiny as a link, huge once inflated. */
export function deflatedZeros(prefix: Uint8Array, megabytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (chunk) => {
    parts.push(chunk);
  });
  d.push(prefix);
  const mb = new Uint8Array(1024 * 1024);
  for (let i = 0; i < megabytes; i++) d.push(mb, i === megabytes - 1);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
