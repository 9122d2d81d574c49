import { describe, expect, it } from 'vitest';
import { bitmapToHex } from '../policy/bitmap';
import { stepResultToJson } from './results-jsonl';
import { runScenario } from './run-scenario';
import { scenarioFromJson } from './scenario-json';

/** Runs an msr-scenario/1 object and returns the result lines as plain objects. */
function run(s: Record<string, unknown>) {
  return runScenario(scenarioFromJson({ format: 'msr-scenario/1', ...s })).steps.map((r) => stepResultToJson(r));
}

const ones = (bytes: number) => 'ff'.repeat(bytes);
function bitmapWithout(bitsCleared: number[]): string {
  const b = new Uint8Array(0x600).fill(0xff);
  for (const bit of bitsCleared) b[bit >>> 3] &= ~(1 << (bit & 7));
  return bitmapToHex(b);
}

// kvm-msr-filter.md section 5: the selftests' scenarios, step by step, for every merged profile.
const PROFILES = ['linux-5.10', 'linux-5.12', 'linux-5.19', 'linux-6.12'];

describe.each(PROFILES)('T1 msr_filter_allow (%s)', (profile) => {
  const filter = {
    flags: 'DEFAULT_ALLOW',
    ranges: [
      { flags: 'READ|WRITE', base: '0xda0', nmsrs: 1, bitmap: '00' },
      { flags: 'READ|WRITE', base: '0x10b', nmsrs: 1, bitmap: '00' },
      { flags: 'READ|WRITE', base: '0x474f4f00', nmsrs: 1, bitmap: '00' },
    ],
  };
  const steps = [
    { op: 'rdmsr', index: '0xda0', reply: { data: '0x0' } },
    { op: 'wrmsr', index: '0xda0', value: '0', reply: { data: '0x0' } },
    { op: 'wrmsr', index: '0xda0', value: '1', reply: { error: true } },
    { op: 'rdmsr', index: '0x10b', reply: { error: true } },
    { op: 'wrmsr', index: '0x10b', value: '0', reply: { error: true } },
    { op: 'wrmsr', index: '0x10b', value: '1', reply: { data: '0x0' } },
    { op: 'wrmsr', index: '0x474f4f00', value: '2', reply: { data: '0x0' } },
    { op: 'rdmsr', index: '0x474f4f00', reply: { data: '0x2' } },
  ];
  const out = run({ profile, exits: ['filter'], filter, steps });
  const expected: [string, string, string, string | null, number][] = [
    // decision, exit reason, result, value, range
    ['eperm', 'filter', 'ok', '0x0000000000000000', 0],
    ['eperm', 'filter', 'ok', null, 0],
    ['eperm', 'filter', 'gp', null, 0],
    ['eperm', 'filter', 'gp', null, 1],
    ['eperm', 'filter', 'gp', null, 1],
    ['eperm', 'filter', 'ok', null, 1],
    ['eperm', 'filter', 'ok', null, 2],
    ['eperm', 'filter', 'ok', '0x0000000000000002', 2],
  ];
  it.each(expected.map((e, i) => [i + 1, ...e] as const))('1.%i', (n, decision, reason, result, value, range) => {
    expect(out[n - 1]).toMatchObject({ decision, exit: { reason }, result, value, range });
  });
});

