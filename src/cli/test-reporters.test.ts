import { describe, expect, it } from 'vitest';
import { runCliInMemory as cli } from './run-cli-in-memory';

const doc = (steps: unknown[]) =>
  JSON.stringify({
    format: 'msr-scenario/1',
    exits: ['filter'],
    filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] },
    steps,
  });

const files = {
  'suite/pass.json': doc([
    { op: 'rdmsr', index: '0x10', expect: { decision: 'allow' } },
    { op: 'rdmsr', index: '0x11', expect: 'eperm' },
  ]),
  'suite/fail.json': doc([
    { op: 'rdmsr', index: '0x10', expect: { decision: 'allow' } },
    { op: 'wrmsr', index: '0x10', value: '0x1', expect: { decision: 'allow', result: 'ok' } },
    { op: 'set-filter', filter: { flags: '0x2', ranges: [] }, expect: { errno: null } },
  ]),
};
const malformed = { 'suite/zz-bad.json': doc([{ op: 'rdmsr', index: '0x10', expect: { decision: 'perhaps' } }]) };

function parseXml(text: string): Document {
  const d = new DOMParser().parseFromString(text, 'application/xml');
  expect(d.getElementsByTagName('parsererror')).toHaveLength(0);
  return d;
}
const attrs = (e: Element, ...names: string[]) => Object.fromEntries(names.map((n) => [n, e.getAttribute(n)]));

describe('--reporter tap', () => {
  it('prints TAP 14: the plan, one test point per file, what failed in a YAML block; exit codes as the default', async () => {
    const r = await cli(['test', '--reporter', 'tap', 'suite'], files);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'TAP version 14',
      '1..2',
      'not ok 1 - suite/fail.json',
      '  ---',
      '  failures:',
      '    - step: 1',
      '      at: "steps[1] wrmsr 0x00000010"',
      '      field: decision',
      '      expected: "allow"',
      '      got: "eperm"',
      '    - step: 1',
      '      at: "steps[1] wrmsr 0x00000010"',
      '      field: result',
      '      expected: "ok"',
      '      got: "gp"',
      '    - step: 2',
      '      at: "steps[2] set-filter"',
      '      field: errno',
      '      expected: "null"',
      '      got: "EINVAL"',
      '  ...',
      'ok 2 - suite/pass.json # 2 expectations',
    ]);
    expect((await cli(['test', '--reporter=tap', 'suite/pass.json'], files)).code).toBe(0);
  });

  it('a malformed file is a failing test point with the place, and the run exits 2', async () => {
    const r = await cli(['test', '--reporter', 'tap', 'suite'], { ...files, ...malformed });
    expect(r.code).toBe(2);
    const out = r.stdout.split('\n');
    expect(out[1]).toBe('1..3');
    expect(out).toContain('not ok 3 - suite/zz-bad.json');
    expect(out).toContain(
      '  message: "malformed: steps[0].expect.decision: unknown decision \\"perhaps\\" (known: allow, eperm, gp)"',
    );
    expect(r.stderr).toMatch(/^msrfilter: suite\/zz-bad\.json: steps\[0\]\.expect\.decision: /);
  });

  it('numbers one test point per file and matrix cell', async () => {
    const r = await cli(['test', '--reporter', 'tap', '--profile', 'linux-5.12,linux-6.12', 'suite/fail.json'], files);
    const points = r.stdout.split('\n').filter((l) => /^(not )?ok \d+ /.test(l));
    expect(r.stdout).toContain('\n1..2\n');
    expect(points.map((l) => l.replace(/ #.*/, ''))).toEqual([
      'not ok 1 - suite/fail.json [profile=linux-5.12]',
      'not ok 2 - suite/fail.json [profile=linux-6.12]',
    ]);
  });
});

