import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../policy/policy-json';
import { scenarioFromJson, scenarioToJson } from './scenario-json';
import { decodeScenarioText } from './scenario-text';
import type { Scenario, Step } from './types';

/** The ordinary reader's answer for a parsed document: the scenario, or the error message. */
function ordinary(json: unknown): { scenario: Scenario } | { error: string } {
  try {
    return { scenario: scenarioFromJson(json) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Both readers on one text: the fast path's answer (null when it declined) and the ordinary one. */
function bothWays(text: string) {
  let slow: ReturnType<typeof ordinary>;
  try {
    slow = ordinary(parseJsonText(text, ''));
  } catch (e) {
    slow = { error: (e as Error).message };
  }
  const decoded = decodeScenarioText(text);
  return { fast: decoded === null ? null : ordinary(decoded), slow };
}

const hexOf = (n: bigint, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** How an index or value may be written: mostly as the exporter does, and every near miss the ordinary reader sees. */
const numberText = (max: bigint): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 40, arbitrary: fc.bigInt({ min: 0n, max }).map((n) => hexOf(n, max > 0xffff_ffffn ? 16 : 8)) },
    fc.bigInt({ min: 0n, max }).map((n) => `0x${n.toString(16).toUpperCase()}`),
    fc.bigInt({ min: 0n, max }).map((n) => `0X${n.toString(16)}`),
    fc.bigInt({ min: 0n, max }).map((n) => n.toString()),
    fc.bigInt({ min: 0n, max }).map((n) => `00${n.toString()}`),
    fc.bigInt({ min: max + 1n, max: max * 4n + 3n }).map((n) => `0x${n.toString(16)}`),
    fc.bigInt({ min: max + 1n, max: max * 4n + 3n }).map((n) => n.toString()),
    fc.integer({ min: 0, max: 1000 }),
    fc.constantFrom('', '0x', ' 0x10', '0x10 ', '0xg', '-1', '1e3', '0x00000000000000000000001', null, true),
  );

const expectArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 'allow', 'eperm', 'gp', 'deny', 5),
  fc.record(
    {
      decision: fc.constantFrom('allow', 'eperm', 'gp'),
      exit: fc.constantFrom(null, 'filter', 'inval', 'unknown'),
      result: fc.constantFrom('ok', 'gp', 'error'),
      value: fc.oneof(fc.constant(null), numberText((1n << 64n) - 1n)),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      decision: fc.constantFrom('allow', 'eperm', 'gp', 'deny'),
      exit: fc.constantFrom(null, 'filter', 'inval', 'unknown', 'user', { reason: 'filter' }),
      result: fc.constantFrom('ok', 'gp', 'error', 'fail'),
      value: fc.oneof(fc.constant(null), numberText((1n << 64n) - 1n)),
      errno: fc.constantFrom(null, 'EPERM'),
    },
    { requiredKeys: [] },
  ),
);

const stepArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.oneof({ weight: 20, arbitrary: fc.constantFrom('rdmsr', 'wrmsr') }, fc.constantFrom('set-exits', 'x', 3)),
    fc.record(
      {
        index: numberText(0xffff_ffffn),
        value: numberText((1n << 64n) - 1n),
        host: fc.oneof({ weight: 9, arbitrary: fc.boolean() }, fc.constant('yes')),
        expect: expectArb,
      },
      { requiredKeys: [] },
    ),
    // Mostly a value where the op needs one, and none where it has none; now and then the other way.
    fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
    // Now and then a member the fast path leaves to the ordinary reader.
    fc.oneof(
      { weight: 9, arbitrary: fc.constant({}) },
      fc.record(
        { reply: fc.constantFrom({ error: true }, { data: '0x5' }), comment: fc.string() },
        { requiredKeys: [] },
      ),
    ),
  )
  .map(([op, { value, ...fields }, valueWhereNeeded, extra]) => {
    const withValue = (op === 'wrmsr') === valueWhereNeeded;
    return { op, index: '0x10', ...fields, ...(withValue ? { value: value ?? '0x1' } : {}), ...extra };
  });

/** An object with its keys in an order drawn by fast-check (JSON keeps the order it is given). */
const shuffledKeys = <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) =>
  arb.chain((obj) =>
    fc
      .shuffledSubarray(Object.keys(obj), { minLength: Object.keys(obj).length })
      .map((keys) => Object.fromEntries(keys.map((k) => [k, obj[k]]))),
  );

