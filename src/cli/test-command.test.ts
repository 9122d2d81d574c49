import { describe, expect, it } from 'vitest';
import { scenarioFromJson, shareDocumentToJson } from '../core/index';
import { runCliInMemory as cli } from './run-cli-in-memory';

const doc = (steps: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'msr-scenario/1', steps, ...extra });

/** DEFAULT_DENY, reads of MSR 0x10 allowed, exits on FILTER. */
const filtered = {
  exits: ['filter'],
  filter: {
    format: 'msr-filter/1',
    flags: 'DEFAULT_DENY',
    ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }],
  },
  vmm: { read: { data: '0x5' }, write: { error: true } },
};

const passing = doc(
  [
    { op: 'rdmsr', index: '0x10', expect: { decision: 'allow', exit: null, result: 'ok' } },
    { op: 'rdmsr', index: '0x11', expect: { decision: 'eperm', exit: 'filter', result: 'ok', value: '0x5' } },
    {
      op: 'wrmsr',
      index: '0x10',
      value: '0x1',
      expect: { decision: 'eperm', exit: { reason: 'filter' }, result: 'gp' },
    },
    { op: 'rdmsr', index: '0x12' },
    { op: 'set-filter', filter: null, expect: { errno: null } },
  ],
  filtered,
);

/** Step 1 expects allow where the filter denies; step 2 expects the wrong value and exit. */
const failing = doc(
  [
    { op: 'rdmsr', index: '0x10', expect: { decision: 'allow' } },
    { op: 'wrmsr', index: '0x10', value: '0x1', expect: { decision: 'allow' } },
    { op: 'rdmsr', index: '0x11', expect: { exit: null, value: '0x6' } },
  ],
  filtered,
);

const lines = (s: string) => s.trimEnd().split('\n');

