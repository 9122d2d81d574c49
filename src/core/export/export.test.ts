import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterPolicy, FilterRange } from '../policy/types';
import { PRESETS } from '../presets';
import { arbPolicy } from '../share/arbitraries';
import { meaningfulBitmap } from '../share/document';
import { policyToC } from './c';
import { bitmapWordCount, bitmapWords, commentText, ExportError, jsonText } from './common';
import { policyToRust } from './rust';

const range = (flags: number, base: number, nmsrs: number, bitmap: number[] | Uint8Array = [], comment?: string) => {
  const r: FilterRange = { flags, base, nmsrs, bitmap: Uint8Array.from(bitmap) };
  if (comment !== undefined) r.comment = comment;
  return r;
};

const small = (p: FilterPolicy) => p.ranges.length <= 16;

/** The words a C initializer gives each element: `[a ... b] = v`, `[i] = v`, or a positional list. */
function parseCBitmaps(source: string): Map<number, bigint[]> {
  const out = new Map<number, bigint[]>();
  const re = /static uint64_t bitmap_(\d+)\[(\d+)\](?: = \{([^}]*)\})?;/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const words: bigint[] = new Array(Number(m[2])).fill(0n);
    const body = m[3] ?? '';
    const items = body
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    items.forEach((item, k) => {
      const d = /^\[(\d+)(?: \.\.\. (\d+))?\] = (0x[0-9a-f]+)ULL$/.exec(item);
      if (d) {
        for (let w = Number(d[1]); w <= Number(d[2] ?? d[1]); w++) words[w] = BigInt(d[3]);
      } else {
        const p = /^(0x[0-9a-f]+)ULL$/.exec(item);
        if (!p) throw new Error(`unexpected initializer item ${item}`);
        words[k] = BigInt(p[1]);
      }
    });
    out.set(Number(m[1]), words);
  }
  return out;
}

/** The words of each Rust static: `[fill; n]`, a block with `b[k] = v;`, or a list. */
function parseRustBitmaps(source: string): Map<number, bigint[]> {
  const out = new Map<number, bigint[]>();
  const num = (s: string) => (s === 'u64::MAX' ? (1n << 64n) - 1n : BigInt(s.replace(/_/g, '')));
  const re = /static BITMAP_(\d+): \[u64; (\d+)\] = ([\s\S]*?);\n(?:\n|$)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const n = Number(m[2]);
    const init = m[3];
    let words: bigint[];
    const uniform = /^\[(\S+); \d+\]$/.exec(init);
    const block = /let mut b = \[(\S+); \d+\];([\s\S]*)\n\s*b\n\}$/.exec(init);
    if (uniform) words = new Array(n).fill(num(uniform[1]));
    else if (block) {
      words = new Array(n).fill(num(block[1]));
      for (const a of block[2].matchAll(/b\[(\d+)\] = (0x[0-9a-f_]+);/g)) words[Number(a[1])] = num(a[2]);
    } else {
      words = init
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(num);
    }
    expect(words).toHaveLength(n);
    out.set(Number(m[1]), words);
  }
  return out;
}

/** The bytes the kernel would copy for a range, from its policy (what the exported words must hold). */
function expectedWords(r: FilterRange): bigint[] {
  return bitmapWords({ ...r, bitmap: meaningfulBitmap(r) }, bitmapWordCount(r));
}

describe('bitmap words', () => {
  it('are little-endian 64-bit words: byte i is bits 8i..8i+7 of word i/8', () => {
    const r = range(1, 0, 128, [0x01, 0, 0, 0, 0, 0, 0, 0x80, 0xff]);
    expect(bitmapWords(r, 2)).toEqual([0x8000_0000_0000_0001n, 0xffn]);
  });

  it('are BITS_TO_LONGS(nmsrs) words, none for nmsrs 0, and only what is held for counts the kernel refuses', () => {
    expect(bitmapWordCount(range(1, 0, 1))).toBe(1);
    expect(bitmapWordCount(range(1, 0, 64))).toBe(1);
    expect(bitmapWordCount(range(1, 0, 65))).toBe(2);
    expect(bitmapWordCount(range(1, 0, 0x3000))).toBe(192);
    expect(bitmapWordCount(range(1, 0, 0x3001))).toBe(193);
    expect(bitmapWordCount(range(1, 0, 0))).toBe(0);
    expect(bitmapWordCount(range(1, 0, 0xffff_ffff, [1, 2, 3]))).toBe(1);
  });

  it('ignore bytes past ceil(nmsrs / 8)', () => {
    expect(bitmapWords(range(1, 0, 8, [0xff, 0xff]), 1)).toEqual([0xffn]);
  });
});

