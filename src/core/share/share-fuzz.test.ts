import { describe, expect, it } from 'vitest';
import { PRESETS } from '../presets';
import type { Scenario } from '../scenario/types';
import { deflatedZeros, seededRng as rng } from '../test-support/fuzz';
import { fingerprint } from './arbitraries';
import { base64urlEncode, crc32 } from './bytes';
import { deflateRaw, inflateRawBounded } from './deflate';
import type { ShareDocument } from './document';
import { ShareLinkError, type ShareLinkErrorKind } from './errors';
import { decodeShareFragment, encodeShareFragment, SHARE_LINK_LIMITS } from './share-link';
import { encodeV1 } from './v1';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NOISE = `${B64}=+/.#% \n\u00e9\u{1f600}v`;

const richScenario: Scenario = {
  name: 'fuzz seed',
  profile: 'linux-5.12',
  vcpu: 'bare',
  exits: 7n,
  ignoreMsrs: true,
  vmm: { read: { error: false, data: 5n }, write: { error: true } },
  filter: {
    name: 'seed',
    flags: 1,
    ranges: [
      { flags: 3, base: 0, nmsrs: 0x100, bitmap: new Uint8Array([0xff, 0x0f, 0, 0x80]), comment: 'low' },
      { flags: 1, base: 0xc000_0000, nmsrs: 0x3000, bitmap: new Uint8Array(0x600).fill(0xff) },
    ],
  },
  steps: [
    { op: 'rdmsr', index: 0x10, host: false },
    { op: 'wrmsr', index: 0x1fc, value: 0x1234n, host: true, reply: { error: false, data: 1n } },
    { op: 'set-filter', filter: { flags: 0, ranges: [{ flags: 2, base: 0x35, nmsrs: 1, bitmap: new Uint8Array(0) }] } },
    { op: 'set-exits', exits: 4n },
  ],
};

const SEED_DOCS: ShareDocument[] = [
  ...PRESETS.map((p) => ({ scenario: p.scenario })),
  { scenario: richScenario, expectations: ['allow', null, 'gp', 'eperm'] },
];

function withCrc(body: Uint8Array): Uint8Array {
  const crc = crc32(body);
  const out = new Uint8Array(body.length + 2);
  out.set(body);
  out[body.length] = crc & 0xff;
  out[body.length + 1] = (crc >>> 8) & 0xff;
  return out;
}

function fragmentOfBody(bodyWithCrc: Uint8Array): string {
  return `v1.${base64urlEncode(deflateRaw(bodyWithCrc))}`;
}

/** Mutations of a fragment's text: truncation, substitution, insertion, deletion, noise, tag damage. */
function mutateText(r: ReturnType<typeof rng>, f: string): string {
  switch (r.int(7)) {
    case 0:
      return f.slice(0, r.int(f.length + 1));
    case 1: {
      const i = r.int(f.length);
      return f.slice(0, i) + r.pick([...B64]) + f.slice(i + 1);
    }
    case 2: {
      const i = r.int(f.length + 1);
      return f.slice(0, i) + r.pick([...NOISE]) + f.slice(i);
    }
    case 3: {
      const i = r.int(f.length);
      return f.slice(0, i) + f.slice(i + 1 + r.int(4));
    }
    case 4: {
      let out = '';
      const n = r.int(200);
      for (let i = 0; i < n; i++) out += r.pick([...NOISE]);
      return r.int(2) ? `v1.${out}` : out;
    }
    case 5:
      return r.pick(['v10.', 'v.', 'V1.', 'v1', 'v01.', '#v1.', 'v1..', 'v4294967296.']) + f.slice(3);
    default: {
      // Several substitutions at once.
      let out = f;
      for (let k = 0; k < 1 + r.int(5); k++) {
        const i = 3 + r.int(Math.max(1, out.length - 3));
        out = out.slice(0, i) + r.pick([...B64]) + out.slice(i + 1);
      }
      return out;
    }
  }
}

/** Mutations of the binary body that keep a valid checksum, so the parser itself is exercised. */
function mutateBody(r: ReturnType<typeof rng>, body: Uint8Array): Uint8Array {
  const b = Array.from(body);
  const edits = 1 + r.int(4);
  for (let k = 0; k < edits; k++) {
    const i = r.int(b.length + 1);
    switch (r.int(5)) {
      case 0:
        b[i % Math.max(1, b.length)] = r.int(256);
        break;
      case 1:
        b[i % Math.max(1, b.length)] ^= 1 << r.int(8);
        break;
      case 2:
        b.splice(i, 0, r.pick([0x00, 0x7f, 0x80, 0xff, r.int(256)]));
        break;
      case 3:
        b.splice(i, 1 + r.int(3));
        break;
      default:
        b.length = Math.min(b.length, i);
    }
  }
  return withCrc(Uint8Array.from(b));
}

