// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINUX_BOOT_MSRS } from '../lint/linux-boot-msrs';
import { PROFILES } from '../profiles/profiles';
import { learnPolicy, replayAccesses } from './learn';
import { PASSTHROUGH_MSRS } from './passthrough';
import { distinctAccesses, formatTraceLine, parseRecordedTrace } from './trace-parser';

const FIXTURES = join(__dirname, '../../../oracle/trace/fixtures');
const CPUS = ['host', 'EPYC', 'qemu64'];
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const p612 = PROFILES['linux-6.12'];

const accessArb = fc.record({
  op: fc.constantFrom('read' as const, 'write' as const),
  index: fc.integer({ min: 0, max: 0xffffffff }),
  value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  gp: fc.boolean(),
});

describe('trace parser', () => {
  it('round-trips generated trace text', () => {
    fc.assert(
      fc.property(fc.array(accessArb, { maxLength: 30 }), (list) => {
        const text = `# tracer: nop\n#\n${list.map((a, i) => formatTraceLine(a, i / 1000)).join('\n')}\n`;
        const parsed = parseRecordedTrace(text);
        expect(parsed.malformed).toEqual([]);
        expect(parsed.accesses.map(({ op, index, value, gp }) => ({ op, index, value, gp }))).toEqual(list);
        expect(parsed.accesses.map((a) => a.line)).toEqual(list.map((_, i) => i + 3));
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('survives fuzzed lines: never throws, reports each bad line with its number, keeps the good ones', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            accessArb.map((a) => formatTraceLine(a)),
            fc.string({ maxLength: 80 }),
            fc.constantFrom(
              ' x-1 [000] ..... 1.0: kvm_msr: msr_read zz = 0x1',
              'unchecked MSR access error: RDMSR from',
              '\u0000\u0001',
              `${'a'.repeat(5000)}`,
            ),
          ),
          { maxLength: 40 },
        ),
        (lines) => {
          const parsed = parseRecordedTrace(lines.join('\n'));
          const good = lines.filter(
            (l) => l.includes('kvm_msr: msr_') && /= 0x[0-9a-f]+( \(#GP\))?$/.test(l) && !l.includes('zz'),
          );
          expect(parsed.accesses.length).toBe(good.length);
          for (const m of parsed.malformed) {
            expect(m.line).toBeGreaterThan(0);
            expect(lines[m.line - 1].trim()).not.toBe('');
          }
        },
      ),
      { numRuns: 300, seed: 8 },
    );
  });

  it('reads dmesg "unchecked MSR access error" lines as #GP accesses', () => {
    const text = [
      '[    1.234567] unchecked MSR access error: RDMSR from 0xc0011029 at rIP: 0xffffffff8107b2a8 (native_read_msr+0x8/0x40)',
      '[    1.300000] unchecked MSR access error: WRMSR to 0x48 (tried to write 0x0000000000000004) at rIP: 0xffffffff81 (x)',
      '[    1.400000] Call Trace:',
      'garbage that is no log line',
    ].join('\n');
    const parsed = parseRecordedTrace(text);
    expect(parsed.accesses).toMatchObject([
      { op: 'read', index: 0xc0011029, gp: true, source: 'dmesg', line: 1 },
      { op: 'write', index: 0x48, value: 4n, gp: true, source: 'dmesg', line: 2 },
    ]);
    expect(parsed.ignored).toBe(1);
    expect(parsed.malformed).toMatchObject([{ line: 4 }]);
  });

  it.each(CPUS)('parses the recorded boot (-cpu %s) with no malformed line', (cpu) => {
    const parsed = parseRecordedTrace(fixture(`boot-${cpu}.trace`));
    expect(parsed.malformed).toEqual([]);
    expect(parsed.accesses.length).toBeGreaterThan(500);
    if (cpu === 'host') expect(parsed.accesses.some((a) => a.gp)).toBe(true);
  });
});

describe('learning from a recorded boot', () => {
  it.each(CPUS)('the learned policy lets that same boot (-cpu %s) through, in the fewest ranges', (cpu) => {
    const parsed = parseRecordedTrace(fixture(`boot-${cpu}.trace`));
    const learned = learnPolicy(p612, parsed.accesses);
    expect(learned.exact).toBe(true);
    expect(learned.policy?.flags).toBe(1);
    expect(learned.policy?.ranges.length).toBeLessThanOrEqual(16);
    const replay = replayAccesses(p612, learned.policy, parsed.accesses, { filterExit: false });
    expect(replay.error).toBeNull();
    expect(replay.replayed.filter((r) => r.verdict !== 'allowed')).toEqual([]);
    // and it allows the pass-through MSRs the trace cannot show
    const pt = replayAccesses(
      p612,
      learned.policy,
      PASSTHROUGH_MSRS.map((p, i) => ({
        line: i + 1,
        op: p.access === 'write' ? 'write' : 'read',
        index: p.index,
        value: 0n,
        gp: false,
        source: 'trace' as const,
      })),
      { filterExit: false },
    );
    expect(pt.replayed.every((r) => r.verdict === 'allowed')).toBe(true);
  });

  it('without pass-through it allows exactly what the guest did', () => {
    const parsed = parseRecordedTrace(fixture('boot-host.trace'));
    const learned = learnPolicy(p612, parsed.accesses, { passthrough: false });
    expect(learned.added).toEqual([]);
    const lstar = replayAccesses(
      p612,
      learned.policy,
      [{ line: 1, op: 'write', index: 0xc0000082, value: 0n, gp: false, source: 'trace' }],
      { filterExit: true },
    );
    expect(lstar.replayed[0].verdict).toBe('exit');
  });

  it('replays a recorded boot against a policy: which accesses it denies, as exits or #GP', () => {
    const parsed = parseRecordedTrace(fixture('boot-host.trace'));
    const qemu = { flags: 0, ranges: [{ flags: 1, base: 0x35, nmsrs: 1, bitmap: new Uint8Array([0]) }] };
    const denyTsc = { flags: 0, ranges: [{ flags: 2, base: 0x6e0, nmsrs: 1, bitmap: new Uint8Array([0]) }] };
    const r = replayAccesses(p612, denyTsc, parsed.accesses, { filterExit: true });
    const hit = r.replayed.filter((x) => x.verdict !== 'allowed');
    expect(hit).toMatchObject([{ op: 'write', index: 0x6e0, verdict: 'exit', range: 0, bit: 0 }]);
    expect(hit[0].count).toBeGreaterThan(10);
    expect(
      replayAccesses(p612, qemu, parsed.accesses, { filterExit: false }).replayed.every(
        (x) => x.verdict === 'allowed' || x.index === 0x35,
      ),
    ).toBe(true);
  });

  it("lint's boot list is exactly the union of the recorded boots' accesses", () => {
    const union = new Map<number, Set<string>>();
    for (const cpu of CPUS) {
      for (const d of distinctAccesses(parseRecordedTrace(fixture(`boot-${cpu}.trace`)).accesses)) {
        if (!union.has(d.index)) union.set(d.index, new Set());
        union.get(d.index)?.add(d.op);
      }
    }
    const derived = [...union.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([i, ops]) => [i, ops.size === 2 ? 'rw' : [...ops][0]]);
    expect(LINUX_BOOT_MSRS.map(([i, a]) => [i, a])).toEqual(derived);
  });
});