describe.each(PROFILES)('T2 msr_filter_deny (%s)', (profile) => {
  const filterDeny = {
    flags: 'DEFAULT_DENY',
    ranges: [
      { flags: 'READ', base: '0x0', nmsrs: 0x3000, bitmap: ones(0x600) },
      { flags: 'WRITE', base: '0x0', nmsrs: 0x3000, bitmap: bitmapWithout([0x1fc]) },
      { flags: 'READ|WRITE', base: '0x40000000', nmsrs: 0x3000, bitmap: ones(0x600) },
      { flags: 'READ', base: '0xc0000000', nmsrs: 0x3000, bitmap: bitmapWithout([0x84, 0x101]) },
      { flags: 'WRITE', base: '0xc0000000', nmsrs: 0x3000, bitmap: ones(0x600) },
      { flags: 'READ|WRITE', base: '0xdeadbeef', nmsrs: 1, bitmap: '01' },
    ],
  };
  const echo = (index: string) => ({ op: 'rdmsr', index, reply: { data: index } });
  const round = [
    { op: 'wrmsr', index: '0xc0000084', value: '0' },
    echo('0xc0000084'),
    echo('0xc0000101'),
    { op: 'wrmsr', index: '0x1fc', value: '0x1234' },
    echo('0x1fc'),
    echo('0xdeadbeef'),
    { op: 'wrmsr', index: '0xdeadbeef', value: '0x1234' },
  ];
  const out = run({
    profile,
    exits: ['inval', 'unknown', 'filter'],
    filter: filterDeny,
    vmm: { read: { error: true }, write: { data: '0x0' } },
    steps: [...round, { op: 'set-filter', filter: { flags: 'DEFAULT_ALLOW', ranges: [] } }, ...round],
  });
  it('round 1: 2.1-2.7', () => {
    expect(out[0]).toMatchObject({ decision: 'allow', exit: null, result: 'ok', range: 4 });
    expect(out[1]).toMatchObject({
      decision: 'eperm',
      exit: { reason: 'filter' },
      value: '0x00000000c0000084',
      range: 3,
    });
    expect(out[2]).toMatchObject({
      decision: 'eperm',
      exit: { reason: 'filter' },
      value: '0x00000000c0000101',
      range: 3,
    });
    expect(out[3]).toMatchObject({ decision: 'eperm', exit: { reason: 'filter' }, result: 'ok', range: 1 });
    expect(out[4]).toMatchObject({
      decision: 'allow',
      exit: null,
      result: 'ok',
      value: '0x0000000000000000',
      range: 0,
    });
    expect(out[5]).toMatchObject({
      decision: 'gp',
      exit: { reason: 'unknown' },
      value: '0x00000000deadbeef',
      range: 5,
    });
    expect(out[6]).toMatchObject({ decision: 'gp', exit: { reason: 'unknown' }, result: 'ok', range: 5 });
  });
  it('round 2 after the empty DEFAULT_ALLOW filter: 2.8-2.14', () => {
    expect(out[7]).toMatchObject({ op: 'set-filter', errno: null });
    expect(out[8]).toMatchObject({ decision: 'allow', exit: null, result: 'ok' });
    expect(out[9]).toMatchObject({ decision: 'allow', value: '0x0000000000000000' });
    expect(out[10]).toMatchObject({ decision: 'allow', exit: null });
    expect(out[10].value).not.toBe('0x00000000c0000101');
    expect(out[11]).toMatchObject({ decision: 'allow', exit: null, result: 'ok' });
    expect(out[12]).toMatchObject({ decision: 'allow', value: '0x0000000000001234' });
    expect(out[13]).toMatchObject({ decision: 'gp', exit: { reason: 'unknown' }, value: '0x00000000deadbeef' });
    expect(out[14]).toMatchObject({ decision: 'gp', exit: { reason: 'unknown' }, result: 'ok' });
  });
  it('exactly 4 RDMSR exits and 3 WRMSR exits', () => {
    expect(out.filter((r) => r.op === 'rdmsr' && r.exit).length).toBe(4);
    expect(out.filter((r) => r.op === 'wrmsr' && r.exit).length).toBe(3);
  });
  it('without D5, 0xDEADBEEF hits DEFAULT_DENY and exits with FILTER instead of UNKNOWN', () => {
    const noD5 = { ...filterDeny, ranges: filterDeny.ranges.slice(0, 5) };
    const r = run({ profile, exits: ['inval', 'unknown', 'filter'], filter: noD5, steps: [echo('0xdeadbeef')] });
    expect(r[0]).toMatchObject({ decision: 'eperm', exit: { reason: 'filter' }, range: null });
  });
});

