// @vitest-environment node
/**
 * Names and comments in every export are sanitised (issue 15): bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E,
 * U+200F, U+061C) and other control, format and invisible characters never reach the exported text raw. Fuzzed
 * names and range comments, many per compile: the C through `gcc -Wall -Wextra -Werror -Wbidi-chars=any
 * -fsyntax-only`, the Rust through `rustc -D warnings` (which refuses a bidi control even in a comment).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type FilterPolicy, jsonText, policyFromJson, policyToC, policyToJson, policyToRust } from '../core/index';
import { hasCommand, KVM_BINDINGS_STUB, run, Workdir } from './native-toolchain';

const GCC = hasCommand('gcc');
const RUSTC = hasCommand('rustc');
/** -Wbidi-chars is GCC 12 and later: asked for when this gcc knows it. */
const BIDI_FLAGS = (() => {
  if (!GCC) return [];
  const probe = run('gcc', ['-Wbidi-chars=any', '-Werror=bidi-chars', '-fsyntax-only', '-x', 'c', '/dev/null']);
  return probe.status === 0 ? ['-Wbidi-chars=any', '-Werror=bidi-chars'] : [];
})();
const C_FLAGS = ['-Wall', '-Wextra', '-Werror', '-std=gnu11', ...BIDI_FLAGS, '-fsyntax-only'];

const BIDI = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
];
/** What a name may hold that is dangerous somewhere: bidi, controls, invisible characters, comment syntax. */
const NASTY = [
  ...BIDI,
  '\u061c',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u00ad',
  '\u200b',
  '\u200d',
  '\u2028',
  '\u2029',
  '\u2060',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
  '\u{e0041}',
  '\u{10ffff}',
  '\n',
  '\r\n',
  '\t',
  '\\',
  '"',
  "'",
  '*/',
  '/*',
  '//',
  '*',
  '/',
  '??/',
  '??=',
  '#include <x>',
  '}',
  '`',
];

