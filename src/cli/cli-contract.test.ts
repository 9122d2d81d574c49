// @vitest-environment node
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInMemory } from './run-cli-in-memory';

const cli = runCliInMemory;

const scenario = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'msr-scenario/1', steps, ...extra });

describe('msrfilter run', () => {
  it('prints one JSON line per step in the contract format and exits 0 whatever the guest saw', async () => {
    const text = scenario(
      [
        { op: 'rdmsr', index: '0x10' },
        { op: 'rdmsr', index: 0x12345678 },
        { op: 'set-filter', filter: null },
      ],
      {
        exits: ['unknown'],
      },
    );
    const r = await cli(['run', 's.json'], { 's.json': text });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual([
      'step',
      'op',
      'index',
      'host',
      'decision',
      'exit',
      'result',
      'value',
      'range',
    ]);
    expect(lines[0]).toMatchObject({
      step: 0,
      op: 'rdmsr',
      index: '0x00000010',
      host: false,
      decision: 'allow',
      exit: null,
      result: 'ok',
    });
    expect(lines[0].value).toMatch(/^0x[0-9a-f]{16}$/);
    expect(lines[1]).toMatchObject({
      decision: 'gp',
      exit: { reason: 'unknown' },
      result: 'gp',
      value: null,
      range: null,
    });
    expect(lines[2]).toMatchObject({ step: 2, op: 'set-filter', errno: null });
  });
  it('--trace adds the path of each access', async () => {
    const r = await cli(['run', '--trace', 's.json'], { 's.json': scenario([{ op: 'rdmsr', index: '0x10' }]) });
    expect(JSON.parse(r.stdout).trace.join('\n')).toMatch(/no filter installed/);
  });
  it('notes a refused initial filter on stderr', async () => {
    const r = await cli(['run', 's.json'], {
      's.json': scenario([], { filter: { flags: 'DEFAULT_DENY', ranges: [] } }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/filter: EINVAL/);
  });
});

describe('malformed input exits 2 with one line naming the place', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"steps": [', /^s\.json: not valid JSON/],
    [
      'a wrong type',
      scenario([{ op: 'rdmsr', index: true }]),
      /^steps\[0\]\.index: expected a number or a numeric string, got true$/,
    ],
    ['an unknown op', scenario([{ op: 'cpuid' }]), /^steps\[0\]\.op: unknown op "cpuid"/],
    [
      'an index past 32 bits',
      scenario([{ op: 'rdmsr', index: '0x1ffffffff' }]),
      /^steps\[0\]\.index: 0x1ffffffff is not a 32-bit MSR index$/,
    ],
    [
      'a bitmap that is not hex',
      scenario([], { filter: { ranges: [{ flags: 'READ', base: 0, nmsrs: 8, bitmap: 'zz' }] } }),
      /^filter\.ranges\[0\]\.bitmap: is not a hex string/,
    ],
    [
      'an unknown flag',
      scenario([], { filter: { ranges: [{ flags: 'EXECUTE', base: 0, nmsrs: 8 }] } }),
      /^filter\.ranges\[0\]\.flags: unknown flag "EXECUTE"/,
    ],
    [
      'a value past 64 bits',
      scenario([{ op: 'wrmsr', index: 0, value: '0x10000000000000000' }]),
      /^steps\[0\]\.value: .* does not fit in 64 bits$/,
    ],
    ['a missing value', scenario([{ op: 'wrmsr', index: 0 }]), /^steps\[0\]\.value: is required for wrmsr$/],
    ['an unknown profile', scenario([], { profile: 'linux-2.6' }), /^profile: unknown profile "linux-2.6"/],
    ['steps not an array', JSON.stringify({ steps: {} }), /^steps: expected an array, got an object$/],
    [
      'a negative number',
      scenario([{ op: 'rdmsr', index: -1 }]),
      /^steps\[0\]\.index: -1 is not a non-negative integer$/,
    ],
  ];
  it.each(cases)('%s', async (_name, text, message) => {
    const r = await cli(['run', 's.json'], { 's.json': text });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
  it('a missing file', async () => {
    const r = await cli(['run', 'nope.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read nope\.json: ENOENT/);
  });
  it('an unknown command or option', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['run', '--fast', 'x'])).code).toBe(2);
  });
});

describe('msrfilter validate', () => {
  const policy = (p: unknown) => ({ 'p.json': JSON.stringify(p) });
  it('exits 0 when the kernel accepts the policy', async () => {
    const r = await cli(
      ['validate', 'p.json'],
      policy({ flags: 0, ranges: [{ flags: 'READ', base: '0x35', nmsrs: 1, bitmap: '00' }] }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: linux-6.12 accepts/);
  });
  it('exits 1 with the errno, the range and the rule when it would refuse it', async () => {
    const r = await cli(
      ['validate', 'p.json'],
      policy({
        ranges: [
          { flags: 'READ', base: 0, nmsrs: 1 },
          { flags: 4, base: 0, nmsrs: 1 },
        ],
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('EINVAL: ranges[1]: flags 0x4 has bits other than READ (0x1) and WRITE (0x2)\n');
  });
  it('follows --profile: filter flags 0x2 pass on 5.10 and fail on 6.12', async () => {
    const p = policy({ flags: 2, ranges: [{ flags: 'READ', base: 0, nmsrs: 1 }] });
    expect((await cli(['validate', 'p.json', '--profile', 'linux-5.10'], p)).code).toBe(0);
    expect((await cli(['validate', 'p.json', '--profile', 'linux-6.12'], p)).code).toBe(1);
    expect((await cli(['validate', 'p.json', '--profile', 'linux-9'], p)).code).toBe(2);
  });
});

describe('the installed command', () => {
  const bin = join(process.cwd(), 'bin/msrfilter.mjs');
  it('works as a process: stdin, JSON Lines, exit codes, no stack trace', () => {
    const ok = execFileSync(process.execPath, [bin, 'run', '-'], {
      input: scenario([{ op: 'rdmsr', index: '0x1b' }]),
    }).toString();
    expect(JSON.parse(ok)).toMatchObject({ decision: 'allow', value: '0x00000000fee00900' });
    const bad = spawnSync(process.execPath, [bin, 'run', '-'], { input: 'not json' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).not.toMatch(/at .*\.ts:\d+/);
  });

  it("--version prints the package's version (-V too), and nothing else", async () => {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(process.execPath, [bin, '--version']).toString()).toBe(`${pkg.version}\n`);
    expect(await cli(['-V'])).toEqual({ code: 0, stdout: '0.0.0-test\n', stderr: '' });
  });
});