describe('policyToC', () => {
  const qemu = PRESETS[0].scenario;

  it('is a whole program: includes, the filter, KVM_CREATE_VM, the cap, the ioctl, errno names and exit codes', () => {
    const c = policyToC(qemu.filter as FilterPolicy, { exits: qemu.exits });
    for (const s of [
      '#include <linux/kvm.h>',
      'open("/dev/kvm", O_RDWR | O_CLOEXEC)',
      'KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER',
      'ioctl(kvm, KVM_CREATE_VM, 0)',
      '.cap = KVM_CAP_X86_USER_SPACE_MSR,',
      '.args = { KVM_MSR_EXIT_REASON_FILTER },',
      'ioctl(vm, KVM_X86_SET_MSR_FILTER, &filter)',
      'case EINVAL: return "EINVAL";',
      'return fail(3, "open /dev/kvm");',
      'return fail(1, "KVM_X86_SET_MSR_FILTER");',
      'printf("ok\\n");',
      'int main(void)',
      '.flags = KVM_MSR_FILTER_DEFAULT_ALLOW,',
      '[0] = { .flags = KVM_MSR_FILTER_READ, .nmsrs = 0x1, .base = 0x00000035, .bitmap = (__u8 *)bitmap_0 },',
      '/* ranges[0]: READ, MSR 0x00000035, nmsrs 0x1 */',
      'static uint64_t bitmap_0[1]; /* all zero: every MSR of the range denied */',
      'MSR filter "QEMU default"',
      'Expected on Linux 6.12+ (newest): accepted (1 active range).',
    ]) {
      expect(c).toContain(s);
    }
  });

  it('leaves the capability alone without an exit mask, and writes masks the kernel refuses as numbers', () => {
    const p: FilterPolicy = { flags: 0, ranges: [] };
    const none = policyToC(p);
    expect(none).not.toContain('KVM_ENABLE_CAP');
    expect(none).not.toContain('.ranges');
    expect(policyToC(p, { exits: 8n })).toContain('.args = { 0x8ULL },');
    expect(policyToC(p, { exits: 7n })).toContain(
      '.args = { KVM_MSR_EXIT_REASON_INVAL | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER },',
    );
  });

  it('writes values the kernel refuses as raw numbers and says what the kernel will answer', () => {
    const c = policyToC({ flags: 2, ranges: [range(0, 0, 1), range(0xffff_ffff, 0x10, 0), range(4, 0, 0x3001, [1])] });
    expect(c).toContain('.flags = 0x2u,');
    expect(c).toContain('[0] = { .flags = 0x0u, .nmsrs = 0x1,');
    expect(c).toContain('[1] = { .flags = 0xffffffffu, .nmsrs = 0x0, .base = 0x00000010, .bitmap = NULL },');
    expect(c).toContain('static uint64_t bitmap_2[193] = {');
    expect(c).toContain('Expected on Linux 6.12+ (newest): refused with EINVAL: flags 0x2 has bits outside');
    expect(policyToC({ flags: 0, ranges: [range(1, 0, 0xffff_ffff, [1])] })).toMatch(
      /refuses nmsrs 0xffffffff \(EINVAL\) before it reads the bitmap[\s\S]*static uint64_t bitmap_0\[1\] = \{/,
    );
  });

  it('names each range in a comment, with its comment made safe for C', () => {
    const c = policyToC({
      name: 'evil */ name /* ??/',
      flags: 0,
      ranges: [range(3, 0xc000_0080, 8, [1], 'EFER */ #include <x>\nnext line'), range(1, 0xffff_ffff, 2)],
    });
    expect(c).toContain('MSR filter "evil * / name / * ? ?/"');
    expect(c).toContain(
      '/* ranges[0] "EFER * / #include <x> next line": READ|WRITE, MSRs 0xc0000080-0xc0000087, nmsrs 0x8 */',
    );
    expect(c).toContain(
      '/* ranges[1]: READ, MSRs 0xffffffff and up (base + nmsrs wraps past 0xffffffff), nmsrs 0x2 */',
    );
    // Only the program's own comment delimiters remain.
    const stripped = c.replace(/\/\*[\s\S]*?\*\//g, '');
    expect(stripped).not.toMatch(/\/\*|\*\//);
    expect(commentText('a\u2028b\tc')).toBe('a b c');
  });

  it('writes bidi controls and other invisible or control characters in names and comments as <U+XXXX>', () => {
    expect(commentText('admin\u202e\u2066 */txt.exe\u2069\u202c')).toBe(
      'admin<U+202E><U+2066> * /txt.exe<U+2069><U+202C>',
    );
    expect(commentText('\u200e\u200f\u061c\u200b\ufeff\u00ad')).toBe(
      '<U+200E><U+200F><U+061C><U+200B><U+FEFF><U+00AD>',
    );
    expect(commentText('\u0000\u001b[0m\u007f\u009b')).toBe('<U+0000><U+001B>[0m<U+007F><U+009B>');
    expect(commentText('lone \ud800 high, tag \u{e0041}, nonchar \uffff')).toBe(
      'lone <U+D800> high, tag <U+E0041>, nonchar <U+FFFF>',
    );
    expect(commentText('naïve 日本語 emoji 👍🏽 and ZWJ-free text')).toBe('naïve 日本語 emoji 👍🏽 and ZWJ-free text');
    const c = policyToC({ name: 'a\u202eb', flags: 0, ranges: [range(1, 0x10, 1, [1], 'c\u2067d')] });
    expect(c).toContain('MSR filter "a<U+202E>b"');
    expect(c).toContain('/* ranges[0] "c<U+2067>d"');
    const rust = policyToRust({ name: 'a\u202eb', flags: 0, ranges: [range(1, 0x10, 1, [1], 'c\u2067d')] });
    expect(rust).toContain('// MSR filter "a<U+202E>b"');
    expect(rust).toContain('/// ranges[0] "c<U+2067>d"');
  });

  it('escapes the same characters in JSON as \\u escapes, which read back as the same text', () => {
    const text = jsonText({ name: 'a\u202eb\u2028c\u{e0041}', n: [1] });
    expect(text).toBe('{\n  "name": "a\\u202eb\\u2028c\\udb40\\udc41",\n  "n": [\n    1\n  ]\n}');
    expect(JSON.parse(text)).toEqual({ name: 'a\u202eb\u2028c\u{e0041}', n: [1] });
  });

  it('uses GNU range designators for runs and a plain list for dense bitmaps', () => {
    const t2 = PRESETS[1].scenario.filter as FilterPolicy;
    const c = policyToC(t2);
    expect(c).toContain('[0 ... 191] = 0xffffffffffffffffULL,');
    expect(c).toContain(
      '[0 ... 6] = 0xffffffffffffffffULL, [7] = 0xefffffffffffffffULL, [8 ... 191] = 0xffffffffffffffffULL,',
    );
    const dense = policyToC({
      flags: 0,
      ranges: [
        range(
          1,
          0,
          192,
          Array.from({ length: 24 }, (_, i) => i + 1),
        ),
      ],
    });
    expect(dense).toContain('0x0807060504030201ULL, 0x100f0e0d0c0b0a09ULL, 0x1817161514131211ULL,');
  });

  it('the initializers hold exactly the bytes the kernel copies, for any policy (300 runs)', () => {
    fc.assert(
      fc.property(arbPolicy.filter(small), (policy) => {
        const words = parseCBitmaps(policyToC(policy));
        policy.ranges.forEach((r, i) => {
          if (r.nmsrs === 0) expect(words.has(i)).toBe(false);
          else expect(words.get(i)).toEqual(expectedWords(r));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses more than 16 ranges with an ExportError naming the 17th', () => {
    const p: FilterPolicy = { flags: 0, ranges: Array.from({ length: 17 }, (_, i) => range(1, i, 1)) };
    expect(() => policyToC(p)).toThrow(ExportError);
    expect(() => policyToC(p)).toThrow(/^ranges\[16\]: struct kvm_msr_filter has room for 16 ranges/);
    expect(() => policyToC({ ...p, ranges: p.ranges.slice(0, 16) })).not.toThrow();
  });
});

describe('the header names the host model the document was simulated on', () => {
  const policy = PRESETS[0].scenario.filter ?? { flags: 0, ranges: [] };
  it('in C and Rust, with how the model is known', () => {
    const c = policyToC(policy, { hostModel: 'vmx' });
    expect(c).toContain('Simulated on host model vmx (kvm_intel (VMX)');
    expect(c).toContain('from source).');
    expect(policyToRust(policy, { hostModel: 'pvm-amd' })).toMatch(
      /\/\/ Simulated on host model pvm-amd \(.*; measured\)/,
    );
  });
  it('names none when the document names none', () => {
    expect(policyToC(policy)).not.toContain('Simulated on host model');
  });
});

describe('policyToRust', () => {
  it("uses kvm-bindings' types and constants, statics for the bitmaps and a function per struct", () => {
    const t2 = PRESETS[1].scenario;
    const rs = policyToRust(t2.filter as FilterPolicy, { exits: t2.exits });
    for (const s of [
      'use kvm_bindings::{',
      'kvm_enable_cap, kvm_msr_filter, kvm_msr_filter_range, KVM_CAP_X86_USER_SPACE_MSR,',
      'static BITMAP_0: [u64; 192] = [u64::MAX; 192];',
      'static BITMAP_1: [u64; 192] = {\n    let mut b = [u64::MAX; 192];\n    b[7] = 0xefff_ffff_ffff_ffff;\n    b\n};',
      'pub const EXIT_MASK: u64 = (KVM_MSR_EXIT_REASON_INVAL | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER) as u64;',
      'pub fn user_space_msr_cap() -> kvm_enable_cap {',
      'args: [EXIT_MASK, 0, 0, 0],',
      'pub fn msr_filter() -> kvm_msr_filter {',
      'flags: KVM_MSR_FILTER_DEFAULT_DENY,',
      '    filter.ranges[5] = kvm_msr_filter_range {\n        flags: KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,\n        nmsrs: 0x1,\n        base: 0xdead_beef,\n        bitmap: BITMAP_5.as_ptr() as *mut u8,\n    };',
      'unsafe { vm.set_msr_filter_unchecked(&msr_filter()) }?;',
    ]) {
      expect(rs).toContain(s);
    }
  });

  it('imports only what it uses, and writes refused values as numbers', () => {
    const rs = policyToRust({ flags: 0x2, ranges: [range(4, 0x10, 0), range(0, 0, 1, [1])] });
    expect(rs).toContain('use kvm_bindings::{kvm_msr_filter, kvm_msr_filter_range};');
    expect(rs).toContain('flags: 0x2,');
    expect(rs).toContain(
      'flags: 0x4,\n        nmsrs: 0x0,\n        base: 0x0000_0010,\n        bitmap: std::ptr::null_mut(),',
    );
    expect(rs).not.toContain('BITMAP_0');
    expect(rs).not.toContain('user_space_msr_cap');
    const empty = policyToRust({ flags: 0, ranges: [] });
    expect(empty).toContain('use kvm_bindings::{kvm_msr_filter, KVM_MSR_FILTER_DEFAULT_ALLOW};');
    expect(empty).toContain(
      '    kvm_msr_filter {\n        flags: KVM_MSR_FILTER_DEFAULT_ALLOW,\n        ..Default::default()\n    }',
    );
  });

  it('the statics hold exactly the bytes the kernel copies, for any policy (300 runs)', () => {
    fc.assert(
      fc.property(arbPolicy.filter(small), (policy) => {
        const words = parseRustBitmaps(policyToRust(policy));
        policy.ranges.forEach((r, i) => {
          if (r.nmsrs === 0) expect(words.has(i)).toBe(false);
          else expect(words.get(i)).toEqual(expectedWords(r));
        });
      }),
      { numRuns: 300 },
    );
  });
});