const documentArb = fc.record(
  {
    format: fc.constantFrom('msr-scenario/1', 'msr-scenario/1', 'msr-scenario/1', 'msr-filter/1'),
    profile: fc.constantFrom('linux-6.12', 'linux-6.0', 'linux-6.12', 'linux-9.9'),
    exits: fc.constantFrom(['filter'], ['filter', 'unknown'], 'filter'),
    filter: fc.constantFrom(null, {
      flags: 'DEFAULT_DENY',
      ranges: [{ flags: 'READ', base: '0x10', nmsrs: 8, bitmap: '0f' }],
    }),
    steps: fc.oneof({ weight: 9, arbitrary: fc.array(shuffledKeys(stepArb), { maxLength: 4 }) }, fc.constant('none')),
  },
  { requiredKeys: ['steps'] },
);

/** The ways a text may be laid out: compact, indented, with a byte order mark, with a key escaped. */
const layoutArb = fc.record({
  indent: fc.constantFrom(undefined, 2, '\t'),
  bom: fc.boolean(),
  escapeOp: fc.boolean(),
});

function layOut(doc: unknown, layout: { indent: number | string | undefined; bom: boolean; escapeOp: boolean }) {
  let text = JSON.stringify(doc, null, layout.indent);
  if (layout.escapeOp) text = text.replace('"op"', '"\\u006fp"');
  return (layout.bom ? '\ufeff' : '') + text;
}

describe('the fast scenario text reader', () => {
  it('answers exactly as JSON.parse + scenarioFromJson wherever it answers (random documents and near misses)', () => {
    let answered = 0;
    let withSteps = 0;
    fc.assert(
      fc.property(documentArb, layoutArb, (doc, layout) => {
        const { fast, slow } = bothWays(layOut(doc, layout));
        if (fast === null) return;
        answered++;
        if ('scenario' in fast && fast.scenario.steps.length > 0) withSteps++;
        expect(fast).toEqual(slow);
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the documents is read by the fast path.
    expect(answered).toBeGreaterThan(300);
    expect(withSteps).toBeGreaterThan(60);
  });

  it('agrees with the ordinary reader on texts cut short or with one character changed', () => {
    const canonical = (steps: Step[]) =>
      JSON.stringify(
        scenarioToJson({
          profile: 'linux-6.12',
          vcpu: 'bare',
          exits: 4n,
          ignoreMsrs: false,
          vmm: { read: { error: true }, write: { error: true } },
          filter: null,
          steps,
        }),
      );
    const accessStep: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant('rdmsr' as const), index: u32, host: fc.boolean() }),
      fc.record({ op: fc.constant('wrmsr' as const), index: u32, value: u64, host: fc.boolean() }),
    );
    fc.assert(
      fc.property(
        fc.array(accessStep, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.constantFrom('', '"', '\\', '}', ']', ',', ' ', 'x', '0', '\u0001'),
        (steps, at, ch) => {
          const text = canonical(steps);
          const pos = at % text.length;
          for (const mutated of [text.slice(0, pos), text.slice(0, pos) + ch + text.slice(pos + 1)]) {
            const { fast, slow } = bothWays(mutated);
            if (fast !== null) expect(fast).toEqual(slow);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads what the exporter writes, every access step with its expectation', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom('rdmsr', 'wrmsr'),
            index: u32,
            value: u64,
            host: fc.boolean(),
            decision: fc.constantFrom('allow', 'eperm', 'gp'),
            exit: fc.constantFrom(null, 'filter', 'inval', 'unknown'),
            result: fc.constantFrom('ok', 'gp', 'error'),
            got: fc.option(u64),
          }),
          { maxLength: 20 },
        ),
        (rows) => {
          const steps: Step[] = rows.map((r) => ({
            ...(r.op === 'rdmsr'
              ? { op: 'rdmsr' as const, index: r.index, host: r.host }
              : { op: 'wrmsr' as const, index: r.index, value: r.value, host: r.host }),
            expect: { decision: r.decision, exit: r.exit, result: r.result, value: r.got },
          }));
          const text = JSON.stringify(
            scenarioToJson({
              profile: 'linux-6.12',
              vcpu: 'bare',
              exits: 7n,
              ignoreMsrs: false,
              vmm: { read: { error: false, data: 5n }, write: { error: true } },
              filter: null,
              steps,
            }),
          );
          const { fast, slow } = bothWays(text);
          expect(fast).not.toBeNull();
          expect(fast).toEqual(slow);
          expect('scenario' in slow && slow.scenario.steps).toEqual(steps);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('declines what is not a scenario object with a steps array, leaving the errors to the ordinary reader', () => {
    for (const text of ['', '[]', '{}', '{"steps": 5}', '{"steps": []} x', '{"steps": [], "steps": []}', 'null']) {
      expect(decodeScenarioText(text), text).toBeNull();
    }
  });
});
