import { KVM_MSR_FILTER_DEFAULT_DENY, KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE } from '../constants';
import type { FilterPolicy, FilterRange } from '../policy/types';
import {
  bitmapWordCount,
  bitmapWords,
  checkRepresentable,
  commentText,
  describeExitMask,
  describeRange,
  type ExportOptions,
  verdictLines,
} from './common';

/** 0x0000_0035 style: Rust's digit separators every 4 hex digits. */
function rustHex(v: bigint | number, digits: number): string {
  const h = v.toString(16).padStart(digits, '0');
  const groups: string[] = [];
  for (let i = h.length; i > 0; i -= 4) groups.unshift(h.slice(Math.max(0, i - 4), i));
  return `0x${groups.join('_')}`;
}

function rustRangeFlags(flags: number, used: Set<string>): string {
  const names: string[] = [];
  if (flags === KVM_MSR_FILTER_READ || flags === (KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE)) {
    names.push('KVM_MSR_FILTER_READ');
  }
  if (flags === KVM_MSR_FILTER_WRITE || flags === (KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE)) {
    names.push('KVM_MSR_FILTER_WRITE');
  }
  if (!names.length) return rustHex(flags >>> 0, 1);
  for (const n of names) used.add(n);
  return names.join(' | ');
}

function rustFilterFlags(flags: number, used: Set<string>): string {
  const name =
    flags === 0
      ? 'KVM_MSR_FILTER_DEFAULT_ALLOW'
      : flags === KVM_MSR_FILTER_DEFAULT_DENY
        ? 'KVM_MSR_FILTER_DEFAULT_DENY'
        : null;
  if (!name) return rustHex(flags >>> 0, 1);
  used.add(name);
  return name;
}

function rustExitMask(mask: bigint, used: Set<string>): string {
  if (mask !== 0n && (mask & ~7n) === 0n) {
    const names: string[] = [];
    if (mask & 1n) names.push('KVM_MSR_EXIT_REASON_INVAL');
    if (mask & 2n) names.push('KVM_MSR_EXIT_REASON_UNKNOWN');
    if (mask & 4n) names.push('KVM_MSR_EXIT_REASON_FILTER');
    for (const n of names) used.add(n);
    return names.length === 1 ? `${names[0]} as u64` : `(${names.join(' | ')}) as u64`;
  }
  return rustHex(mask, 1);
}

function wrap(items: string[], indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line} ${item},` : `${item},`;
    if (line && indent.length + next.length > 100) {
      lines.push(indent + line);
      line = `${item},`;
    } else line = next;
  }
  if (line) lines.push(indent + line);
  return lines;
}

function bitmapStatic(r: FilterRange, i: number): string[] {
  const count = bitmapWordCount(r);
  const lines = [`/// ${describeRange(r, i)}`];
  if (count === 0) return [];
  const kernelBytes = Math.ceil(r.nmsrs / 64) * 8;
  if (count * 8 !== kernelBytes) {
    lines.push(
      `/// The kernel refuses nmsrs 0x${r.nmsrs.toString(16)} (EINVAL) before it reads the bitmap, so only the bytes`,
      '/// the policy holds are given here.',
    );
  }
  const name = `BITMAP_${i}`;
  const words = bitmapWords(r, count);
  // The most common word fills the array; the others are set one by one (or all listed when most words differ).
  const tally = new Map<bigint, number>();
  for (const w of words) tally.set(w, (tally.get(w) ?? 0) + 1);
  let fill = 0n;
  let best = -1;
  for (const [w, n] of tally) {
    if (n > best) {
      fill = w;
      best = n;
    }
  }
  const exceptions = words.map((w, k) => [k, w] as const).filter(([, w]) => w !== fill);
  const fillText = fill === 0n ? '0' : fill === (1n << 64n) - 1n ? 'u64::MAX' : rustHex(fill, 16);
  if (exceptions.length === 0) {
    lines.push(`static ${name}: [u64; ${count}] = [${fillText}; ${count}];`);
  } else if (exceptions.length * 2 > count) {
    lines.push(
      `static ${name}: [u64; ${count}] = [`,
      ...wrap(
        words.map((w) => rustHex(w, 16)),
        '    ',
      ),
      '];',
    );
  } else {
    lines.push(`static ${name}: [u64; ${count}] = {`, `    let mut b = [${fillText}; ${count}];`);
    for (const [k, w] of exceptions) lines.push(`    b[${k}] = ${rustHex(w, 16)};`);
    lines.push('    b', '};');
  }
  return lines;
}