describe.each(PROFILES)('T3 msr_permission_bitmap (%s)', (profile) => {
  const only = (base: string) => ({ flags: 0, ranges: [{ flags: 'READ', base, nmsrs: 1, bitmap: '00' }] });
  const out = run({
    profile,
    vcpu: 'linux64',
    exits: ['filter'],
    filter: only('0xc0000100'),
    steps: [
      { op: 'rdmsr', index: '0xc0000100', reply: { data: '0xc0000100' } },
      { op: 'rdmsr', index: '0xc0000101' },
      { op: 'set-filter', filter: only('0xc0000101') },
      { op: 'rdmsr', index: '0xc0000100' },
      { op: 'rdmsr', index: '0xc0000101', reply: { data: '0xc0000101' } },
    ],
  });
  it('3.1-3.4: the denied base exits, the other reads its real value', () => {
    expect(out[0]).toMatchObject({ decision: 'eperm', exit: { reason: 'filter' }, value: '0x00000000c0000100' });
    expect(out[1]).toMatchObject({ decision: 'allow', exit: null });
    expect(out[1].value).not.toBe('0x00000000c0000101');
    expect(out[3]).toMatchObject({ decision: 'allow', exit: null });
    expect(out[4]).toMatchObject({ decision: 'eperm', exit: { reason: 'filter' }, value: '0x00000000c0000101' });
  });
});

describe('T4 user_exit_msr_flags', () => {
  const bitSteps = (n: number, make: (bit: bigint) => Record<string, unknown>) =>
    Array.from({ length: n }, (_, i) => make(1n << BigInt(i)));
  it('4.1: only exit mask bits 0-2 are accepted (6.0+); every bit before', () => {
    const steps = bitSteps(64, (b) => ({ op: 'set-exits', exits: `0x${b.toString(16)}` }));
    const newest = run({ profile: 'linux-6.12', steps }).map((r) => r.errno);
    expect(newest.slice(0, 3)).toEqual([null, null, null]);
    expect(newest.slice(3).every((e) => e === 'EINVAL')).toBe(true);
    expect(run({ profile: 'linux-5.12', steps }).every((r) => r.errno === null)).toBe(true);
  });
  const range = { flags: 'READ', base: 0, nmsrs: 1, bitmap: '00' };
  it('4.2: filter flags: only bit 0 (DEFAULT_DENY) is accepted', () => {
    const steps = bitSteps(32, (b) => ({
      op: 'set-filter',
      filter: { flags: `0x${b.toString(16)}`, ranges: [range] },
    }));
    const errnos = run({ steps }).map((r) => r.errno);
    expect(errnos[0]).toBeNull();
    expect(errnos.slice(1).every((e) => e === 'EINVAL')).toBe(true);
  });
  it('4.3: range flags: only bits 0 and 1 are accepted', () => {
    const steps = bitSteps(32, (b) => ({
      op: 'set-filter',
      filter: { flags: 0, ranges: [{ ...range, flags: `0x${b.toString(16)}` }] },
    }));
    const errnos = run({ steps }).map((r) => r.errno);
    expect(errnos.slice(0, 2)).toEqual([null, null]);
    expect(errnos.slice(2).every((e) => e === 'EINVAL')).toBe(true);
  });
});

