// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { resultsToJsonLines, runScenario, type Scenario, scenarioFromJson } from '../src/core/index';
import { answered, planScenario, scriptOf } from './kvm-plan';
import { interpretRun } from './kvm-results';
import { filterLines, ProtocolError, parseGuestResponse } from './protocol';

const scenario = (json: object): Scenario => scenarioFromJson(json);

/** The helper's responses, one per answered command, chosen by the test. */
function run(s: Scenario, responses: Record<string, string>) {
  const commands = planScenario(s);
  const lines = commands.filter(answered).map((c) => {
    const head = c.lines[0];
    const key = Object.keys(responses).find((k) => head.startsWith(k));
    if (key) return responses[key];
    if (c.kind === 'filter' || c.kind === 'exits') return 'errno 0';
    return 'ok';
  });
  return interpretRun(s, commands, lines, false);
}

describe('the helper script for a scenario', () => {
  it('sets up the vCPU, the exit mask, ignore_msrs and the filter, then one command per step', () => {
    const s = scenario({
      vcpu: 'linux64',
      exits: ['filter', 'inval'],
      ignoreMsrs: true,
      vmm: { read: { data: '0x5' } },
      filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 16, bitmap: '0100' }] },
      steps: [
        { op: 'rdmsr', index: '0x10' },
        { op: 'wrmsr', index: '0x1b', value: '0xfee00d00', host: true },
        { op: 'wrmsr', index: '0x11', value: '1', reply: { error: true } },
        { op: 'set-filter', filter: null },
        { op: 'set-exits', exits: 8 },
      ],
    });
    expect(scriptOf(planScenario(s))).toBe(
      [
        'vcpu linux64',
        'exits 0x5',
        'ignore 1',
        'filter 0x1',
        'range 0x1 0x10 0x10 01',
        'end',
        'rdmsr 0x10 data:0x5',
        'hostwr 0x1b 0xfee00d00',
        'wrmsr 0x11 0x1 error',
        'filter none',
        'exits 0x8',
        'quit',
        '',
      ].join('\n'),
    );
  });

  it('sends only the bitmap bytes the kernel reads, without trailing zeros', () => {
    const lines = filterLines({
      flags: 0,
      ranges: [
        { flags: 3, base: 0, nmsrs: 4, bitmap: new Uint8Array([0xff, 0xff]) },
        { flags: 3, base: 0x100, nmsrs: 64, bitmap: new Uint8Array(8) },
      ],
    });
    expect(lines).toEqual(['filter 0x0', 'range 0x3 0x0 0x4 ff', 'range 0x3 0x100 0x40 -', 'end']);
  });

  it('never sends a filter with more than 16 ranges', () => {
    const ranges = Array.from({ length: 17 }, (_, i) => ({ flags: 'READ', base: i * 0x100, nmsrs: 1 }));
    const s = scenario({ steps: [{ op: 'set-filter', filter: { ranges } }] });
    expect(scriptOf(planScenario(s))).toBe('vcpu bare\nquit\n');
  });
});

