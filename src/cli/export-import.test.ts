// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeShareFragment, PRESETS, policyToJson, SHARE_LINK_LIMITS, scenarioToJson } from '../core/index';
import { runCliInMemory } from './run-cli-in-memory';

const cli = runCliInMemory;

const policy = {
  format: 'msr-filter/1',
  name: 'tsc only',
  flags: 'DEFAULT_DENY',
  ranges: [{ flags: 'READ|WRITE', base: '0x10', nmsrs: 1, bitmap: '01', comment: 'IA32_TSC' }],
};
const scenario = {
  format: 'msr-scenario/1',
  name: 'saved accesses',
  profile: 'linux-5.12',
  vcpu: 'linux64',
  exits: ['filter', 'unknown'],
  ignoreMsrs: true,
  filter: policy,
  vmm: { read: { data: '0x5' }, write: { error: true } },
  steps: [
    { op: 'rdmsr', index: '0x10' },
    { op: 'wrmsr', index: '0x1fc', value: '0x1234', reply: { error: true } },
    { op: 'rdmsr', index: '0x11', host: true },
  ],
  expectations: ['allow', 'eperm', null],
};
const files = {
  'p.json': JSON.stringify(policy),
  's.json': JSON.stringify(scenario),
  'noflt.json': JSON.stringify({ format: 'msr-scenario/1', exits: ['filter'], steps: [] }),
  'big.json': JSON.stringify({
    flags: 0,
    ranges: Array.from({ length: 17 }, (_, i) => ({ flags: 'READ', base: i, nmsrs: 1 })),
  }),
};

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('msrfilter export', () => {
  it('--to json writes the policy as msr-filter/1, as before', async () => {
    const r = await cli(['export', 'p.json', '--to', 'json'], files);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...policy, ranges: [{ ...policy.ranges[0], base: '0x00000010' }] });
  });

  it('--to c writes a C program; from a scenario it carries the exit mask', async () => {
    const p = await cli(['export', 'p.json', '--to', 'c'], files);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('int main(void)');
    expect(p.stdout).toContain('/* ranges[0] "IA32_TSC": READ|WRITE, MSR 0x00000010, nmsrs 0x1 */');
    expect(p.stdout).not.toContain('KVM_ENABLE_CAP');
    const s = await cli(['export', 's.json', '--to', 'c'], files);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('.args = { KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER },');
    expect(s.stdout).toContain('.flags = KVM_MSR_FILTER_DEFAULT_DENY,');
  });

  it('--to rust writes kvm-bindings code', async () => {
    const r = await cli(['export', 's.json', '--to', 'rust'], files);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pub fn msr_filter() -> kvm_msr_filter {');
    expect(r.stdout).toContain(
      'pub const EXIT_MASK: u64 = (KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER) as u64;',
    );
  });

  it('--to url prints a full URL, on the default base or on --base', async () => {
    const r = await cli(['export', 'p.json', '--to', 'url'], files);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:5173\/#v2\.[A-Za-z0-9_-]+\n$/);
    const b = await cli(['export', 'p.json', '--to', 'url', '--base', 'https://play.example/msr/?a=b#old'], files);
    expect(b.stdout).toMatch(/^https:\/\/play\.example\/msr\/\?a=b#v2\.[A-Za-z0-9_-]+\n$/);
    const eq = await cli(['export', 'p.json', '--to=url', '--base=https://play.example/?x=1&y=2'], files);
    expect(eq.stdout.startsWith('https://play.example/?x=1&y=2#v2.')).toBe(true);
    expect(b.stdout.split('#')[1]).toBe(r.stdout.split('#')[1]);
  });

  it('a scenario without a filter exports an empty one, and says so', async () => {
    const r = await cli(['export', 'noflt.json', '--to', 'json'], files);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ format: 'msr-filter/1', flags: 'DEFAULT_ALLOW', ranges: [] });
    expect(oneLine(r.stderr)).toMatch(/note: the scenario installs no filter/);
  });

  it('17 ranges cannot be code: exit 1 with one line; JSON and links still work', async () => {
    const r = await cli(['export', 'big.json', '--to', 'c'], files);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toMatch(/^msrfilter: cannot export to c: ranges\[16\]: struct kvm_msr_filter has room/);
    expect((await cli(['export', 'big.json', '--to', 'rust'], files)).code).toBe(1);
    expect((await cli(['export', 'big.json', '--to', 'json'], files)).code).toBe(0);
    expect((await cli(['export', 'big.json', '--to', 'url'], files)).code).toBe(0);
  });

  it('a document too large for a link: exit 1 with one line', async () => {
    const steps = Array.from({ length: SHARE_LINK_LIMITS.maxSteps + 1 }, () => ({ op: 'rdmsr', index: 0 }));
    const r = await cli(['export', 'x.json', '--to', 'url'], {
      'x.json': JSON.stringify({ format: 'msr-scenario/1', steps }),
    });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/too large for a share link/);
  });

  it('bad usage and malformed input exit 2 with one line naming the place', async () => {
    expect((await cli(['export', 'p.json'], files)).code).toBe(2);
    expect((await cli(['export', 'p.json', '--to', 'python'], files)).code).toBe(2);
    expect((await cli(['export', 'p.json', '--to', 'url', '--base', 'not a url'], files)).code).toBe(2);
    expect((await cli(['export', 'p.json', '--to', 'c', '--profile', 'linux-9'], files)).code).toBe(2);
    const bad = await cli(['export', 'b.json', '--to', 'c'], {
      'b.json': JSON.stringify({ ranges: [{ flags: 'READ', base: '0x1ffffffff', nmsrs: 1 }] }),
    });
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toBe('ranges[0].base: 0x1ffffffff is not a 32-bit MSR index');
    const badScenario = await cli(['export', 'b.json', '--to', 'url'], {
      'b.json': JSON.stringify({ format: 'msr-scenario/1', steps: [{ op: 'rdmsr', index: '0x1ffffffff' }] }),
    });
    expect(badScenario.code).toBe(2);
    expect(oneLine(badScenario.stderr)).toBe('steps[0].index: 0x1ffffffff is not a 32-bit MSR index');
    const badExpectation = await cli(['export', 'b.json', '--to', 'url'], {
      'b.json': JSON.stringify({ format: 'msr-scenario/1', steps: [], expectations: ['maybe'] }),
    });
    expect(oneLine(badExpectation.stderr)).toMatch(/^expectations\[0\]: expected "allow", "eperm", "gp" or null/);
    expect((await cli(['export', 'missing.json', '--to', 'c'], files)).code).toBe(2);
  });
});

