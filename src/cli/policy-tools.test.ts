import { describe, expect, it } from 'vitest';
import { formatTraceLine } from '../core/learn/trace-parser';
import { runCliInMemory as cli } from './run-cli-in-memory';

const policyJson = (text: string) =>
  JSON.parse(text) as { format: string; flags: string; ranges: { flags: string; base: string; nmsrs: number }[] };

describe('msrfilter pack', () => {
  it('packs a list with mixed access types into the fewest ranges (exit 0, the policy on stdout)', async () => {
    const r = await cli(['pack', 'list.txt'], { 'list.txt': '0x10 r\n0xc0000080-0xc0000081 rw\n' });
    expect(r.code).toBe(0);
    const p = policyJson(r.stdout);
    expect(p.format).toBe('msr-filter/1');
    expect(p.flags).toBe('DEFAULT_DENY');
    expect(p.ranges.map((x) => [x.flags, x.base, x.nmsrs])).toEqual([
      ['READ', '0x00000010', 1],
      ['READ|WRITE', '0xc0000080', 2],
    ]);
    expect(r.stderr).toMatch(/msrfilter pack: 2 range\(s\), 16 bitmap byte\(s\) for linux-6\.12/);
  });

  it('when no policy fits: says how many ranges the list needs, prints the nearest, exits 1', async () => {
    const list = Array.from({ length: 20 }, (_, i) => `0x${(i * 0x10000).toString(16)}`).join('\n');
    const r = await cli(['pack', 'l.txt'], { 'l.txt': list });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the exact policy needs 20 ranges; linux-6\.12 takes 16: this is the nearest that fits/);
    expect(r.stderr).toMatch(/NOT exact: the list needs 20 ranges/);
    expect(policyJson(r.stdout).ranges).toHaveLength(16);
  });

  it('rewrites a policy into a proven-equal smaller one (exit 0)', async () => {
    const policy = {
      format: 'msr-filter/1',
      flags: 'DEFAULT_DENY',
      ranges: [
        { flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' },
        { flags: 'READ', base: '0xc0000080', nmsrs: 2, bitmap: '03' },
        { flags: 'WRITE', base: '0xc0000080', nmsrs: 2, bitmap: '03' },
      ],
    };
    const r = await cli(['pack', 'p.json'], { 'p.json': JSON.stringify(policy) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/3 → 2 ranges, 24 → 16 bitmap bytes; no difference with the input/);
    expect(policyJson(r.stdout).ranges.map((x) => x.flags)).toEqual(['READ', 'READ|WRITE']);
  });

  it('a malformed list line exits 2 with its place', async () => {
    const r = await cli(['pack', 'l.txt'], { 'l.txt': '0x10\nNOT_AN_MSR r\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2/);
  });
});

describe('msrfilter lint', () => {
  const policy = JSON.stringify({
    format: 'msr-filter/1',
    flags: 'DEFAULT_ALLOW',
    ranges: [
      { flags: 'READ|WRITE', base: '0x10', nmsrs: 64, bitmap: '00' },
      { flags: 'READ', base: '0x20', nmsrs: 8, bitmap: 'ff' },
    ],
  });

  it('prints one line per finding with severity and rule; --fail-on decides the exit code', async () => {
    const r = await cli(['lint', 'p.json'], { 'p.json': policy });
    expect(r.stdout).toMatch(/^warning shadowed-range: ranges\[1\]: decides nothing for READ/m);
    expect(r.code).toBe(0); // nothing at error
    expect((await cli(['lint', 'p.json', '--fail-on', 'warning'], { 'p.json': policy })).code).toBe(1);
    const json = await cli(['lint', 'p.json', '--json'], { 'p.json': policy });
    const first = JSON.parse(json.stdout.split('\n')[0]);
    expect(Object.keys(first).sort()).toEqual(['bit', 'message', 'range', 'rule', 'severity']);
  });

  it('a bad --fail-on exits 2', async () => {
    expect((await cli(['lint', 'p.json', '--fail-on', 'loud'], { 'p.json': policy })).code).toBe(2);
  });
});

describe('msrfilter learn', () => {
  it('reports malformed lines with their numbers, skips them, and prints the learned policy', async () => {
    const trace = [
      '# tracer: nop',
      formatTraceLine({ op: 'read', index: 0x10, value: 5n, gp: false }),
      ' qemu-1 [000] ..... 1.000000: kvm_msr: msr_read zz = 0x1',
      formatTraceLine({ op: 'write', index: 0xc0000080, value: 0x500n, gp: false }),
    ].join('\n');
    const r = await cli(['learn', 't.trace', '--no-passthrough'], { 't.trace': trace });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/t\.trace:3: skipped: a kvm_msr line/);
    expect(r.stderr).toMatch(/2 access\(es\) read, 1 malformed line\(s\) skipped/);
    const p = policyJson(r.stdout);
    expect(p.flags).toBe('DEFAULT_DENY');
    expect(p.ranges.map((x) => [x.flags, x.base])).toEqual([
      ['READ', '0x00000010'],
      ['WRITE', '0xc0000080'],
    ]);
  });
});
