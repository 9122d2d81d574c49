// @vitest-environment node
/**
 * The exported C and Rust, built with this machine's compilers and run on its /dev/kvm: the kernel must accept
 * every policy the linux-6.12 profile accepts and refuse every one it refuses, with the same errno.
 * Without gcc (or rustc, or /dev/kvm) a test says so on the console and checks only what it can.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ExportError,
  type FilterPolicy,
  getProfile,
  KVM_MSR_FILTER_MAX_MSRS,
  PRESETS,
  policyToC,
  policyToRust,
  validatePolicy,
} from '../core/index';
import { arbPolicy } from '../core/share/arbitraries';
import {
  compileC,
  ERRNO_NUMBERS,
  hasCommand,
  KVM_BINDINGS_STUB,
  kvmUsable,
  type RustCase,
  reportedErrno,
  run,
  rustHarness,
  Workdir,
} from './native-toolchain';

const NEWEST = getProfile('linux-6.12');
const GCC = hasCommand('gcc');
const RUSTC = hasCommand('rustc');
const KVM = kvmUsable();

interface Case {
  name: string;
  policy: FilterPolicy;
  exits: bigint | null;
}

const ones = (nmsrs: number) => new Uint8Array(Math.ceil(nmsrs / 8)).fill(0xff);
const range = (flags: number, base: number, nmsrs: number, bitmap: Uint8Array = new Uint8Array(0)) => ({
  flags,
  base,
  nmsrs,
  bitmap,
});

/** The kernel's answer predicted by the linux-6.12 profile: 'ok' or an errno name. */
function expected(c: Case): string {
  if (c.exits !== null && NEWEST.checksExitMask && c.exits & ~7n) return 'EINVAL';
  return validatePolicy(c.policy, NEWEST).error?.errno ?? 'ok';
}

/** Any values at all (most are refused), and plausible ones (most are accepted); reproducible. */
function randomPolicies(n: number): Case[] {
  const plausible: fc.Arbitrary<FilterPolicy> = fc.record({
    flags: fc.constantFrom(0, 1),
    ranges: fc.array(
      fc.record({
        flags: fc.constantFrom(1, 2, 3),
        base: fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 0x4000_0000, 0xc000_0000)),
        nmsrs: fc.oneof(fc.integer({ min: 0, max: 0x3000 }), fc.constant(0x3000)),
        bitmap: fc.uint8Array({ maxLength: 0x600 }),
      }),
      { maxLength: 16 },
    ),
  });
  const wild = fc.sample(
    arbPolicy.filter((p) => p.ranges.length <= 16),
    { numRuns: n, seed: 20261125 },
  );
  const tame = fc.sample(plausible, { numRuns: n, seed: 20261126 });
  return [
    ...wild.map((policy, i) => ({ name: `random policy ${i}`, policy, exits: null })),
    ...tame.map((policy, i) => ({ name: `random plausible policy ${i}`, policy, exits: i % 2 ? 7n : null })),
  ];
}

const CASES: Case[] = [
  ...PRESETS.map((p) => ({
    name: `preset ${p.id}`,
    policy: p.scenario.filter as FilterPolicy,
    exits: p.scenario.exits,
  })),
  { name: 'DEFAULT_ALLOW, no ranges', policy: { flags: 0, ranges: [] }, exits: null },
  { name: 'DEFAULT_DENY, no ranges (V1)', policy: { flags: 1, ranges: [] }, exits: null },
  { name: 'filter flags 0x2 (V3)', policy: { flags: 2, ranges: [range(1, 0, 1)] }, exits: null },
  { name: 'range flags 0 (V4)', policy: { flags: 0, ranges: [range(0, 0x10, 1)] }, exits: null },
  { name: 'range flags 0x4 (V5)', policy: { flags: 0, ranges: [range(4, 0x10, 1)] }, exits: null },
  {
    name: 'nmsrs 0 with garbage flags beside a valid range (V6)',
    policy: { flags: 1, ranges: [range(0xff, 0x1234, 0), range(1, 0, 8, new Uint8Array([1]))] },
    exits: null,
  },
  {
    name: 'nmsrs 0x3000 (V7)',
    policy: { flags: 0, ranges: [range(1, 0, KVM_MSR_FILTER_MAX_MSRS, ones(0x3000))] },
    exits: null,
  },
  { name: 'nmsrs 0x3001 (V8)', policy: { flags: 0, ranges: [range(1, 0, 0x3001, ones(0x3001))] }, exits: null },
  {
    name: 'nmsrs 0xffffffff',
    policy: { flags: 0, ranges: [range(3, 0, 0xffff_ffff, new Uint8Array([5]))] },
    exits: null,
  },
  {
    name: 'valid range, then an invalid one (V10)',
    policy: { flags: 0, ranges: [range(1, 0, 1), range(8, 0, 1)] },
    exits: null,
  },
  {
    name: 'base 0xffffff00 wraps',
    policy: { flags: 0, ranges: [range(3, 0xffff_ff00, 0x3000, ones(0x3000))] },
    exits: null,
  },
  { name: 'x2APIC covered', policy: { flags: 1, ranges: [range(3, 0x800, 0x100)] }, exits: 4n },
  { name: 'exit mask 0x8 is refused', policy: { flags: 0, ranges: [range(1, 0x35, 1)] }, exits: 8n },
  {
    name: '16 full ranges',
    policy: {
      flags: 1,
      ranges: Array.from({ length: 16 }, (_, i) => {
        const b = ones(0x3000);
        b[i * 7] = 0x5a;
        return range(1 + (i % 3), i * 0x3000, 0x3000, b);
      }),
    },
    exits: 7n,
  },
  ...randomPolicies(10),
];

