import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioFromJson, scenarioToJson } from '../scenario/scenario-json';
import { policyArb } from '../test-support/arbitraries';
import { trimBitmap } from './bitmap';
import { policyFromJson, policyToJson } from './policy-json';
import type { FilterPolicy } from './types';

/** What a policy means: bits past nmsrs and trailing zero bytes carry nothing. */
function meaning(p: FilterPolicy) {
  return {
    flags: p.flags,
    ranges: p.ranges.map((r) => ({
      flags: r.flags,
      base: r.base,
      nmsrs: r.nmsrs,
      bitmap: [...trimBitmap(r.bitmap.subarray(0, Math.ceil(r.nmsrs / 8)))],
    })),
  };
}

describe('JSON round trips', () => {
  it('msr-filter/1: policyFromJson(JSON of policyToJson(p)) means p (10,000 policies, invalid ones too)', () => {
    fc.assert(
      fc.property(policyArb(), (p) => {
        const back = policyFromJson(JSON.parse(JSON.stringify(policyToJson(p))));
        expect(meaning(back)).toEqual(meaning(p));
      }),
      { numRuns: 10_000, seed: 11 },
    );
  });

  it('msr-scenario/1 round-trips through its JSON', () => {
    const stepArb = fc.oneof(
      fc.record({ op: fc.constant('rdmsr'), index: fc.integer({ min: 0, max: 0xffffffff }), host: fc.boolean() }),
      fc.record({
        op: fc.constant('wrmsr'),
        index: fc.integer({ min: 0, max: 0xffffffff }),
        value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        host: fc.boolean(),
      }),
      fc.record({ op: fc.constant('set-exits'), exits: fc.bigInt({ min: 0n, max: 15n }) }),
    );
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 10 }),
        policyArb({ maxRanges: 3 }),
        fc.boolean(),
        (steps, filter, ignoreMsrs) => {
          const s = scenarioFromJson({
            profile: 'linux-5.10',
            vcpu: 'linux64',
            exits: 5,
            ignoreMsrs,
            filter: policyToJson(filter),
            steps: JSON.parse(JSON.stringify(steps, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))),
          });
          const again = scenarioFromJson(JSON.parse(JSON.stringify(scenarioToJson(s))));
          expect(again.steps).toEqual(s.steps);
          expect(meaning(again.filter as FilterPolicy)).toEqual(meaning(s.filter as FilterPolicy));
          expect([again.profile, again.vcpu, again.exits, again.ignoreMsrs]).toEqual([
            s.profile,
            s.vcpu,
            s.exits,
            s.ignoreMsrs,
          ]);
        },
      ),
      { numRuns: 1000, seed: 5 },
    );
  });
});