describe('pipeline details', () => {
  it('a filtered access of an MSR KVM would also refuse still reports FILTER (the filter comes first)', () => {
    const filter = { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 2, bitmap: '01' }] };
    const out = run({
      exits: 7,
      filter,
      steps: [
        { op: 'rdmsr', index: '0x12345678' },
        { op: 'wrmsr', index: '0x10', value: 0 },
        { op: 'rdmsr', index: '0x10' },
      ],
    });
    expect(out.map((r) => r.exit && (r.exit as { reason: string }).reason)).toEqual(['filter', 'filter', null]);
  });
  it('with no exit reason enabled, a denied access is #GP with no exit', () => {
    const filter = { flags: 0, ranges: [{ flags: 'READ', base: '0x0', nmsrs: 256, bitmap: '' }] };
    expect(run({ filter, steps: [{ op: 'rdmsr', index: '0x11' }] })[0]).toMatchObject({
      decision: 'eperm',
      exit: null,
      result: 'gp',
      value: null,
    });
  });
  it('kvm.ignore_msrs turns an unknown read into 0 and an unknown write into a dropped one, but not INVAL', () => {
    const out = run({
      ignoreMsrs: true,
      exits: 7,
      steps: [
        { op: 'rdmsr', index: '0xdeadbeef' },
        { op: 'wrmsr', index: '0xdeadbeef', value: 5 },
        { op: 'rdmsr', index: '0x9e' },
      ],
    });
    expect(out[0]).toMatchObject({ decision: 'allow', result: 'ok', value: '0x0000000000000000', exit: null });
    expect(out[1]).toMatchObject({ decision: 'allow', result: 'ok', exit: null });
    expect(out[2]).toMatchObject({ decision: 'gp', exit: { reason: 'inval' } });
  });
  it('host accesses bypass the filter', () => {
    const filter = { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ|WRITE', base: '0x0', nmsrs: 1, bitmap: '' }] };
    const out = run({
      filter,
      steps: [
        { op: 'wrmsr', index: '0x1fc', value: '0x77', host: true },
        { op: 'rdmsr', index: '0x1fc', host: true },
        { op: 'rdmsr', index: '0xdeadbeef', host: true },
      ],
    });
    expect(out[0]).toMatchObject({ host: true, decision: 'allow', result: 'ok', range: null });
    expect(out[1]).toMatchObject({ value: '0x0000000000000077' });
    expect(out[2]).toMatchObject({ result: 'error', value: null });
  });
  it('state persists across steps', () => {
    const out = run({
      steps: [
        { op: 'wrmsr', index: '0xc0000081', value: '0x12345678abcd' },
        { op: 'rdmsr', index: '0xc0000081' },
      ],
    });
    expect(out[1].value).toBe('0x000012345678abcd');
  });
  it('the allow list exits a denied access with UNKNOWN (-ENOENT)', () => {
    const filter = { ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] };
    const out = run({ profile: 'allowlist-v4', exits: ['unknown'], filter, steps: [{ op: 'rdmsr', index: '0x1b' }] });
    expect(out[0]).toMatchObject({ decision: 'eperm', exit: { reason: 'unknown' } });
  });
  it('x2APIC registers: refused in xAPIC mode, emulated after switching linux64 to x2APIC', () => {
    const out = run({
      vcpu: 'linux64',
      exits: 7,
      steps: [
        { op: 'rdmsr', index: '0x803' },
        { op: 'wrmsr', index: '0x1b', value: '0xfee00d00' },
        { op: 'rdmsr', index: '0x803' },
        { op: 'wrmsr', index: '0x808', value: '0x1ff' },
        { op: 'rdmsr', index: '0x808' },
        { op: 'wrmsr', index: '0x1b', value: '0xfee00900' },
      ],
    });
    expect(out[0]).toMatchObject({ decision: 'gp', exit: { reason: 'inval' } });
    expect(out[2]).toMatchObject({ decision: 'allow', value: '0x0000000000050014' });
    expect(out[4]).toMatchObject({ value: '0x00000000000000ff' });
    expect(out[5]).toMatchObject({ decision: 'gp', exit: { reason: 'inval' } });
  });
});

describe('the 6.12 UNSUPPORTED split', () => {
  it('a feature-gated MSR the vCPU lacks exits UNKNOWN on 6.12 and INVAL before', () => {
    const steps = [{ op: 'rdmsr', index: '0x10a' }];
    expect(run({ profile: 'linux-6.12', exits: 7, steps })[0]).toMatchObject({
      decision: 'gp',
      exit: { reason: 'unknown' },
    });
    expect(run({ profile: 'linux-5.19', exits: 7, steps })[0]).toMatchObject({
      decision: 'gp',
      exit: { reason: 'inval' },
    });
  });
});

describe('the TSC as measured on 6.18', () => {
  it('keeps counting after a guest write, which moves IA32_TSC_ADJUST by the difference; a host write moves neither', () => {
    const out = run({
      steps: [
        { op: 'rdmsr', index: '0x10' },
        { op: 'wrmsr', index: '0x10', value: '0' },
        { op: 'rdmsr', index: '0x10' },
        { op: 'rdmsr', index: '0x3b' },
        { op: 'wrmsr', index: '0x10', value: '0', host: true },
        { op: 'rdmsr', index: '0x3b' },
      ],
    });
    expect(BigInt(out[2].value as string)).toBeGreaterThan(BigInt(out[0].value as string));
    expect(BigInt(out[3].value as string)).toBeGreaterThan(1n << 63n); // 0 - TSC, as a u64
    expect(out[5].value).toBe(out[3].value);
  });
});