const arbText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      // any UTF-16 unit, lone surrogates included
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) },
      { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

const arbNamedPolicy: fc.Arbitrary<FilterPolicy> = fc
  .record({ name: arbText, comments: fc.array(fc.option(arbText, { nil: undefined }), { minLength: 1, maxLength: 3 }) })
  .map(({ name, comments }) => ({
    name,
    flags: 0,
    ranges: comments.map((comment, i) => ({
      flags: 3,
      base: 0x100 * i,
      nmsrs: 8,
      bitmap: new Uint8Array([0x5a]),
      ...(comment === undefined ? {} : { comment }),
    })),
  }));

/** Everything that must never be in exported text raw (the layout's own \n and \t aside). */
const UNSAFE = /[\p{Cf}\p{Cs}\p{Cn}\u2028\u2029]|(?![\n\t])\p{Cc}/u;

const BATCH = 120;
const dir = new Workdir();
afterAll(() => dir.dispose());

/** The first line of a compiler's complaint with the policy it came from. */
function blame(log: string, batch: readonly FilterPolicy[]): string {
  const m = /case(\d+)\.(c|rs)/.exec(log);
  const p = m ? batch[Number(m[1])] : undefined;
  return `${log.split('\n').slice(0, 6).join('\n')}\n(name ${JSON.stringify(p?.name)}, comments ${JSON.stringify(p?.ranges.map((r) => r.comment))})`;
}

function compileCBatch(batch: readonly FilterPolicy[], tag: string): { status: number | null; log: string } {
  const files = batch.map((p, i) => dir.file(`${tag}-case${i}.c`, policyToC(p, { exits: 7n })));
  const r = run('gcc', [...C_FLAGS, ...files], 180_000);
  return { status: r.status, log: r.stderr + r.stdout };
}

let stubBuilt = false;
function compileRustBatch(batch: readonly FilterPolicy[], tag: string): { status: number | null; log: string } {
  if (!stubBuilt) {
    const stub = dir.file('kvm_bindings.rs', KVM_BINDINGS_STUB);
    const lib = run('rustc', [
      '--edition',
      '2021',
      '--crate-type',
      'rlib',
      '--crate-name',
      'kvm_bindings',
      '-o',
      dir.join('libkvm_bindings.rlib'),
      stub,
    ]);
    expect(lib.stderr).toBe('');
    stubBuilt = true;
  }
  const mods = batch.map((p, i) => {
    dir.file(`${tag}-case${i}.rs`, policyToRust(p, { exits: 7n }));
    return `#[allow(dead_code)]\n#[path = "${tag}-case${i}.rs"]\nmod case${i};`;
  });
  const lib = dir.file(`${tag}-lib.rs`, `${mods.join('\n')}\n`);
  const r = run(
    'rustc',
    [
      '--edition',
      '2021',
      '--crate-type',
      'lib',
      '--crate-name',
      `sanitise_${tag}`,
      '--emit=metadata',
      '-D',
      'warnings',
      '--extern',
      `kvm_bindings=${dir.join('libkvm_bindings.rlib')}`,
      '-o',
      dir.join(`${tag}.rmeta`),
      lib,
    ],
    180_000,
  );
  return { status: r.status, log: r.stderr + r.stdout };
}

describe('exported names and comments are sanitised', () => {
  it('no control, format, bidi or invisible character reaches the C, Rust or JSON text raw (2,000 runs)', () => {
    fc.assert(
      fc.property(arbNamedPolicy, (p) => {
        for (const text of [policyToC(p), policyToRust(p), jsonText(policyToJson(p))]) {
          const bad = UNSAFE.exec(text);
          expect(bad && `U+${bad[0].codePointAt(0)?.toString(16)}`).toBeNull();
        }
        for (const ch of BIDI) expect(policyToC(p).includes(ch) || policyToRust(p).includes(ch)).toBe(false);
      }),
      { numRuns: 2000, seed: 1515 },
    );
  });

  it('the JSON export still reads back as the same policy, names and comments unchanged (500 runs)', () => {
    fc.assert(
      fc.property(arbNamedPolicy, (p) => {
        const text = jsonText(policyToJson(p));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(policyToJson(p))));
        const back = policyFromJson(JSON.parse(text));
        expect(back.name).toBe(p.name);
        expect(back.ranges.map((r) => r.comment)).toEqual(p.ranges.map((r) => r.comment));
      }),
      { numRuns: 500, seed: 1516 },
    );
  });

  it(`gcc ${C_FLAGS.join(' ')} accepts the C of ${BATCH} fuzzed names per compile`, () => {
    if (!GCC) {
      console.warn('gcc is not installed: the C export is checked as text only.');
      expect(GCC).toBe(false);
      return;
    }
    // The check has teeth: the same compile refuses a raw U+202E in a comment.
    const raw = policyToC({ flags: 0, ranges: [] }).replace('MSR filter', 'MSR filter \u202e');
    const refused = run('gcc', [...C_FLAGS, dir.file('raw.c', raw)]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(BIDI_FLAGS.length ? /bidi-chars|U\+202E/ : /./);
    let round = 0;
    fc.assert(
      fc.property(fc.array(arbNamedPolicy, { minLength: BATCH, maxLength: BATCH }), (batch) => {
        const r = compileCBatch(batch, `c${round++}`);
        expect(r.status, blame(r.log, batch)).toBe(0);
        expect(r.log, blame(r.log, batch)).toBe('');
      }),
      { numRuns: 2, seed: 1517, endOnFailure: true },
    );
  });

  it(`rustc -D warnings accepts the Rust of ${BATCH} fuzzed names per compile`, () => {
    if (!RUSTC) {
      console.warn('rustc is not installed: the Rust export is checked as text only.');
      expect(RUSTC).toBe(false);
      return;
    }
    // The check has teeth: rustc refuses a bidi control in a comment, even a paired one.
    const raw = policyToRust({ flags: 0, ranges: [] }).replace('MSR filter', 'MSR filter \u202eevil\u202c');
    const empty = compileRustBatch([], 'raw'); // builds the kvm-bindings stand-in
    expect(empty.status).toBe(0);
    dir.file('raw-case0.rs', raw);
    const lib = dir.file('raw2-lib.rs', '#[allow(dead_code)]\n#[path = "raw-case0.rs"]\nmod case0;\n');
    const r0 = run('rustc', [
      '--edition',
      '2021',
      '--crate-type',
      'lib',
      '--emit=metadata',
      '--extern',
      `kvm_bindings=${dir.join('libkvm_bindings.rlib')}`,
      '-o',
      dir.join('raw2.rmeta'),
      lib,
    ]);
    expect(r0.status).not.toBe(0);
    expect(r0.stderr).toMatch(/text_direction_codepoint_in_comment|unicode codepoint changing visible direction/);
    let round = 0;
    fc.assert(
      fc.property(fc.array(arbNamedPolicy, { minLength: BATCH, maxLength: BATCH }), (batch) => {
        const r = compileRustBatch(batch, `r${round++}`);
        expect(r.status, blame(r.log, batch)).toBe(0);
        expect(r.log, blame(r.log, batch)).toBe('');
      }),
      { numRuns: 3, seed: 1518, endOnFailure: true },
    );
  });
});
