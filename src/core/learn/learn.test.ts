// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINUX_BOOT_MSRS } from '../lint/linux-boot-msrs';
import { PROFILES } from '../profiles/profiles';
import { learnPolicy, replayAccesses } from './learn';
import { PASSTHROUGH_MSRS } from './passthrough';
import { distinctAccesses, formatDmesgLine, formatTraceLine, parseRecordedTrace } from './trace-parser';

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

  it('round-trips trace-cmd report and tracefs lines, any task name, mixed with dmesg #GP lines and other events', () => {
    const taskArb = fc.constantFrom('qemu-system-x86', 'CPU 0/KVM', 'CPU 12/KVM', 'cloud-hypervisor', 'vcpu0');
    const itemArb = fc.oneof(
      fc.record({
        kind: fc.constant('trace' as const),
        a: accessArb,
        style: fc.constantFrom('tracefs' as const, 'trace-cmd' as const),
        task: taskArb,
        pid: fc.integer({ min: 1, max: 4194304 }),
        cpu: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('dmesg' as const), a: accessArb }),
      fc.constant({ kind: 'other' as const }),
    );
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 30 }), (items) => {
        const lines = items.map((it, i) => {
          if (it.kind === 'trace') return formatTraceLine(it.a, i / 100, it);
          if (it.kind === 'dmesg') return formatDmesgLine(it.a, i / 100);
          return ` qemu-system-x86-1 [000] ..... ${(i / 100).toFixed(6)}: kvm_exit: reason MSR_WRITE rip 0x1`;
        });
        const parsed = parseRecordedTrace(['cpus=1', ...lines].join('\n'));
        expect(parsed.malformed).toEqual([]);
        expect(parsed.ignored).toBe(items.filter((x) => x.kind === 'other').length + 1);
        const want = items.flatMap((it, i) =>
          it.kind === 'trace'
            ? [{ line: i + 2, op: it.a.op, index: it.a.index, value: it.a.value, gp: it.a.gp, source: 'trace' }]
            : it.kind === 'dmesg'
              ? [
                  {
                    line: i + 2,
                    op: it.a.op,
                    index: it.a.index,
                    value: it.a.op === 'write' ? it.a.value : 0n,
                    gp: true,
                    source: 'dmesg',
                  },
                ]
              : [],
        );
        expect(parsed.accesses).toEqual(want);
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('survives mutated lines: every line is read, ignored or reported as malformed with its number, never thrown', () => {
    const mutate = fc.tuple(
      accessArb.map((a) => formatTraceLine(a)),
      fc.nat(),
      fc.constantFrom('cut', 'insert', 'replace'),
      fc.string({ minLength: 1, maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(mutate, { minLength: 1, maxLength: 30 }), (cases) => {
        const lines = cases.map(([line, at, how, junk]) => {
          const i = at % (line.length + 1);
          if (how === 'cut') return line.slice(0, i);
          if (how === 'insert') return line.slice(0, i) + junk + line.slice(i);
          return line.slice(0, i) + junk + line.slice(i + junk.length);
        });
        const parsed = parseRecordedTrace(lines.join('\n'));
        const physical = lines.join('\n').split(/\r\n|\n|\r/);
        const counted = physical.filter((x) => x.trim() && !x.trim().startsWith('#')).length;
        expect(parsed.accesses.length + parsed.malformed.length + parsed.ignored).toBe(counted);
        const lineNos = [...parsed.accesses.map((a) => a.line), ...parsed.malformed.map((m) => m.line)];
        expect(new Set(lineNos).size).toBe(lineNos.length);
        for (const m of parsed.malformed) {
          expect(m.line).toBeGreaterThanOrEqual(1);
          expect(m.line).toBeLessThanOrEqual(physical.length);
          expect(m.reason.length).toBeGreaterThan(0);
        }
        // a read line names a 32-bit index and a 64-bit value
        for (const a of parsed.accesses) {
          expect(a.index).toBeGreaterThanOrEqual(0);
          expect(a.index).toBeLessThanOrEqual(0xffffffff);
          expect(a.value < 1n << 64n).toBe(true);
        }
      }),
      { numRuns: 300, seed: 10 },
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

  it('a replay names the pass-through MSRs the policy denies, which the trace cannot show', () => {
    const parsed = parseRecordedTrace(fixture('boot-host.trace'));
    const exact = learnPolicy(p612, parsed.accesses, { passthrough: false });
    const r = replayAccesses(p612, exact.policy, parsed.accesses, { filterExit: true });
    expect(r.replayed.every((x) => x.verdict === 'allowed')).toBe(true);
    expect(r.unseen).toContainEqual(expect.objectContaining({ op: 'write', index: 0xc0000082, name: 'LSTAR' }));
    const withPassthrough = learnPolicy(p612, parsed.accesses);
    expect(replayAccesses(p612, withPassthrough.policy, parsed.accesses, { filterExit: true }).unseen).toEqual([]);
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
