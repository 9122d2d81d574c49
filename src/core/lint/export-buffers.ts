import { hex32 } from '../numbers';
import { LINT_RULES, type LintFinding } from './lint';

const ELEMENT_BYTES: Record<string, number> = {
  u8: 1,
  __u8: 1,
  uint8_t: 1,
  'unsigned char': 1,
  char: 1,
  u16: 2,
  __u16: 2,
  uint16_t: 2,
  u32: 4,
  __u32: 4,
  uint32_t: 4,
  'unsigned int': 4,
  u64: 8,
  __u64: 8,
  uint64_t: 8,
  'unsigned long': 8,
  'unsigned long long': 8,
  usize: 8,
};

function num(s: string): number | null {
  const t = s
    .trim()
    .replace(/_/g, '')
    .replace(/(?:ULL|UL|U|LL|L|usize|u32|u64)$/i, '');
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  if (/^[0-9]+$/.test(t)) return Number.parseInt(t, 10);
  return null;
}

export interface ExportedRange {
  /** 0-based order of the range in the source. */
  order: number;
  nmsrs: number;
  base: number | null;
  buffer: string;
  bufferBytes: number | null;
  line: number;
}

/**
 * Finds the bitmap buffers and the ranges that point at them in C (`.nmsrs = N, ... .bitmap = (__u8 *)name`) or
 * Rust (`nmsrs: N, ... bitmap: NAME.as_ptr()`) source, with each buffer's declared size
 * (`uint64_t name[N]`, `static NAME: [u64; N]`, `let name = [0u8; N]`, `vec![0u8; N]`).
 */
export function exportedRanges(source: string): ExportedRange[] {
  const sizes = new Map<string, number>();
  const cDecl =
    /(?:^|[\s;{(])((?:unsigned\s+)?(?:long\s+long|long|char|int)|u8|__u8|uint8_t|u16|__u16|uint16_t|u32|__u32|uint32_t|u64|__u64|uint64_t)\s+(\w+)\s*\[\s*([^\]]+?)\s*\]/g;
  for (const m of source.matchAll(cDecl)) {
    const n = num(m[3]);
    const el = ELEMENT_BYTES[m[1].replace(/\s+/g, ' ')];
    if (n !== null && el) sizes.set(m[2], n * el);
  }
  const rustDecl =
    /(?:static|const|let)\s+(?:mut\s+)?(\w+)\s*(?::\s*\[\s*(u8|u16|u32|u64|usize)\s*;\s*([^\]]+?)\s*\])?\s*=\s*(?:vec!\s*)?\[\s*0(?:x0+)?_?(u8|u16|u32|u64|usize)?\s*;\s*([^\]]+?)\s*\]/g;
  for (const m of source.matchAll(rustDecl)) {
    const ty = m[2] ?? m[4] ?? 'u8';
    const n = num(m[3] ?? m[5]);
    if (n !== null) sizes.set(m[1], n * ELEMENT_BYTES[ty]);
  }
  const rustTyped = /(?:static|const)\s+(?:mut\s+)?(\w+)\s*:\s*\[\s*(u8|u16|u32|u64|usize)\s*;\s*([^\]]+?)\s*\]/g;
  for (const m of source.matchAll(rustTyped)) {
    const n = num(m[3]);
    if (n !== null && !sizes.has(m[1])) sizes.set(m[1], n * ELEMENT_BYTES[m[2]]);
  }
  const out: ExportedRange[] = [];
  const rangeRe =
    /\.?nmsrs\s*[:=]\s*([0-9a-fA-FxX_]+)[^;}]*?\.?bitmap\s*[:=]\s*(?:\([^)]*\)\s*)?&?\s*(?:mut\s+)?(\w+)/g;
  let order = 0;
  for (const m of source.matchAll(rangeRe)) {
    const nmsrs = num(m[1]);
    if (nmsrs === null || m[2] === 'NULL' || m[2] === 'std') continue;
    const baseM = /\.?base\s*[:=]\s*([0-9a-fA-FxX_]+)/.exec(m[0]);
    out.push({
      order: order++,
      nmsrs,
      base: baseM ? num(baseM[1]) : null,
      buffer: m[2],
      bufferBytes: sizes.get(m[2]) ?? null,
      line: source.slice(0, m.index).split('\n').length,
    });
  }
  return out;
}

/** Lints exported C or Rust: a bitmap buffer shorter than the BITS_TO_LONGS(nmsrs) * 8 bytes the kernel copies. */
export function lintExportedSource(source: string): LintFinding[] {
  const out: LintFinding[] = [];
  for (const r of exportedRanges(source)) {
    const need = Math.ceil(r.nmsrs / 64) * 8;
    if (r.bufferBytes !== null && r.bufferBytes < need) {
      out.push({
        rule: 'short-bitmap-buffer',
        severity: LINT_RULES['short-bitmap-buffer'].severity,
        message: `ranges[${r.order}] (line ${r.line}${r.base !== null ? `, base ${hex32(r.base)}` : ''}): bitmap ${r.buffer} is ${r.bufferBytes} byte(s), but for nmsrs ${r.nmsrs} the kernel copies BITS_TO_LONGS(nmsrs) * 8 = ${need} (kvm_add_msr_filter() memdup_user): it reads past the buffer (short-bitmap-buffer)`,
        range: r.order,
        bit: null,
      });
    }
  }
  return out;
}