describe('--reporter junit', () => {
  it('prints JUnit XML: a testsuite per file, a testcase per expectation, a failure with expected vs got', async () => {
    const r = await cli(['test', '--reporter', 'junit', 'suite'], files);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const d = parseXml(r.stdout);
    const root = d.documentElement;
    expect(root.tagName).toBe('testsuites');
    expect(attrs(root, 'tests', 'failures', 'errors')).toEqual({ tests: '5', failures: '2', errors: '0' });
    const suites = [...d.getElementsByTagName('testsuite')];
    expect(suites.map((s) => attrs(s, 'name', 'tests', 'failures', 'errors'))).toEqual([
      { name: 'suite/fail.json', tests: '3', failures: '2', errors: '0' },
      { name: 'suite/pass.json', tests: '2', failures: '0', errors: '0' },
    ]);
    const cases = [...suites[0].getElementsByTagName('testcase')];
    expect(cases.map((c) => c.getAttribute('name'))).toEqual([
      'steps[0] rdmsr 0x00000010',
      'steps[1] wrmsr 0x00000010',
      'steps[2] set-filter',
    ]);
    expect(cases[0].getElementsByTagName('failure')).toHaveLength(0);
    const failure = cases[1].getElementsByTagName('failure')[0];
    expect(attrs(failure, 'type', 'message')).toEqual({
      type: 'expectation',
      message: 'decision: expected allow, got eperm; result: expected ok, got gp',
    });
    expect(failure.textContent).toBe(
      'steps[1] wrmsr 0x00000010: decision: expected allow, got eperm\nsteps[1] wrmsr 0x00000010: result: expected ok, got gp',
    );
    expect(cases[2].getElementsByTagName('failure')[0].getAttribute('message')).toBe(
      'errno: expected null, got EINVAL',
    );
    // every testcase names its file as its class, as CI reporters group them
    for (const s of suites) {
      for (const c of s.getElementsByTagName('testcase'))
        expect(c.getAttribute('classname')).toBe(s.getAttribute('name'));
    }
  });

  it('a malformed file is one testcase with an <error>; stdout stays valid XML and the run exits 2', async () => {
    const r = await cli(['test', '--reporter', 'junit', 'suite'], { ...files, ...malformed });
    expect(r.code).toBe(2);
    const d = parseXml(r.stdout);
    expect(attrs(d.documentElement, 'tests', 'failures', 'errors')).toEqual({ tests: '6', failures: '2', errors: '1' });
    const errors = [...d.getElementsByTagName('error')];
    expect(errors).toHaveLength(1);
    expect(errors[0].getAttribute('type')).toBe('malformed');
    expect(errors[0].getAttribute('message')).toBe(
      'steps[0].expect.decision: unknown decision "perhaps" (known: allow, eperm, gp)',
    );
    expect(errors[0].parentElement?.parentElement?.getAttribute('name')).toBe('suite/zz-bad.json');
    expect(r.stderr).toContain('suite/zz-bad.json');
  });

  it('escapes file names and messages so that any name stays well-formed XML', async () => {
    const name = `odd/<a & "b" 'c'>.json`;
    const r = await cli(['test', '--reporter', 'junit', name, 'nope.json'], {
      [name]: files['suite/fail.json'],
      'nope.json': '{"steps": <',
    });
    const d = parseXml(r.stdout);
    expect([...d.getElementsByTagName('testsuite')].map((s) => s.getAttribute('name'))).toEqual([name, 'nope.json']);
    expect(d.getElementsByTagName('error')[0].getAttribute('message')).toMatch(/^not valid JSON/);
  });

  it('a pattern that matches nothing is an <error> in the report too, not only on stderr (exit 2)', async () => {
    const r = await cli(['test', '--reporter', 'junit', 'suite/pass.json', 'empty/'], files);
    expect(r.code).toBe(2);
    const d = parseXml(r.stdout);
    expect(attrs(d.documentElement, 'tests', 'failures', 'errors')).toEqual({ tests: '3', failures: '0', errors: '1' });
    expect(d.getElementsByTagName('error')[0].getAttribute('message')).toBe('no such file, or no *.json file matches');
  });
});