/**
 * Rust for rust-vmm's kvm-bindings: the bitmaps as `static` u64 arrays (the BITS_TO_LONGS(nmsrs) * 8 bytes the
 * kernel copies, little-endian words), `msr_filter()` building the `kvm_msr_filter`, and, when the document has an
 * exit mask, `user_space_msr_cap()` building the `kvm_enable_cap` for KVM_CAP_X86_USER_SPACE_MSR. Values the
 * kernel refuses are written as raw numbers, so the kernel's errno can be reproduced. Throws ExportError for more
 * than 16 ranges.
 */
export function policyToRust(policy: FilterPolicy, opts: ExportOptions = {}): string {
  checkRepresentable(policy);
  const name = opts.name ?? policy.name;
  const exits = opts.exits ?? null;
  const used = new Set<string>(['kvm_msr_filter']);
  const body: string[] = [];

  policy.ranges.forEach((r, i) => {
    const lines = bitmapStatic(r, i);
    if (lines.length) body.push(...lines, '');
  });

  if (exits !== null) {
    used.add('kvm_enable_cap').add('KVM_CAP_X86_USER_SPACE_MSR');
    body.push(
      `/// The KVM_CAP_X86_USER_SPACE_MSR exit reasons: ${describeExitMask(exits)}.`,
      `pub const EXIT_MASK: u64 = ${rustExitMask(exits, used)};`,
      '',
      '/// `vm.enable_cap(&user_space_msr_cap())` (kvm-ioctls) before installing the filter.',
      'pub fn user_space_msr_cap() -> kvm_enable_cap {',
      '    kvm_enable_cap {',
      '        cap: KVM_CAP_X86_USER_SPACE_MSR,',
      '        args: [EXIT_MASK, 0, 0, 0],',
      '        ..Default::default()',
      '    }',
      '}',
      '',
    );
  }

  body.push(
    '/// The filter. Its bitmap pointers point into the statics above, which live for the whole program; the kernel',
    '/// only reads them (and copies them during the ioctl).',
    'pub fn msr_filter() -> kvm_msr_filter {',
  );
  const filterFlags = rustFilterFlags(policy.flags, used);
  if (policy.ranges.length === 0) {
    body.push('    kvm_msr_filter {', `        flags: ${filterFlags},`, '        ..Default::default()', '    }');
  } else {
    used.add('kvm_msr_filter_range');
    body.push(
      '    let mut filter = kvm_msr_filter {',
      `        flags: ${filterFlags},`,
      '        ..Default::default()',
      '    };',
    );
    policy.ranges.forEach((r, i) => {
      const bitmap = bitmapWordCount(r) ? `BITMAP_${i}.as_ptr() as *mut u8` : 'std::ptr::null_mut()';
      body.push(
        `    // ${describeRange(r, i)}`,
        `    filter.ranges[${i}] = kvm_msr_filter_range {`,
        `        flags: ${rustRangeFlags(r.flags, used)},`,
        `        nmsrs: ${rustHex(r.nmsrs, 1)},`,
        `        base: ${rustHex(r.base, 8)},`,
        `        bitmap: ${bitmap},`,
        '    };',
      );
    });
    body.push('    filter');
  }
  body.push('}');

  const header = [
    `// MSR filter${name !== undefined ? ` "${commentText(name)}"` : ''} for KVM_X86_SET_MSR_FILTER, written by MSR Filter Playground.`,
    "// For rust-vmm's kvm-bindings (x86_64). With kvm-ioctls:",
    '//',
    '//     let vm = kvm_ioctls::Kvm::new()?.create_vm()?;',
    ...(exits !== null ? ['//     vm.enable_cap(&user_space_msr_cap())?;'] : []),
    '//     // kvm-ioctls with KVM_X86_SET_MSR_FILTER support (rust-vmm/kvm PR #359):',
    '//     unsafe { vm.set_msr_filter_unchecked(&msr_filter()) }?;',
    '//',
    '// (set_msr_filter_unchecked passes the struct as is; the checked set_msr_filter cannot express every value.)',
    '//',
    ...verdictLines(policy, opts.profile, opts.hostModel).map((l) => `// ${l}`),
    '//',
    "// Bitmaps: bit i (least significant first) of a range's bitmap allows MSR base + i; 0 denies.",
    '',
    ...importLine([...used].sort(byRustOrder)),
    '',
  ];
  return `${[...header, ...body].join('\n')}\n`;
}

function importLine(names: string[]): string[] {
  const one = `use kvm_bindings::{${names.join(', ')}};`;
  if (one.length <= 100) return [one];
  return ['use kvm_bindings::{', ...wrap(names, '    '), '};'];
}

/** rustfmt's import order: lowercase (types) before uppercase (constants), then alphabetical. */
function byRustOrder(a: string, b: string): number {
  const ua = a[0] === a[0].toUpperCase();
  const ub = b[0] === b[0].toUpperCase();
  if (ua !== ub) return ua ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