describe('decodeShareFragment on hostile input', () => {
  it('10,000 mutated, truncated and random fragments: only ShareLinkError, never a hang', () => {
    const r = rng(0xc0ffee);
    const texts = SEED_DOCS.map((d) => encodeShareFragment(d));
    const bodies = SEED_DOCS.map((d) => encodeV1(d).subarray(0, -2));
    const kinds: Partial<Record<ShareLinkErrorKind | 'decoded', number>> = {};
    let slowest = 0;
    const started = performance.now();
    for (let n = 0; n < 10_000; n++) {
      let input: string;
      const mode = n % 4;
      if (mode < 2) input = mutateText(r, r.pick(texts));
      else if (mode === 2) input = fragmentOfBody(mutateBody(r, r.pick(bodies)));
      else {
        const junk = new Uint8Array(r.int(64));
        for (let i = 0; i < junk.length; i++) junk[i] = r.int(256);
        input = r.int(2) ? fragmentOfBody(withCrc(junk)) : `v1.${base64urlEncode(junk)}`;
      }
      const t0 = performance.now();
      let doc: ShareDocument | undefined;
      try {
        doc = decodeShareFragment(input);
        kinds.decoded = (kinds.decoded ?? 0) + 1;
      } catch (e) {
        if (!(e instanceof ShareLinkError)) {
          throw new Error(`input ${JSON.stringify(input)} threw ${String(e)}`);
        }
        expect(e.message.length).toBeGreaterThan(20);
        kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      // Whatever decodes is a well-formed, canonical document: it shares again to the same document.
      if (doc) expect(fingerprint(decodeShareFragment(encodeShareFragment(doc)))).toBe(fingerprint(doc));
    }
    const total = performance.now() - started;
    console.info(`fuzz: ${JSON.stringify(kinds)}; ${total.toFixed(0)} ms in all, slowest ${slowest.toFixed(1)} ms`);
    expect(total).toBeLessThan(30000);
    expect(slowest).toBeLessThan(2000); // a hang guard, not a benchmark: the machine may be loaded
    // The corpus reaches every decoder stage.
    for (const k of ['foreign', 'unknown-version', 'not-base64url', 'truncated', 'corrupt'] as const) {
      expect(kinds[k] ?? 0).toBeGreaterThan(0);
    }
  });

  it('non-string input is a ShareLinkError too', () => {
    for (const bad of [undefined, null, 42, {}, []]) {
      expect(() => decodeShareFragment(bad as unknown as string)).toThrow(ShareLinkError);
    }
  });
});

describe('decompression bombs', () => {
  const header = encodeV1({ scenario: PRESETS[0].scenario }).subarray(0, -2);

  it('a valid deflate stream of 100 MB of zeros after our header is rejected quickly', () => {
    const bomb = deflatedZeros(header, 100);
    const fragment = `v1.${base64urlEncode(bomb)}`;
    const t0 = performance.now();
    let error: unknown;
    try {
      decodeShareFragment(fragment);
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    expect(error).toBeInstanceOf(ShareLinkError);
    // At 100 KB compressed it is already past the fragment cap: refused before inflating anything.
    expect((error as ShareLinkError).kind).toBe('oversized');
    expect(ms).toBeLessThan(3000);
    // And the inflater alone stops at the 1 MiB cap instead of producing 100 MB.
    const t1 = performance.now();
    expect(() => inflateRawBounded(bomb, SHARE_LINK_LIMITS.maxInflatedBytes)).toThrow(
      expect.objectContaining({ kind: 'decompression-bomb' }),
    );
    expect(performance.now() - t1).toBeLessThan(3000);
  });

  it('a bomb small enough to pass the fragment cap (40 MB of zeros) stops at the inflate cap', () => {
    const bomb = deflatedZeros(header, 40);
    const fragment = `v1.${base64urlEncode(bomb)}`;
    expect(fragment.length).toBeLessThan(SHARE_LINK_LIMITS.maxFragmentChars);
    const t0 = performance.now();
    let error: unknown;
    try {
      decodeShareFragment(fragment);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShareLinkError);
    expect((error as ShareLinkError).kind).toBe('decompression-bomb');
    expect((error as ShareLinkError).message).toMatch(/more than 1 MiB/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('counts in a checksummed body cannot make the decoder allocate: 2^53 steps, 2^32 MSRs of ones', () => {
    // flags 0, profile 0, vcpu 0, then a step count of 2^53 - 1.
    const hugeCount = withCrc(Uint8Array.from([0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(() => decodeShareFragment(fragmentOfBody(hugeCount))).toThrow(
      expect.objectContaining({ kind: 'oversized' }),
    );
    // A filter with one range: flags READ with fillOnes, base 0, nmsrs 2^32 - 1, 0 stored bytes.
    const onesRange = withCrc(Uint8Array.from([8, 0, 0, 0, 1, 6, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0]));
    expect(() => decodeShareFragment(fragmentOfBody(onesRange))).toThrow(expect.objectContaining({ kind: 'corrupt' }));
    // 64 all-ones ranges of 0x3000 in each of 10,000 set-filter steps would be 983 MB: the bitmap budget stops it.
    const w: number[] = [0, 0, 0];
    const steps = 200;
    w.push(0xc8, 0x01); // 200 steps
    for (let s = 0; s < steps; s++) {
      w.push(2 | 4, 0, 64); // set-filter with a filter: flags 0, 64 ranges
      for (let i = 0; i < 64; i++) w.push(1 * 4 + 2, 0, 0x80, 0x60, 0); // READ, fillOnes; base 0; nmsrs 0x3000; 0 stored
    }
    const budget = withCrc(Uint8Array.from(w));
    expect(() => decodeShareFragment(fragmentOfBody(budget))).toThrow(expect.objectContaining({ kind: 'oversized' }));
  });
});