describe('the kernel responses as JSON Lines', () => {
  it('maps kreason to the decision, takes exit, result and value from the kernel, range from the policy', () => {
    const s = scenario({
      exits: ['filter'],
      filter: { ranges: [{ flags: 'READ|WRITE', base: '0xda0', nmsrs: 1, bitmap: '00' }] },
      steps: [
        { op: 'rdmsr', index: '0xda0', reply: { data: '0x7' } },
        { op: 'rdmsr', index: '0x12345678' },
        { op: 'rdmsr', index: '0x1b', host: true },
        { op: 'wrmsr', index: '0x1b', value: '0x1', host: true },
      ],
    });
    const out = run(s, {
      'rdmsr 0xda0': 'rdmsr exit=filter kreason=filter result=ok value=0x0000000000000007',
      'rdmsr 0x12345678': 'rdmsr exit=none kreason=unknown result=gp value=-',
      'hostrd 0x1b': 'hostrd result=ok value=0x00000000fee00900',
      'hostwr 0x1b': 'hostwr result=error',
    });
    expect(out.notes).toEqual([]);
    // Field for field what the simulator prints for the same scenario.
    expect(out.records.map((r) => `${JSON.stringify(r)}\n`).join('')).toBe(
      resultsToJsonLines(runScenario(s, false).steps),
    );
  });

  it('reports ignored as allow and a kernel verdict the policy cannot explain without a range', () => {
    const s = scenario({
      ignoreMsrs: true,
      filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x0', nmsrs: 8, bitmap: 'ff' }] },
      steps: [
        { op: 'rdmsr', index: '0x6' },
        { op: 'rdmsr', index: '0x7' },
      ],
    });
    const out = run(s, {
      'rdmsr 0x6': 'rdmsr exit=none kreason=ignored result=ok value=0x0000000000000000',
      'rdmsr 0x7': 'rdmsr exit=none kreason=filter result=gp value=-',
    });
    expect(out.records[0]).toMatchObject({ decision: 'allow', result: 'ok', value: '0x0000000000000000', range: 0 });
    expect(out.records[1]).toMatchObject({ decision: 'eperm', result: 'gp', range: null });
    expect(out.records[1]).not.toHaveProperty('bit');
  });

  it('takes the errno from the kernel and keeps the previous filter for range when it fails', () => {
    const s = scenario({
      filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] },
      steps: [
        { op: 'set-filter', filter: { flags: 2 } },
        { op: 'rdmsr', index: '0x10' },
        { op: 'set-exits', exits: 8 },
      ],
    });
    const out = run(s, {
      'filter 0x2': 'errno EINVAL',
      'rdmsr 0x10': 'rdmsr exit=none kreason=none result=ok value=0x0000000000000001',
      'exits 0x8': 'errno EINVAL',
    });
    expect(out.records[0]).toMatchObject({ op: 'set-filter', errno: 'EINVAL' });
    expect(out.records[0].message).toMatch(/kernel returned EINVAL.*flags 0x2/);
    expect(out.records[1]).toMatchObject({ decision: 'allow', range: 0, bit: 0 });
    expect(out.records[2]).toMatchObject({ op: 'set-exits', errno: 'EINVAL' });
  });

  it('answers E2BIG for more than 16 ranges without the kernel, like the simulator', () => {
    const ranges = Array.from({ length: 17 }, (_, i) => ({ flags: 'READ', base: i * 0x100, nmsrs: 1 }));
    const s = scenario({ filter: { ranges }, steps: [{ op: 'set-filter', filter: { ranges } }] });
    const out = run(s, {});
    expect(out.notes).toEqual([expect.stringMatching(/^msrfilter: note: filter: E2BIG: not passed to the kernel/)]);
    expect(out.records[0]).toMatchObject({ op: 'set-filter', errno: 'E2BIG' });
    expect(runScenario(s, false).steps[0]).toMatchObject({ errno: 'E2BIG' });
  });

  it('notes a failing initial exit mask or filter, like the simulator CLI', () => {
    const s = scenario({ exits: 8, filter: { flags: 'DEFAULT_DENY' }, steps: [] });
    const out = run(s, { 'exits 0x8': 'errno EINVAL', 'filter 0x1': 'errno EINVAL' });
    expect(out.notes).toEqual([
      'msrfilter: note: exits: EINVAL: the kernel returned EINVAL; mask unchanged',
      expect.stringMatching(/^msrfilter: note: filter: EINVAL: the kernel returned EINVAL: DEFAULT_DENY/),
    ]);
  });

  it('refuses a response that does not follow the protocol', () => {
    expect(() => parseGuestResponse('rdmsr', 'rdmsr exit=maybe kreason=none result=ok value=-')).toThrow(ProtocolError);
    const s = scenario({ steps: [{ op: 'rdmsr', index: '0x10' }] });
    expect(() => interpretRun(s, planScenario(s), ['ok'], false)).toThrow(/no response to `rdmsr 0x10 error`/);
  });
});