describe('msrfilter test: verdicts and exit codes', () => {
  it('exits 0 when every expectation holds, with one ok line per file and the totals', async () => {
    const r = await cli(['test', 'a.json'], { 'a.json': passing });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      'ok    a.json (4 expectations)',
      '1 file: 1 passed, 0 failed, 0 malformed; 4 expectations, 0 failed',
    ]);
  });

  it('exits 1 when any expectation fails, naming the file, the step and expected vs got', async () => {
    const r = await cli(['test', 'a.json', 'b.json'], { 'a.json': passing, 'b.json': failing });
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      'ok    a.json (4 expectations)',
      'FAIL  b.json',
      '      steps[1] wrmsr 0x00000010: decision: expected allow, got eperm',
      '      steps[2] rdmsr 0x00000011: exit: expected null, got filter',
      '      steps[2] rdmsr 0x00000011: value: expected 0x0000000000000006, got 0x0000000000000005',
      '2 files: 1 passed, 1 failed, 0 malformed; 7 expectations, 2 failed',
    ]);
  });

  it('checks every field an expectation may name, for accesses and for set-filter/set-exits', async () => {
    const wrong = doc(
      [
        { op: 'rdmsr', index: '0x11', expect: { decision: 'gp', exit: 'inval', result: 'gp', value: null } },
        { op: 'set-exits', exits: '0x8', expect: { errno: null } },
        { op: 'set-filter', filter: { flags: '0x2', ranges: [] }, expect: { errno: null } },
      ],
      filtered,
    );
    const r = await cli(['test', 'w.json'], { 'w.json': wrong });
    expect(r.code).toBe(1);
    expect(lines(r.stdout).slice(1, -1)).toEqual([
      '      steps[0] rdmsr 0x00000011: decision: expected gp, got eperm',
      '      steps[0] rdmsr 0x00000011: exit: expected inval, got filter',
      '      steps[0] rdmsr 0x00000011: result: expected gp, got ok',
      '      steps[0] rdmsr 0x00000011: value: expected null, got 0x0000000000000005',
      '      steps[1] set-exits: errno: expected null, got EINVAL',
      '      steps[2] set-filter: errno: expected null, got EINVAL',
    ]);
  });

  it('compares numbers by value, whatever their spelling in the file', async () => {
    const spelled = doc(
      [
        { op: 'rdmsr', index: 17, expect: { value: 5 } },
        { op: 'rdmsr', index: '0x11', expect: { value: '0x0005' } },
      ],
      filtered,
    );
    const r = await cli(['test', 's.json'], { 's.json': spelled });
    expect(r.code).toBe(0);
  });

  it("reads the playground's saved accesses: expect as the verdict alone, or null for none", async () => {
    const saved = doc(
      [
        { op: 'rdmsr', index: '0x10', expect: 'allow' },
        { op: 'rdmsr', index: '0x11', expect: 'eperm' },
        { op: 'rdmsr', index: '0x12', expect: null },
      ],
      filtered,
    );
    expect((await cli(['test', 's.json'], { 's.json': saved })).stdout).toMatch(/^ok {4}s\.json \(2 expectations\)$/m);
    const wrong = saved.replace('"eperm"', '"gp"');
    const r = await cli(['test', 's.json'], { 's.json': wrong });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('steps[1] rdmsr 0x00000011: decision: expected gp, got eperm');
  });

  it("checks the playground's JSON export: its top-level `expectations`, one verdict per saved access", async () => {
    const scenario = scenarioFromJson({
      ...filtered,
      steps: [
        { op: 'rdmsr', index: '0x10' },
        { op: 'rdmsr', index: '0x11' },
        { op: 'wrmsr', index: '0x11', value: '0x0' },
      ],
    });
    // what the Export dialog writes (src/ui/share/document-json.ts uses the same writer)
    const exported = (expectations: (string | null)[]) =>
      JSON.stringify(
        shareDocumentToJson({ scenario, expectations: expectations as ('allow' | 'eperm' | 'gp' | null)[] }),
      );
    const pass = await cli(['test', 'e.json'], { 'e.json': exported(['allow', 'eperm', null]) });
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('ok    e.json (2 expectations)');
    const fail = await cli(['test', 'e.json'], { 'e.json': exported(['allow', 'allow', 'gp']) });
    expect(fail.code).toBe(1);
    expect(lines(fail.stdout).slice(1, -1)).toEqual([
      '      steps[1] rdmsr 0x00000011: decision: expected allow, got eperm',
      '      steps[2] wrmsr 0x00000011: decision: expected gp, got eperm',
    ]);
  });

  it.each([
    [{ expectations: ['allow', 'allow'] }, /^msrfilter: e\.json: expectations: 2 entries for 1 step$/],
    [{ expectations: ['maybe'] }, /^msrfilter: e\.json: expectations\[0\]: expected "allow", "eperm", "gp" or null/],
    [{ expectations: 'allow' }, /^msrfilter: e\.json: expectations: expected an array/],
  ])('a malformed `expectations` array exits 2 and names the place (%j)', async (extra, message) => {
    const r = await cli(['test', 'e.json'], { 'e.json': doc([{ op: 'rdmsr', index: '0x10' }], extra) });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it("`expectations` on a set-filter step, or disagreeing with the step's own expect, exits 2", async () => {
    const control = doc([{ op: 'set-filter', filter: null }], { expectations: ['allow'] });
    expect((await cli(['test', 'c.json'], { 'c.json': control })).stderr).toBe(
      'msrfilter: c.json: expectations[0]: steps[0] is a set-filter step: only rdmsr and wrmsr have a verdict\n',
    );
    const both = doc([{ op: 'rdmsr', index: '0x10', expect: { decision: 'allow' } }], { expectations: ['gp'] });
    const r = await cli(['test', 'b.json'], { 'b.json': both });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('msrfilter: b.json: expectations[0]: "gp" disagrees with steps[0].expect.decision "allow"\n');
    const agree = doc([{ op: 'rdmsr', index: '0x10', expect: { decision: 'allow', result: 'ok' } }], {
      expectations: ['allow'],
    });
    expect((await cli(['test', 'a.json'], { 'a.json': agree })).code).toBe(0);
  });

  it('a file without expectations passes with none checked', async () => {
    const r = await cli(['test', 'n.json'], { 'n.json': doc([{ op: 'rdmsr', index: '0x10' }]) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok    n.json (0 expectations)');
  });

  it('runs every *.json under a directory once, in sorted order, even when named twice', async () => {
    const files = { 'suite/b.json': failing, 'suite/a.json': passing, 'suite/notes.txt': 'not a test' };
    const r = await cli(['test', 'suite', 'suite/a.json'], files);
    expect(r.code).toBe(1);
    expect(lines(r.stdout).filter((l) => !l.startsWith(' '))).toEqual([
      'ok    suite/a.json (4 expectations)',
      'FAIL  suite/b.json',
      '2 files: 1 passed, 1 failed, 0 malformed; 7 expectations, 2 failed',
    ]);
  });
});

describe('msrfilter test: malformed input exits 2 and names the place', () => {
  it.each([
    ['not JSON', '{"steps": [', /^msrfilter: bad\.json: not valid JSON/],
    [
      'an unknown decision',
      doc([{ op: 'rdmsr', index: '0x10', expect: { decision: 'maybe' } }]),
      /^msrfilter: bad\.json: steps\[0\]\.expect\.decision: unknown decision "maybe" \(known: allow, eperm, gp\)$/,
    ],
    [
      'an unknown field',
      doc([{ op: 'rdmsr', index: '0x10', expect: { verdict: 'allow' } }]),
      /^msrfilter: bad\.json: steps\[0\]\.expect\.verdict: unknown expectation \(known: decision, exit, result, value, errno\)$/,
    ],
    [
      'errno on an access',
      doc([{ op: 'rdmsr', index: '0x10', expect: { errno: null } }]),
      /^msrfilter: bad\.json: steps\[0\]\.expect\.errno: rdmsr steps have no errno/,
    ],
    [
      'a decision on set-filter',
      doc([{ op: 'set-filter', filter: null, expect: { decision: 'allow' } }]),
      /^msrfilter: bad\.json: steps\[0\]\.expect\.decision: set-filter steps report only errno$/,
    ],
    [
      'a bad value',
      doc([{ op: 'wrmsr', index: '0x10', value: '0x1', expect: { value: '0x1ffffffffffffffff' } }]),
      /^msrfilter: bad\.json: steps\[0\]\.expect\.value: /,
    ],
    [
      'a bad index in a step',
      doc([{ op: 'rdmsr', index: '0x1ffffffff', expect: 'allow' }]),
      /^msrfilter: bad\.json: steps\[0\]\.index: 0x1ffffffff is not a 32-bit MSR index$/,
    ],
    [
      'a policy instead of a scenario',
      JSON.stringify({ flags: 0, ranges: [] }),
      /^msrfilter: bad\.json: \(scenario\): this is an msr-filter\/1 policy/,
    ],
    [
      'a JSON file that is no scenario (a package.json)',
      JSON.stringify({ name: 'suite', version: '1.0.0', scripts: {} }),
      /^msrfilter: bad\.json: \(scenario\): not an msr-scenario\/1 scenario: no "format" and none of "steps", /,
    ],
  ])('%s', async (_what, text, message) => {
    const r = await cli(['test', 'bad.json'], { 'bad.json': text });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toMatch(/^ERROR bad\.json: /m);
  });

  it('still runs and reports the good files beside a malformed one, and exit 2 wins over 1', async () => {
    const r = await cli(['test', 'a.json', 'b.json', 'bad.json'], {
      'a.json': passing,
      'b.json': failing,
      'bad.json': '[',
    });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stdout).toContain('ok    a.json (4 expectations)');
    expect(r.stdout).toContain('FAIL  b.json');
    expect(r.stdout).toMatch(/^3 files: 1 passed, 1 failed, 1 malformed;/m);
  });

  it('a missing file or a pattern that matches nothing exits 2', async () => {
    const r = await cli(['test', 'a.json', 'missing.json'], { 'a.json': passing });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('msrfilter: missing.json: no such file, or no *.json file matches\n');
    expect(r.stdout).toContain('ok    a.json');
    expect(r.stdout).toContain('ERROR missing.json: no such file, or no *.json file matches');
  });

  it.each([
    [['test'], /test needs at least one FILE, DIR or GLOB/],
    [['test', '--reporter', 'xml', 'a.json'], /--reporter must be one of default, tap, junit/],
    [['test', '--profile', 'linux-4.0', 'a.json'], /unknown profile "linux-4\.0" \(known: allowlist-v4, /],
    [['test', '--host', 'kvm_arm', 'a.json'], /unknown host model "kvm_arm"/],
    [['test', '--reporter'], /--reporter needs a value/],
  ])('a bad command line %j exits 2 with one line', async (argv, message) => {
    const r = await cli(argv, { 'a.json': passing });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('msrfilter test: the --profile x --host matrix', () => {
  // Step 0: filter flags 0x2 (not DEFAULT_DENY) — linux-5.12 does not check them, 6.0 and later refuse them (EINVAL).
  // Step 1: a host read of IA32_FEATURE_CONTROL — Intel hosts answer 0, AMD hosts fail it.
  const matrix = doc(
    [
      { op: 'set-filter', filter: { flags: '0x2', ranges: [] }, expect: { errno: null } },
      { op: 'rdmsr', index: '0x3a', host: true, expect: { result: 'ok', value: '0x0' } },
    ],
    { profile: 'allowlist-v4', hostModel: 'pvm-amd' },
  );

  it('runs each file once per cell, labels each run with its cell, and exits 1 if any cell fails', async () => {
    const r = await cli(
      ['test', '--profile', 'linux-5.12,linux-6.12', '--host', 'pvm-amd', '--host', 'vmx', 'm.json'],
      {
        'm.json': matrix,
      },
    );
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      'FAIL  m.json [profile=linux-5.12, host=pvm-amd]',
      '      steps[1] rdmsr 0x0000003a: result: expected ok, got error',
      '      steps[1] rdmsr 0x0000003a: value: expected 0x0000000000000000, got null',
      'ok    m.json [profile=linux-5.12, host=vmx] (2 expectations)',
      'FAIL  m.json [profile=linux-6.12, host=pvm-amd]',
      '      steps[0] set-filter: errno: expected null, got EINVAL',
      '      steps[1] rdmsr 0x0000003a: result: expected ok, got error',
      '      steps[1] rdmsr 0x0000003a: value: expected 0x0000000000000000, got null',
      'FAIL  m.json [profile=linux-6.12, host=vmx]',
      '      steps[0] set-filter: errno: expected null, got EINVAL',
      '4 runs (1 file × 4 cells): 1 passed, 3 failed, 0 malformed; 8 expectations, 4 failed',
    ]);
  });

  it('names a malformed file once on stderr, and in the report once per cell', async () => {
    const r = await cli(['test', '--profile', 'linux-5.12,linux-6.12', 'bad.json', 'gone.json'], { 'bad.json': '[' });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'msrfilter: gone.json: no such file, or no *.json file matches',
      expect.stringMatching(/^msrfilter: bad\.json: not valid JSON/),
    ]);
    expect(lines(r.stdout).filter((l) => l.startsWith('ERROR'))).toHaveLength(4);
  });

  it("overrides the file's own profile and host, and exits 0 when the chosen cells all pass", async () => {
    const r = await cli(['test', '--profile=linux-5.10', '--host=pvm-intel', 'm.json'], { 'm.json': matrix });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok    m.json [profile=linux-5.10, host=pvm-intel] (2 expectations)');
    // without overrides the file's own (allowlist-v4 on pvm-amd) decide
    expect((await cli(['test', 'm.json'], { 'm.json': matrix })).stdout).toMatch(/^FAIL {2}m\.json$/m);
  });

  it('a matrix over a profile alone or a host alone', async () => {
    const byProfile = await cli(['test', '--profile', 'linux-5.10,linux-5.12', 'm.json'], { 'm.json': matrix });
    expect(lines(byProfile.stdout).filter((l) => /^(ok|FAIL)/.test(l))).toEqual([
      'FAIL  m.json [profile=linux-5.10]',
      'FAIL  m.json [profile=linux-5.12]',
    ]);
    const byHost = await cli(['test', '--host', 'vmx', 'm.json'], { 'm.json': matrix });
    expect(byHost.stdout).toMatch(/^(ok|FAIL) {2,4}m\.json \[host=vmx\]/m);
  });
});
