// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { runCliInMemory as cli } from './run-cli-in-memory';

const scenario = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'msr-scenario/1', steps, ...extra });

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** Exit 2, nothing on stdout, exactly one line on stderr; returns that line. */
async function malformed(argv: string[], files: Record<string, string>): Promise<string> {
  const r = await cli(argv, files);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const err = r.stderr.trimEnd().split('\n');
  expect(err).toHaveLength(1);
  return err[0];
}

describe('input edge cases of the CLI contract', () => {
  it('accepts a file that starts with a UTF-8 byte order mark', async () => {
    const bom = '\uFEFF';
    const r = await cli(['run', 's.json'], { 's.json': bom + scenario([{ op: 'rdmsr', index: '0x1b' }]) });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[0]).toMatchObject({ index: '0x0000001b', result: 'ok' });
    const v = await cli(['validate', 'p.json'], { 'p.json': `${bom}{"ranges":[]}` });
    expect(v.code).toBe(0);
  });

  it('names of Object.prototype members are unknown exit reasons, not a crash', async () => {
    for (const exits of ['constructor', '__proto__', 'hasOwnProperty', ['valueOf']]) {
      expect(await malformed(['run', 's.json'], { 's.json': scenario([], { exits }) })).toMatch(
        /^exits(\[0\])?: unknown exit reason/,
      );
      expect(await malformed(['run', 's.json'], { 's.json': scenario([{ op: 'set-exits', exits }]) })).toMatch(
        /^steps\[0\]\.exits(\[0\])?: unknown exit reason/,
      );
    }
    const flags = await malformed(['run', 's.json'], {
      's.json': scenario([], { filter: { ranges: [{ flags: 'constructor', base: 0, nmsrs: 1 }] } }),
    });
    expect(flags).toMatch(/^filter\.ranges\[0\]\.flags: unknown flag "constructor"/);
  });

  it('symbolic flags may carry raw numbers, so that "READ|0x4" reaches the kernel check', async () => {
    const r = await cli(['run', 's.json'], {
      's.json': scenario(
        [
          { op: 'set-filter', filter: { ranges: [{ flags: 'READ|0x4', base: 0, nmsrs: 1 }] } },
          { op: 'set-exits', exits: 'filter|0x8' },
          { op: 'set-exits', exits: 'filter | 2' },
          { op: 'rdmsr', index: '0x12345678' },
        ],
        {
          filter: {
            flags: 'DEFAULT_ALLOW|0',
            ranges: [{ flags: ' 1 | WRITE ', base: '0x1b', nmsrs: 1, bitmap: '01' }],
          },
        },
      ),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out[0]).toMatchObject({ op: 'set-filter', errno: 'EINVAL' });
    expect(out[0].message).toMatch(/flags 0x5/);
    expect(out[1]).toMatchObject({ op: 'set-exits', errno: 'EINVAL' });
    expect(out[2]).toMatchObject({ op: 'set-exits', errno: null });
    expect(out[3]).toMatchObject({ decision: 'gp', exit: { reason: 'unknown' } });
    const v = await cli(['validate', 'p.json'], { 'p.json': '{"ranges":[{"flags":"READ|4","base":0,"nmsrs":1}]}' });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^EINVAL: ranges\[0\]: flags 0x5/);
  });

  it('zero-padded numbers are numbers however long; absurdly long ones are refused in one short line', async () => {
    const index = `0x${'0'.repeat(60)}1b`;
    const value = `${'0'.repeat(50)}18446744073709551615`;
    const r = await cli(['run', 's.json'], {
      's.json': scenario([
        { op: 'wrmsr', index: '0x1fc', value },
        { op: 'rdmsr', index: '0x1fc' },
        { op: 'rdmsr', index },
      ]),
    });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[1].value).toBe('0xffffffffffffffff');
    expect(out[2].index).toBe('0x0000001b');
    const huge = `0x1${'0'.repeat(5000)}`;
    const line = await malformed(['run', 's.json'], { 's.json': scenario([{ op: 'rdmsr', index: huge }]) });
    expect(line).toMatch(/^steps\[0\]\.index: "0x10+…" is far too large$/);
    expect(line.length).toBeLessThan(200);
  });

  it('a step without an op says that op is required', async () => {
    expect(await malformed(['run', 's.json'], { 's.json': scenario([{ index: 16 }]) })).toMatch(
      /^steps\[0\]\.op: is required/,
    );
  });

  it('a scenario without "format" is still a scenario for export and validate; a policy is not a scenario', async () => {
    const noFormat = JSON.stringify({
      exits: ['filter'],
      filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] },
      steps: [{ op: 'rdmsr', index: '0x10' }],
    });
    const json = await cli(['export', 's.json', '--to', 'json'], { 's.json': noFormat });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ flags: 'DEFAULT_DENY', ranges: [{ base: '0x00000010' }] });
    const url = (await cli(['export', 's.json', '--to', 'url'], { 's.json': noFormat })).stdout.trim();
    const back = await cli(['import', url, '--scenario']);
    expect(JSON.parse(back.stdout)).toMatchObject({ exits: ['filter'], steps: [{ op: 'rdmsr', index: '0x00000010' }] });
    expect(await malformed(['validate', 's.json'], { 's.json': noFormat })).toMatch(
      /^\(policy\): this is an msr-scenario\/1 scenario/,
    );
    expect(await malformed(['run', 'p.json'], { 'p.json': '{"flags":"DEFAULT_DENY","ranges":[]}' })).toMatch(
      /^\(scenario\): this is an msr-filter\/1 policy/,
    );
  });

  it('usage errors are one line too; --help prints the usage on stdout', async () => {
    for (const argv of [
      ['run'],
      ['frobnicate'],
      ['run', '--fast', 'x'],
      ['export', 'p.json'],
      ['validate', '--profile'],
    ]) {
      expect(await malformed(argv, {})).toMatch(/^msrfilter: .*\(see msrfilter --help\)$/);
    }
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:/);
  });

  it('runs more than 100,000 steps, one line each', async () => {
    const steps = Array.from({ length: 100_001 }, (_, i) => ({ op: 'rdmsr', index: i % 0x20 }));
    const r = await cli(['run', 's.json'], { 's.json': scenario(steps) });
    expect(r.code).toBe(0);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(100_001);
    expect(JSON.parse(out[100_000])).toMatchObject({ step: 100_000, index: '0x00000000' });
  });
});
