/**
 * fast-check arbitraries for policies, scenarios and share documents (tests only; never imported by app code).
 * They cover what the JSON reader can hold, valid or not: any u32 flags, base and nmsrs, bitmaps longer or shorter
 * than nmsrs, trailing zero bytes, mostly-ones bitmaps, strings with lone surrogates.
 */
import fc from 'fast-check';
import { HOST_MODEL_IDS } from '../host/host-models';
import type { FilterPolicy, FilterRange } from '../policy/types';
import { PROFILE_IDS } from '../profiles/profiles';
import type { Scenario, Step, VmmReply } from '../scenario/types';
import { VCPU_MODEL_IDS } from '../vcpu/models';
import { base64urlEncode } from './bytes';
import type { Expectation, ShareDocument } from './document';

const U64_MAX = (1n << 64n) - 1n;

export const arbU32 = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 0x35, 0x800, 0x3000, 0x3001, 0xc000_0080, 0xdead_beef, 0xffff_ffff),
  fc.integer({ min: 0, max: 0xffff_ffff }),
  fc.integer({ min: 0, max: 300 }),
);

export const arbU64 = fc.oneof(
  fc.constantFrom(0n, 1n, 0x1234n, 0xc000_0084n, U64_MAX),
  fc.bigInt({ min: 0n, max: U64_MAX }),
);

export const arbText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '*/', '\n', 'é', '😀', '\ud800', '\udc00', '"'), maxLength: 8 }),
);

function onesExcept(nmsrs: number, cleared: number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(nmsrs / 8)).fill(0xff);
  if (nmsrs % 8) out[out.length - 1] = (1 << (nmsrs % 8)) - 1;
  for (const c of cleared) {
    const bit = c % Math.max(1, nmsrs);
    if (bit < nmsrs) out[bit >> 3] &= ~(1 << (bit & 7));
  }
  return out;
}

const arbRangeNmsrsAndBitmap: fc.Arbitrary<{ nmsrs: number; bitmap: Uint8Array }> = fc.oneof(
  // Small ranges with random bytes (possibly past nmsrs, possibly with trailing zeros).
  fc.record({ nmsrs: fc.integer({ min: 0, max: 200 }), bitmap: fc.uint8Array({ maxLength: 30 }) }),
  // Any u32 count (the kernel refuses most) with a short bitmap.
  fc.record({ nmsrs: arbU32, bitmap: fc.uint8Array({ maxLength: 8 }) }),
  // Mostly-ones bitmaps, which the codec stores as "a prefix, then ones".
  fc
    .tuple(fc.integer({ min: 1, max: 0x3000 }), fc.array(fc.nat(), { maxLength: 4 }))
    .map(([nmsrs, cleared]) => ({ nmsrs, bitmap: onesExcept(nmsrs, cleared) })),
  // Mostly-zeros bitmaps with a trailing partial byte.
  fc.tuple(fc.integer({ min: 1, max: 0x3000 }), fc.array(fc.nat(), { maxLength: 4 })).map(([nmsrs, set]) => {
    const b = new Uint8Array(Math.ceil(nmsrs / 8));
    for (const s of set) b[(s % nmsrs) >> 3] |= 1 << ((s % nmsrs) & 7);
    return { nmsrs, bitmap: b };
  }),
);

export const arbRange: fc.Arbitrary<FilterRange> = fc
  .record(
    {
      flags: fc.oneof(fc.constantFrom(1, 2, 3), arbU32),
      base: arbU32,
      nb: arbRangeNmsrsAndBitmap,
      comment: arbText,
    },
    { requiredKeys: ['flags', 'base', 'nb'] },
  )
  .map(({ nb, ...r }) => ({ ...r, nmsrs: nb.nmsrs, bitmap: nb.bitmap }));

export const arbPolicy: fc.Arbitrary<FilterPolicy> = fc.record(
  {
    name: arbText,
    flags: fc.oneof(fc.constantFrom(0, 1), arbU32),
    ranges: fc.oneof(
      { weight: 4, arbitrary: fc.array(arbRange, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(arbRange, { minLength: 15, maxLength: 20 }) },
    ),
  },
  { requiredKeys: ['flags', 'ranges'] },
);

export const arbReply: fc.Arbitrary<VmmReply> = fc.oneof(
  fc.constant({ error: true } as const),
  arbU64.map((data) => ({ error: false as const, data })),
);

export const arbStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { op: fc.constant('rdmsr' as const), index: arbU32, host: fc.boolean(), reply: arbReply },
      { requiredKeys: ['op', 'index', 'host'] },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      { op: fc.constant('wrmsr' as const), index: arbU32, value: arbU64, host: fc.boolean(), reply: arbReply },
      { requiredKeys: ['op', 'index', 'value', 'host'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('set-filter' as const), filter: fc.option(arbPolicy, { nil: null }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('set-exits' as const), exits: arbU64 }) },
);

export const arbScenario: fc.Arbitrary<Scenario> = fc.record(
  {
    name: arbText,
    profile: fc.constantFrom(...PROFILE_IDS),
    vcpu: fc.constantFrom(...VCPU_MODEL_IDS),
    hostModel: fc.constantFrom(...HOST_MODEL_IDS),
    exits: fc.option(fc.oneof(fc.constantFrom(0n, 4n, 7n, 8n), arbU64), { nil: null }),
    ignoreMsrs: fc.boolean(),
    vmm: fc.record({ read: arbReply, write: arbReply }),
    filter: fc.option(arbPolicy, { nil: null }),
    steps: fc.array(arbStep, { maxLength: 12 }),
  },
  { requiredKeys: ['profile', 'vcpu', 'exits', 'ignoreMsrs', 'vmm', 'filter', 'steps'] },
);

export const arbExpectation: fc.Arbitrary<Expectation> = fc.constantFrom(null, 'allow', 'eperm', 'gp');

export const arbDocument: fc.Arbitrary<ShareDocument> = fc.record(
  { scenario: arbScenario, expectations: fc.array(arbExpectation, { maxLength: 14 }) },
  { requiredKeys: ['scenario'] },
);

/**
 * An exact, fast fingerprint of a document for property tests (vitest's deep equality walks typed arrays element
 * by element): bigints, Uint8Arrays and keys present with the value undefined are all told apart.
 */
export function fingerprint(doc: unknown): string {
  return JSON.stringify(doc, (_key, value: unknown) => {
    if (value === undefined) return '<undefined>';
    if (typeof value === 'bigint') return `<bigint ${value.toString(16)}>`;
    if (value instanceof Uint8Array) return `<u8 ${base64urlEncode(value)}>`;
    if (ArrayBuffer.isView(value)) return '<other typed array>';
    return value;
  });
}
