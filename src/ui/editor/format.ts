import { type FilterRange, hexShort, msrName, testBit } from '../../core/index';

export const fmtHex = (n: number) => hexShort(n >>> 0);
export const fmtDec = (n: number) => String(n);

/** "0x35 MSR_CORE_THREAD_COUNT", or just the hex when the catalogue does not know it. */
export function msrLabel(index: number): string {
  const name = msrName(index);
  return name ? `${fmtHex(index)} ${name}` : fmtHex(index);
}

/** How many of the range's first nmsrs bits allow (capped at the kernel's 0x3000 for the count). */
export function allowedCount(r: FilterRange): number {
  const n = Math.min(r.nmsrs, r.bitmap.length * 8);
  let count = 0;
  for (let b = 0; b < n; b++) if (testBit(r.bitmap, b)) count++;
  return count;
}
