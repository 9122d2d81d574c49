// @vitest-environment node
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliExit, main } from '../src/cli/main';
import { InputError, resultsToJsonLines, runScenario, scenarioFromJson } from '../src/core/index';
import { detectNativeHost } from '../src/node/native-host';
import { kvmAvailability, runHelper } from './helper-process';
import { svm61Kernel } from './kvm-backends';
import { runScenarioOnKvm } from './kvm-runner';

const dir = mkdtempSync(join(tmpdir(), 'kvm-runner-test-'));

/** A stand-in helper: a node script with the given body, reading the commands on stdin. */
function fakeHelper(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!${process.execPath}\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const noKvm = fakeHelper('no-kvm', "console.log('fatal no-kvm cannot open /dev/kvm: ENOENT'); process.exit(3);");
const dies = fakeHelper(
  'dies',
  `let n = 0;
   require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => {
     if (n++ === 0) return console.log('ok');
     console.log('fatal rdmsr: guest shutdown (triple fault)'); process.exit(4);
   });`,
);
const hangs = fakeHelper('hangs', 'setTimeout(() => {}, 60000);');
const refuses = fakeHelper(
  'refuses',
  `let n = 0;
   require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => {
     if (n++ < 2) return console.log(n === 1 ? 'ok' : 'errno 0');
     console.log('fatal refused rdmsr: KVM wrote guest memory 0x8000-0x801d, over the helper\\'s stubs'); process.exit(5);
   });`,
);

const T1 = JSON.stringify({
  format: 'msr-scenario/1',
  exits: ['filter'],
  filter: {
    flags: 0,
    ranges: [
      { flags: 'READ|WRITE', base: '0xda0', nmsrs: 1, bitmap: '00' },
      { flags: 'READ|WRITE', base: '0x10b', nmsrs: 1, bitmap: '00' },
    ],
  },
  steps: [
    { op: 'rdmsr', index: '0xda0', reply: { data: '0x0' } },
    { op: 'wrmsr', index: '0xda0', value: '0x1' },
    { op: 'rdmsr', index: '0x12345678' },
    { op: 'rdmsr', index: '0x1b', host: true },
    { op: 'set-filter', filter: { flags: 2 } },
    { op: 'set-exits', exits: 8 },
  ],
});

describe('runScenarioOnKvm without the kernel', () => {
  it('rejects malformed input with the same located InputError as the simulator (exit 2)', async () => {
    const bad = '{"steps":[{"op":"rdmsr","index":"0x1ffffffff"}]}';
    await expect(runScenarioOnKvm(bad, { trace: false })).rejects.toThrow(InputError);
    await expect(runScenarioOnKvm(bad, { trace: false })).rejects.toThrow(
      'steps[0].index: 0x1ffffffff is not a 32-bit MSR index',
    );
    await expect(runScenarioOnKvm('{', { trace: false })).rejects.toThrow(/not valid JSON/);
  });

  it('turns "no usable /dev/kvm" into CliExit 3 with a clear message', async () => {
    const run = runScenarioOnKvm(T1, { trace: false, helper: noKvm });
    await expect(run).rejects.toBeInstanceOf(CliExit);
    await expect(run).rejects.toMatchObject({ code: 3 });
    await expect(run).rejects.toThrow(/^msrfilter: --kvm: \/dev\/kvm not available: fatal no-kvm/);
  });

  it('names the step where the helper failed (exit 4)', async () => {
    const run = runScenarioOnKvm(T1, { trace: false, helper: dies });
    await expect(run).rejects.toMatchObject({ code: 4 });
    await expect(run).rejects.toThrow(
      'msrfilter: --kvm: the helper failed at set-up (`exits 0x4`): fatal rdmsr: guest shutdown (triple fault)',
    );
  });

  it('turns a helper that refused the scenario (exit 5: KVM wrote over its code) into CliExit 2 naming the step', async () => {
    const run = runScenarioOnKvm(T1, { trace: false, helper: refuses });
    await expect(run).rejects.toMatchObject({ code: 2 });
    await expect(run).rejects.toThrow(
      /^msrfilter: --kvm: the scenario is refused at set-up \(`filter 0x0`\): KVM wrote guest memory 0x8000-0x801d, over the helper's stubs\. MSRs that make KVM write guest memory \(kvmclock/,
    );
  });

  it('kills a helper that does not answer in time', async () => {
    const run = runScenarioOnKvm(T1, { trace: false, helper: hangs, timeoutMs: 300 });
    await expect(run).rejects.toThrow(/did not finish within 300 ms/);
  });

  it('names the kernel the script ran on (svm-6.1), not this machine, in the profile note', async () => {
    const notes: string[] = [];
    // a scenario without steps: `vcpu`, then `quit`, each answered `ok`
    const runScript = async () => ({ lines: ['ok', 'ok'], code: 0, signal: null, stderr: '', timedOut: false });
    const opts = {
      trace: false,
      runScript,
      kernel: svm61Kernel('6.1.0-57-amd64 #1 SMP'),
      stderr: (s: string) => notes.push(s),
    };
    await runScenarioOnKvm('{"profile":"linux-6.12","steps":[]}', opts);
    expect(notes).toEqual([
      "msrfilter: note: --kvm measures the svm-6.1 guest's kernel (Linux 6.1.0-57-amd64, kvm_amd under QEMU TCG), " +
        "whatever the profile: the results are that kernel's (profile linux-5.19), not linux-6.12's\n",
    ]);
    expect(notes.join('')).not.toContain(release());
    notes.length = 0;
    await runScenarioOnKvm('{"profile":"linux-5.19","steps":[]}', opts);
    expect(notes).toEqual([]);
  });

  it('a helper that cannot be started is "not available" (exit 3)', async () => {
    await expect(runScenarioOnKvm(T1, { trace: false, helper: join(dir, 'missing') })).rejects.toMatchObject({
      code: 3,
    });
  });
});

const kvm = await kvmAvailability();

describe(`msrfilter run --kvm (${kvm.available ? kvm.kernel : 'no /dev/kvm'})`, () => {
  const cli = async (argv: string[], files: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      readFile: (p) => files[p],
      nativeHost: () => detectNativeHost(),
      runOnKvm: (text, args) => runScenarioOnKvm(text, { ...args, stderr: (s) => err.push(s) }),
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  if (!kvm.available) {
    it('exits 3 with one clear line', async () => {
      console.warn(`skipped: no /dev/kvm (${kvm.reason})`);
      const r = await cli(['run', '--kvm', 't1.json'], { 't1.json': T1 });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^msrfilter: --kvm: .*\n$/);
    });
    return;
  }

  it('prints the same JSON Lines as the simulator for T1', async () => {
    const r = await cli(['run', '--kvm', 't1.json'], { 't1.json': T1 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `msrfilter: note: ran on this machine's kernel; its host model is ${detectNativeHost().id} (module `,
    );
    const sim = resultsToJsonLines(runScenario(scenarioFromJson(JSON.parse(T1)), false).steps);
    const strip = (s: string) => s.replace(/"message":"[^"]*"/g, '"message":""');
    expect(strip(r.stdout)).toBe(strip(sim));
  });

  it("filters a guest WRMSR of TSC_DEADLINE, as this host's model says (kvm_intel's VM-exit fastpath would not)", async () => {
    const scenario = JSON.stringify({
      vcpu: 'linux64',
      exits: ['filter'],
      filter: { flags: 'DEFAULT_ALLOW', ranges: [{ flags: 'WRITE', base: '0x6e0', nmsrs: 1, bitmap: '00' }] },
      steps: [
        { op: 'wrmsr', index: '0x6e0', value: '0x7fffffffffff' },
        { op: 'rdmsr', index: '0x6e0' },
      ],
    });
    const r = await cli(['run', '--kvm', 'deadline.json'], { 'deadline.json': scenario });
    expect(r.code).toBe(0);
    const [write] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const native = detectNativeHost().id;
    // measured on PVM (Intel and AMD): filtered; kvm_intel's fastpath would let it through, as the vmx model says
    if (native?.startsWith('pvm')) expect(write).toMatchObject({ decision: 'eperm', exit: { reason: 'filter' } });
    const sim = runScenario(scenarioFromJson({ ...JSON.parse(scenario), ...(native && { hostModel: native }) }), false);
    expect(resultsToJsonLines(sim.steps)).toBe(r.stdout);
  });

  it('the helper serves fresh VMs one after another in one process (`close`, then `vcpu`)', async () => {
    const r = await runHelper(
      'vcpu bare\nwrmsr 0x277 0x6 error\nclose\nvcpu linux64\nrdmsr 0x277 error\nclose\nquit\n',
    );
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'ok',
      'wrmsr exit=none kreason=none result=ok',
      'ok',
      'ok',
      // a fresh VM: PAT at its reset value, not the 0x6 written in the one before
      'rdmsr exit=none kreason=none result=ok value=0x0007040600070406',
      'ok',
      'ok',
    ]);
  });

  it('notes that the kernel is this machine, not an older profile, and still runs', async () => {
    const old = JSON.stringify({ ...JSON.parse(T1), profile: 'linux-5.10' });
    const r = await cli(['run', '--kvm', 'old.json'], { 'old.json': old });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: --kvm measures this machine's kernel \(Linux 6\.\d+.*not linux-5\.10's/);
    expect(r.stdout.trim().split('\n')).toHaveLength(6);
  });

  it('with --trace, each access carries the helper command and the kernel line', async () => {
    const r = await cli(['run', '--kvm', '--trace', 't1.json'], { 't1.json': T1 });
    const first = JSON.parse(r.stdout.split('\n')[0]);
    expect(first.trace).toEqual([
      'oracle: rdmsr 0xda0 data:0x0',
      'kernel: rdmsr exit=filter kreason=filter result=ok value=0x0000000000000000',
      'filter: ranges[0] bit 0 (from the installed policy)',
    ]);
  });

  it('notes a failing initial filter on stderr and one of more than 16 ranges without calling the kernel', async () => {
    const ranges = Array.from({ length: 17 }, (_, i) => ({ flags: 'READ', base: i * 0x100, nmsrs: 1 }));
    const text = JSON.stringify({ filter: { ranges }, steps: [{ op: 'rdmsr', index: '0x0' }] });
    const r = await cli(['run', '--kvm', 's.json'], { 's.json': text });
    expect(r.stderr).toMatch(/^msrfilter: note: filter: E2BIG: not passed to the kernel/);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'allow', range: null });
  });

  // A GPA the scenario writes to an MSR that makes KVM write guest memory (issue 15): pointed at the helper's own
  // code, tables or stack, the next answer would not be the filter's. The helper refuses such a scenario instead.
  const kvmclock = (vcpu: string, steps: object[]) => JSON.stringify({ vcpu, steps });
  for (const vcpu of ['bare', 'linux64']) {
    it(`refuses the kvmclock scenario (host write of 0x8001 to 0x4b564d01, then rdmsr 0x10), ${vcpu}`, async () => {
      const text = kvmclock(vcpu, [
        { op: 'wrmsr', index: '0x4b564d01', value: '0x8001', host: true },
        { op: 'rdmsr', index: '0x10' },
      ]);
      const r = await cli(['run', '--kvm', 's.json'], { 's.json': text });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^msrfilter: --kvm: the scenario is refused at steps\[1\] \(`rdmsr 0x10 error`\): KVM wrote guest memory 0x8000-0x80[0-9a-f]{2}, over the helper's RDMSR\/WRMSR\/CPUID stubs/,
      );
    });
  }

  it('refuses other GPAs over its tables or stack, at the step where KVM wrote', async () => {
    const cases: [object[], RegExp][] = [
      // MSR_KVM_SYSTEM_TIME (0x12) over the IDT, written on the next entry
      [
        [
          { op: 'wrmsr', index: '0x12', value: '0x5001', host: true },
          { op: 'rdmsr', index: '0x10' },
        ],
        /refused at steps\[1\] .*over the helper's IDT/,
      ],
      // the wall clock (0x4b564d00) is written at once: the host write itself is refused
      [
        [{ op: 'wrmsr', index: '0x4b564d00', value: '0x1000', host: true }],
        /refused at steps\[0\] .*over the helper's PML4/,
      ],
      // steal time (0x4b564d03) over the stubs
      [
        [
          { op: 'wrmsr', index: '0x4b564d03', value: '0x8001', host: true },
          { op: 'rdmsr', index: '0x10' },
        ],
        /refused at steps\[1\] .*over the helper's RDMSR/,
      ],
      // kvmclock in the stack page, away from the #GP frame
      [
        [
          { op: 'wrmsr', index: '0x4b564d01', value: '0xe001', host: true },
          { op: 'rdmsr', index: '0x12345' },
        ],
        /refused at steps\[1\] .*at 0xe000, in the helper's stack page/,
      ],
      // the guest's own WRMSR of kvmclock
      [
        [
          { op: 'wrmsr', index: '0x4b564d01', value: '0x8001' },
          { op: 'rdmsr', index: '0x10' },
        ],
        /refused at steps\[0\] /,
      ],
    ];
    for (const [steps, message] of cases) {
      const r = await cli(['run', '--kvm', 's.json'], { 's.json': kvmclock('linux64', steps) });
      expect(r.code, JSON.stringify(steps)).toBe(2);
      expect(r.stderr, JSON.stringify(steps)).toMatch(message);
    }
  });

  it('still runs kvmclock pointed at memory the helper does not use, with the verdicts the simulator gives', async () => {
    const text = kvmclock('linux64', [
      { op: 'wrmsr', index: '0x4b564d01', value: '0x100001', host: true },
      { op: 'rdmsr', index: '0x10' },
      { op: 'rdmsr', index: '0x12345' },
      { op: 'rdmsr', index: '0x4b564d01' },
    ]);
    const r = await cli(['run', '--kvm', 's.json'], { 's.json': text });
    expect(r.code).toBe(0);
    const kernel = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const sim = resultsToJsonLines(runScenario(scenarioFromJson(JSON.parse(text)), false).steps)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(kernel.map((k) => [k.decision, k.result])).toEqual(sim.map((x) => [x.decision, x.result]));
    expect(kernel[3].value).toBe('0x0000000000100001');
  });
});