const dir = new Workdir();
const outcomes: Record<string, number> = {};
afterAll(() => {
  dir.dispose();
  if (Object.keys(outcomes).length) console.info(`C export on the real kernel: ${JSON.stringify(outcomes)}`);
});

describe('policyToC, compiled with gcc -Wall -Wextra -Werror -std=gnu11 and run on /dev/kvm', () => {
  it('has what it needs (or says so)', () => {
    if (!GCC) console.warn('gcc is not installed: the C export is checked as text only.');
    if (!KVM) console.warn('/dev/kvm is not usable here: the compiled programs are not run.');
    expect(typeof GCC).toBe('boolean');
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i];
    const source = policyToC(c.policy, { exits: c.exits });
    expect(source).toContain('KVM_X86_SET_MSR_FILTER');
    if (!GCC) {
      expect(GCC).toBe(false);
      return;
    }
    const { binary, log } = compileC(dir, `case${i}`, source);
    expect(log).toBe('');
    expect(binary).not.toBeNull();
    if (!KVM || !binary) return;
    const r = run(binary, [], 20_000);
    const want = expected(c);
    outcomes[want] = (outcomes[want] ?? 0) + 1;
    if (want === 'ok') {
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
        status: 0,
        stdout: 'ok\n',
        stderr: '',
      });
    } else {
      expect(r.status).toBe(1);
      expect(reportedErrno(r.stderr)).toBe(want);
      expect(r.stderr).toMatch(
        new RegExp(`^KVM_(X86_SET_MSR_FILTER|ENABLE_CAP\\(KVM_CAP_X86_USER_SPACE_MSR\\)): ${want} \\(`),
      );
    }
  });

  it('a program exits 3 with a clear message where /dev/kvm cannot be opened', () => {
    if (!GCC) {
      expect(GCC).toBe(false);
      return;
    }
    // The same program with the device path pointed somewhere that does not exist.
    const source = policyToC(PRESETS[0].scenario.filter as FilterPolicy).replace('"/dev/kvm"', '"/dev/kvm-missing"');
    const { binary } = compileC(dir, 'nokvm', source);
    const r = run(binary as string, []);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('open /dev/kvm: ENOENT (No such file or directory)\n');
  });

  it('17 ranges cannot be written: struct kvm_msr_filter has 16 slots', () => {
    const policy: FilterPolicy = { flags: 0, ranges: Array.from({ length: 17 }, (_, i) => range(1, i, 1)) };
    expect(() => policyToC(policy)).toThrow(ExportError);
    expect(() => policyToC(policy)).toThrow(/ranges\[16\]: struct kvm_msr_filter has room for 16 ranges/);
    expect(() => policyToRust(policy)).toThrow(ExportError);
  });
});

describe('policyToRust, compiled with rustc against a stand-in for kvm-bindings and run on /dev/kvm', () => {
  it('compiles without warnings and the kernel gives the answers the profile predicts', () => {
    if (!RUSTC) {
      console.warn('rustc is not installed: the Rust export is checked as text only (src/core/export/*.test.ts).');
      expect(RUSTC).toBe(false);
      return;
    }
    const cases: RustCase[] = CASES.map((c, i) => {
      const id = `case${i}`;
      dir.file(`${id}.rs`, policyToRust(c.policy, { exits: c.exits }));
      return { id, source: '', hasExits: c.exits !== null };
    });
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
    const main = dir.file('main.rs', rustHarness(cases));
    const built = run(
      'rustc',
      [
        '--edition',
        '2021',
        '-D',
        'warnings',
        '--extern',
        `kvm_bindings=${dir.join('libkvm_bindings.rlib')}`,
        '-o',
        dir.join('rust-harness'),
        main,
      ],
      180_000,
    );
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const r = run(dir.join('rust-harness'), [], 60_000);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(CASES.length);
    CASES.forEach((c, i) => {
      const want = expected(c);
      const got = lines[i];
      if (!KVM) expect(got).toBe(`case${i} skipped`);
      else if (want === 'ok') expect(got, c.name).toBe(`case${i} ok`);
      else expect(got, c.name).toBe(`case${i} errno ${ERRNO_NUMBERS[want]}`);
    });
  });
});