describe('msrfilter import', () => {
  it('prints the policy of a link as msr-filter/1 JSON (URL, #fragment or fragment)', async () => {
    const url = (await cli(['export', 'p.json', '--to', 'url'], files)).stdout.trim();
    const fragment = url.slice(url.indexOf('#') + 1);
    for (const arg of [url, `#${fragment}`, fragment]) {
      const r = await cli(['import', arg]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse((await cli(['export', 'p.json', '--to', 'json'], files)).stdout));
    }
  });

  it('--scenario prints the whole document: settings, steps and expectations; export --to url gives the same link', async () => {
    const url = (await cli(['export', 's.json', '--to', 'url'], files)).stdout.trim();
    const r = await cli(['import', url, '--scenario']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      format: 'msr-scenario/1',
      name: 'saved accesses',
      profile: 'linux-5.12',
      vcpu: 'linux64',
      exits: ['unknown', 'filter'],
      ignoreMsrs: true,
      vmm: { read: { data: '0x0000000000000005' }, write: { error: true } },
      expectations: ['allow', 'eperm', null],
    });
    expect(doc.steps).toHaveLength(3);
    const again = await cli(['export', 'again.json', '--to', 'url'], { 'again.json': r.stdout });
    expect(again.stdout.trim()).toBe(url);
    // Without --scenario, it says that there is more in the link.
    const policyOnly = await cli(['import', url]);
    expect(oneLine(policyOnly.stderr)).toMatch(/--scenario prints them all/);
  });

  it('reads the link from standard input with -', async () => {
    const fragment = encodeShareFragment({ scenario: PRESETS[0].scenario });
    const r = await cli(['import', '-'], { '-': `http://127.0.0.1:5173/#${fragment}\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(policyToJson(PRESETS[0].scenario.filter as never));
    const s = await cli(['import', '-', '--scenario'], { '-': fragment });
    expect(JSON.parse(s.stdout)).toEqual(JSON.parse(JSON.stringify(scenarioToJson(PRESETS[0].scenario))));
  });

  it('a bad link exits 2 with one line: the ShareLinkError message', async () => {
    // Not a preset (whose link is a few characters): long enough to cut and damage.
    const ranges = Array.from({ length: 4 }, (_, i) => ({
      flags: 3,
      base: 0x1000 * i,
      nmsrs: 512,
      bitmap: Uint8Array.from({ length: 64 }, (_, j) => (j * 37 + i * 11) & 0xff),
    }));
    const good = encodeShareFragment({ scenario: { ...PRESETS[1].scenario, filter: { flags: 1, ranges } } });
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:5173/#${good.slice(0, 30)}`, /incomplete/],
      ['https://example.org/#section-2', /not an MSR Filter Playground document/],
      [`#v9.${good.slice(3)}`, /newer version of the playground/],
      [`${good.slice(0, 10)}*${good.slice(11)}`, /character "\*" at position 8/],
      [`${good.slice(0, -12)}AAAAAAAAAAAA`, /damaged/],
      ['http://127.0.0.1:5173/', /no #fragment/],
    ];
    for (const [arg, message] of cases) {
      const r = await cli(['import', arg]);
      expect(r.code, arg).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneLine(r.stderr)).toMatch(/^msrfilter: This link/);
      expect(r.stderr).toMatch(message);
    }
    expect((await cli(['import'])).code).toBe(2);
  });
});

describe('the installed command exports and imports', () => {
  const bin = join(process.cwd(), 'bin/msrfilter.mjs');
  it('round-trips a policy through a link, and a bad link is exit 2 without a stack trace', () => {
    const url = spawnSync(process.execPath, [bin, 'export', '-', '--to', 'url'], { input: JSON.stringify(policy) });
    expect(url.status).toBe(0);
    const back = spawnSync(process.execPath, [bin, 'import', url.stdout.toString().trim()]);
    expect(back.status).toBe(0);
    expect(JSON.parse(back.stdout.toString()).ranges[0].comment).toBe('IA32_TSC');
    const bad = spawnSync(process.execPath, [bin, 'import', 'v1.not-a-link']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toMatch(/^msrfilter: This link is damaged/);
    expect(bad.stderr.toString()).not.toMatch(/at .*\.ts:\d+/);
  });
});
