import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOST_MODEL_IDS } from '../host/host-models';
import type { FilterRange } from '../policy/types';
import { PRESETS } from '../presets';
import { PROFILE_IDS } from '../profiles/profiles';
import type { Scenario } from '../scenario/types';
import { VCPU_MODEL_IDS } from '../vcpu/models';
import { arbDocument, arbPolicy, fingerprint } from './arbitraries';
import { base64urlDecode, base64urlEncode, crc32, utf8Decode, utf8Encode } from './bytes';
import { deflateRaw } from './deflate';
import { normalizeShareDocument, type ShareDocument, shareDocumentFromJson, shareDocumentToJson } from './document';
import { ShareLinkError } from './errors';
import {
  DEFAULT_SHARE_BASE,
  decodeShareFragment,
  decodeShareLink,
  encodeShareFragment,
  SHARE_LINK_LIMITS,
  shareUrl,
} from './share-link';
import { encodeV1, V1_PROFILES, V1_VCPUS, V3_HOSTS } from './v1';

const bare = (over: Partial<Scenario> = {}): Scenario => ({
  profile: 'linux-6.12',
  vcpu: 'bare',
  exits: null,
  ignoreMsrs: false,
  vmm: { read: { error: true }, write: { error: true } },
  filter: null,
  steps: [],
  ...over,
});

function roundTrip(doc: ShareDocument): ShareDocument {
  return decodeShareFragment(encodeShareFragment(doc));
}

function errorOf(f: () => unknown): ShareLinkError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ShareLinkError);
    return e as ShareLinkError;
  }
  throw new Error('expected a ShareLinkError, nothing was thrown');
}

/** A reproducible byte source (xorshift32), so measured lengths are the same on every run. */
function seededBytes(seed: number, n: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

describe('byte helpers', () => {
  it('base64url round-trips every length and uses no padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const s = base64urlEncode(bytes);
        expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(base64urlDecode(s)).toEqual(bytes);
      }),
    );
  });

  it('UTF-8 matches TextEncoder and round-trips well-formed strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Encode(s)).toEqual(new TextEncoder().encode(s));
        expect(utf8Decode(utf8Encode(s), 's')).toBe(s);
      }),
    );
  });

  it('CRC-32 is the standard one', () => {
    expect(crc32(utf8Encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('test fingerprints', () => {
  it('tell apart what deep equality would: absent and undefined keys, arrays and Uint8Arrays, bigints', () => {
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 1, b: undefined }));
    expect(fingerprint({ b: [1, 2] })).not.toBe(fingerprint({ b: Uint8Array.from([1, 2]) }));
    expect(fingerprint({ b: 1n })).not.toBe(fingerprint({ b: 1 }));
    expect(fingerprint({ b: Uint8Array.from([1, 2]) })).toBe(fingerprint({ b: Uint8Array.from([1, 2]) }));
  });
});

describe('share link round trip', () => {
  it('every random document decodes to its canonical form (1,000 runs)', () => {
    fc.assert(
      fc.property(arbDocument, (doc) => {
        const canonical = normalizeShareDocument(doc);
        expect(fingerprint(roundTrip(doc))).toBe(fingerprint(canonical));
        // The canonical form is a fixed point, and encodes to the same link.
        expect(fingerprint(normalizeShareDocument(canonical))).toBe(fingerprint(canonical));
        expect(encodeShareFragment(canonical)).toBe(encodeShareFragment(doc));
      }),
      { numRuns: 1000 },
    );
  });

  it('canonical documents round-trip exactly, invalid policies included (1,000 runs)', () => {
    fc.assert(
      fc.property(arbDocument, (raw) => {
        const doc = normalizeShareDocument(raw);
        expect(fingerprint(roundTrip(doc))).toBe(fingerprint(doc));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps values the kernel refuses: flags 0x2, range flags 0 and 0xffffffff, nmsrs 0x3001 and 2^32-1', () => {
    const doc: ShareDocument = {
      scenario: bare({
        exits: (1n << 64n) - 1n,
        filter: {
          flags: 0x2,
          ranges: [
            { flags: 0, base: 0, nmsrs: 1, bitmap: new Uint8Array([1]) },
            { flags: 0xffff_ffff, base: 0xffff_ffff, nmsrs: 0x3001, bitmap: new Uint8Array([0, 0, 0x80]) },
            { flags: 4, base: 0x800, nmsrs: 0xffff_ffff, bitmap: new Uint8Array([0xff, 0x0f]) },
            { flags: 0xff, base: 0x10, nmsrs: 0, bitmap: new Uint8Array(0) },
          ],
        },
      }),
    };
    expect(roundTrip(doc)).toStrictEqual(doc);
  });

  it('cuts bitmaps to ceil(nmsrs / 8) bytes and trims trailing zero bytes (what JSON does too)', () => {
    const range: FilterRange = { flags: 1, base: 0, nmsrs: 12, bitmap: new Uint8Array([0xff, 0xff, 0xff, 0, 0]) };
    const out = roundTrip({ scenario: bare({ filter: { flags: 0, ranges: [range] } }) });
    expect(out.scenario.filter?.ranges[0].bitmap).toEqual(new Uint8Array([0xff, 0xff]));
    const trailing = { ...range, nmsrs: 40, bitmap: new Uint8Array([1, 0, 0, 0]) };
    const out2 = roundTrip({ scenario: bare({ filter: { flags: 0, ranges: [trailing] } }) });
    expect(out2.scenario.filter?.ranges[0].bitmap).toEqual(new Uint8Array([1]));
  });

  it('keeps the difference between absent and empty names, comments and expectations', () => {
    const doc: ShareDocument = {
      scenario: bare({
        name: '',
        filter: {
          name: '',
          flags: 0,
          ranges: [{ flags: 1, base: 0, nmsrs: 1, bitmap: new Uint8Array(0), comment: '' }],
        },
      }),
      expectations: [],
    };
    expect(roundTrip(doc)).toStrictEqual(doc);
    const without: ShareDocument = { scenario: bare() };
    expect(roundTrip(without)).toStrictEqual(without);
    expect('expectations' in roundTrip(without)).toBe(false);
  });

  it('accepts the fragment with or without #, inside a full URL, and split over lines', () => {
    const doc: ShareDocument = { scenario: PRESETS[0].scenario };
    const fragment = encodeShareFragment(doc);
    expect(fragment.startsWith('v2.')).toBe(true);
    expect(decodeShareFragment(`#${fragment}`)).toStrictEqual(doc);
    const url = shareUrl('https://example.org/play/?x=1#old', doc);
    expect(url).toBe(`https://example.org/play/?x=1#${fragment}`);
    expect(decodeShareLink(url)).toStrictEqual(doc);
    expect(decodeShareLink(fragment)).toStrictEqual(doc);
    expect(decodeShareLink(`  ${fragment.slice(0, 10)}\n${fragment.slice(10)}  `)).toStrictEqual(doc);
    expect(shareUrl(DEFAULT_SHARE_BASE, doc)).toBe(`${DEFAULT_SHARE_BASE}#${fragment}`);
  });

  it('shares through JSON too: shareDocumentToJson and shareDocumentFromJson agree with the link', () => {
    fc.assert(
      fc.property(arbDocument, (raw) => {
        const doc = normalizeShareDocument(raw);
        const viaJson = shareDocumentFromJson(JSON.parse(JSON.stringify(shareDocumentToJson(doc))));
        expect(encodeShareFragment(viaJson)).toBe(encodeShareFragment(doc));
      }),
      { numRuns: 200 },
    );
  });

  it('stores every profile and vCPU model the engine knows (the v1 tables are append-only)', () => {
    for (const p of PROFILE_IDS) expect(V1_PROFILES).toContain(p);
    for (const v of VCPU_MODEL_IDS) expect(V1_VCPUS).toContain(v);
  });
});

describe('share link length targets', () => {
  const lengths: Record<string, number> = {};

  it.each(PRESETS.map((p) => [p.id, p] as const))('preset %s fits in 120 characters and round-trips', (_id, p) => {
    const doc: ShareDocument = { scenario: p.scenario };
    const fragment = encodeShareFragment(doc);
    lengths[p.id] = fragment.length;
    expect(fragment.length).toBeLessThanOrEqual(120);
    expect(decodeShareFragment(fragment)).toStrictEqual(normalizeShareDocument(doc));
    // Presets are canonical: they decode to exactly themselves.
    expect(decodeShareFragment(fragment)).toStrictEqual(doc);
  });

  it('16 full random ranges round-trip exactly, within 1.05x + 32 of the deflate bound of the raw bitmaps', () => {
    const ranges: FilterRange[] = [];
    for (let i = 0; i < 16; i++) {
      const bitmap = seededBytes(0x5eed + i, 0x600);
      bitmap[0x5ff] |= 0x80; // canonical: no trailing zero byte
      ranges.push({ flags: 1 + (i % 3), base: i * 0x3000, nmsrs: 0x3000, bitmap });
    }
    const doc: ShareDocument = { scenario: bare({ filter: { flags: 1, ranges } }) };
    const fragment = encodeShareFragment(doc);
    expect(decodeShareFragment(fragment)).toStrictEqual(doc);
    const concatenated = new Uint8Array(16 * 0x600);
    ranges.forEach((r, i) => {
      concatenated.set(r.bitmap, i * 0x600);
    });
    const bound = base64urlEncode(deflateRaw(concatenated)).length;
    lengths['16 random full ranges'] = fragment.length;
    lengths['deflate bound of their bitmaps'] = bound;
    expect(fragment.length).toBeLessThanOrEqual(Math.ceil(bound * 1.05) + 32);
    console.info(`share-link lengths (characters): ${JSON.stringify(lengths)}`);
  });

  it('mostly-ones bitmaps stay short: crosvm-style read and write deny lists of 16 full ranges', () => {
    const ranges: FilterRange[] = [];
    for (let i = 0; i < 16; i++) {
      const b = new Uint8Array(0x600).fill(0xff);
      b[(i * 37) % 0x600] = 0xfe;
      ranges.push({ flags: 1 + (i % 2), base: i * 0x3000, nmsrs: 0x3000, bitmap: b });
    }
    const doc: ShareDocument = { scenario: bare({ filter: { flags: 0, ranges } }) };
    const fragment = encodeShareFragment(doc);
    expect(fragment.length).toBeLessThan(300);
    expect(roundTrip(doc)).toStrictEqual(doc);
  });
});

/**
 * Golden links: fragments written by the v1 encoder and committed here. They must keep decoding to these
 * documents in every later version of the playground (old links keep working). Never regenerate them; add new ones.
 */
const GOLDEN_RICH_DOC: ShareDocument = {
  scenario: {
    name: 'Golden — ünïcødé 😀',
    profile: 'linux-5.10',
    vcpu: 'linux64',
    exits: 0xfn,
    ignoreMsrs: true,
    vmm: { read: { error: false, data: 0xdead_beef_cafe_f00dn }, write: { error: true } },
    filter: {
      name: 'mixed',
      flags: 0x2,
      ranges: [
        { flags: 3, base: 0xc000_0080, nmsrs: 8, bitmap: new Uint8Array([0x05]), comment: 'EFER & co' },
        { flags: 0, base: 0xffff_ffff, nmsrs: 0x3001, bitmap: new Uint8Array([0x01, 0, 0x80]) },
        { flags: 2, base: 0, nmsrs: 0x3000, bitmap: new Uint8Array(0x600).fill(0xff).fill(0xef, 0x3f, 0x40) },
      ],
    },
    steps: [
      { op: 'rdmsr', index: 0xc000_0080, host: false },
      { op: 'wrmsr', index: 0x1fc, value: 0x1234n, host: false, reply: { error: false, data: 0n } },
      { op: 'rdmsr', index: 0xda0, host: true, reply: { error: true } },
      {
        op: 'set-filter',
        filter: { flags: 1, ranges: [{ flags: 1, base: 0x10, nmsrs: 1, bitmap: new Uint8Array([1]) }] },
      },
      { op: 'set-filter', filter: null },
      { op: 'set-exits', exits: 4n },
      { op: 'wrmsr', index: 0xffff_ffff, value: (1n << 64n) - 1n, host: true },
    ],
  },
  expectations: ['allow', 'eperm', null, null, null, null, 'gp'],
};

/** All ones for nmsrs bits, except the bits listed (a fixed copy, so later edits of presets cannot move goldens). */
function onesExcept(nmsrs: number, ...cleared: number[]): Uint8Array {
  const b = new Uint8Array(Math.ceil(nmsrs / 8)).fill(0xff);
  for (const c of cleared) b[c >> 3] &= ~(1 << (c & 7));
  return b;
}

const GOLDEN: readonly (readonly [string, string, ShareDocument])[] = [
  ['minimal', 'v1.Y2BhYDhQDgA', { scenario: bare() }],
  [
    'QEMU default',
    'v1.02JhZGFsbGBhYOQJdPUNVUhJTUsszSlhZDFlZGCwnwAA',
    {
      scenario: {
        profile: 'linux-6.12',
        vcpu: 'linux64',
        exits: 4n,
        ignoreMsrs: false,
        vmm: { read: { error: false, data: 0x10001n }, write: { error: true } },
        filter: {
          name: 'QEMU default',
          flags: 0,
          ranges: [{ flags: 1, base: 0x35, nmsrs: 1, bitmap: new Uint8Array(0) }],
        },
        steps: [],
      },
    },
  ],
  [
    'selftest deny filter',
    'v1.02JhZGdkYGRgFglOzUkrSS0uUUhJzatUSMvMKUktYmNjaEhg4AISDnwNQMAC5LGBGDwNCYpcUAYD3_u_277yMjIw_KcMvCck8Nd_FgA',
    {
      scenario: {
        profile: 'linux-6.12',
        vcpu: 'linux64',
        exits: 7n,
        ignoreMsrs: false,
        vmm: { read: { error: false, data: 0n }, write: { error: false, data: 0n } },
        filter: {
          name: 'Selftest deny filter',
          flags: 1,
          ranges: [
            { flags: 1, base: 0, nmsrs: 0x3000, bitmap: onesExcept(0x3000) },
            { flags: 2, base: 0, nmsrs: 0x3000, bitmap: onesExcept(0x3000, 0x1fc) },
            { flags: 3, base: 0x4000_0000, nmsrs: 0x3000, bitmap: onesExcept(0x3000) },
            { flags: 1, base: 0xc000_0000, nmsrs: 0x3000, bitmap: onesExcept(0x3000, 0x84, 0x101) },
            { flags: 2, base: 0xc000_0000, nmsrs: 0x3000, bitmap: onesExcept(0x3000) },
            { flags: 3, base: 0xdead_beef, nmsrs: 1, bitmap: new Uint8Array([1]) },
          ],
        },
        steps: [],
      },
    },
  ],
  [
    'rich document with invalid values',
    'v1.s2dk5GfsffD7-p-776_dY2SQds_PSUnNU3jUMEXh8J68w-uTD-9IObxS4cP8GQ2srLmZFakpzLwNjQ0NPByMnK5urkEKagrJ-Qz_gYC_MYGZi6EhwYGdAayA8w_zFhUGmQXSbEyMbAKMDEzMLKxgdSACDBjZGZkYgICZlZGhAS5KHngvvAkA',
    GOLDEN_RICH_DOC,
  ],
];

/** v2 fragments of the GOLDEN documents, fixed when v2 was made: they must decode forever. */
const V2_GOLDEN_FIXED: readonly (readonly [string, string])[] = [
  ['minimal', 'v2.Y2BhYDhQDgA'],
  ['QEMU default', 'v2.IyANAA'],
  ['selftest deny filter', 'v2.G2reAQA'],
  [
    'rich document with invalid values',
    'v2.s2dk5GfsffD7-p-776_dY2SQds_PAfpH4VHDFIXDe_IOr08-vCPl8EqFD_NnNLCy5mZWpKYw84JDloOR09XNNUhBTSE5H-wR_sYEZrDP2RnACjj_MG9RYZBZIM3GxMgGjBAmZhZWsDq484AhycQABMysjAwNlIaF8CYA',
  ],
];

describe('golden links (v1, frozen)', () => {
  it.each(GOLDEN.map((g) => [...g]))('%s decodes to its fixed document', (_name, fragment, doc) => {
    expect(decodeShareFragment(fragment)).toStrictEqual(doc);
  });

  // v1's layout is v2's body: deflating the body without the dictionary still reproduces the v1 goldens.
  it.each(GOLDEN.map((g) => [...g]))('%s is still what the v1 layout writes', (_name, fragment, doc) => {
    expect(`v1.${base64urlEncode(deflateRaw(encodeV1(doc)))}`).toBe(fragment);
  });
});

describe('golden links (v2, frozen: v1 body + the preset dictionary)', () => {
  const V2_GOLDEN = GOLDEN.map(([name, , doc]) => [name, encodeShareFragment(doc), doc] as const);
  it('new links are written as v2', () => {
    for (const [, fragment] of V2_GOLDEN) expect(fragment.startsWith('v2.')).toBe(true);
  });
  it.each(V2_GOLDEN_FIXED.map((g) => [...g]))('%s decodes to its fixed document', (name, fragment) => {
    const doc = GOLDEN.find((g) => g[0] === name)?.[2];
    expect(decodeShareFragment(fragment)).toStrictEqual(doc);
  });
  it.each(V2_GOLDEN_FIXED.map((g) => [...g]))('%s is still what the encoder writes', (name, fragment) => {
    const doc = GOLDEN.find((g) => g[0] === name)?.[2] as ShareDocument;
    expect(encodeShareFragment(doc)).toBe(fragment);
  });
  it('a preset link is a few characters, because the dictionary holds the presets', () => {
    for (const p of PRESETS) expect(encodeShareFragment({ scenario: p.scenario }).length).toBeLessThanOrEqual(16);
  });
});

describe('golden links (v3, frozen: v2 + the host model)', () => {
  const qemu = PRESETS.find((p) => p.id === 'qemu-default')?.scenario as Scenario;
  it('a document that names a host is written as v3; one that names none stays v2, byte for byte', () => {
    const named = encodeShareFragment({ scenario: { ...qemu, hostModel: 'pvm-intel' } });
    expect(named).toBe('v3.y2JhxCP_0hYA');
    expect(decodeShareFragment(named).scenario.hostModel).toBe('pvm-intel');
    const unnamed = encodeShareFragment({ scenario: qemu });
    expect(unnamed.startsWith('v2.')).toBe(true);
    expect(decodeShareFragment(unnamed).scenario.hostModel).toBeUndefined();
  });
  it('every host model round-trips, and the v3 table holds every host the engine knows', () => {
    for (const h of HOST_MODEL_IDS) {
      expect(V3_HOSTS).toContain(h);
      const doc: ShareDocument = { scenario: { ...qemu, hostModel: h } };
      expect(decodeShareFragment(encodeShareFragment(doc)).scenario.hostModel).toBe(h);
    }
  });
  it('a v2 link cannot carry the host flag: its decoder refuses it as damaged', () => {
    const v3 = encodeShareFragment({ scenario: { ...qemu, hostModel: 'svm' } });
    const e = errorOf(() => decodeShareFragment(`v2.${v3.slice(3)}`));
    expect(e.kind).toBe('corrupt');
  });
});

describe('bad links give a ShareLinkError that says what is wrong', () => {
  // A document the dictionary does not hold, so that its link is long enough to cut and damage.
  const custom = PRESETS[1].scenario;
  const good = encodeShareFragment({
    scenario: {
      ...custom,
      filter: {
        flags: 1,
        ranges: Array.from({ length: 6 }, (_, i) => ({
          flags: 3,
          base: 0x1000 * i,
          nmsrs: 512,
          bitmap: Uint8Array.from({ length: 64 }, (_, j) => (j * 37 + i * 11) & 0xff),
        })),
      },
    },
  });

  it('empty', () => {
    expect(errorOf(() => decodeShareFragment('')).kind).toBe('empty');
    expect(errorOf(() => decodeShareFragment('#')).kind).toBe('empty');
    expect(errorOf(() => decodeShareLink('http://127.0.0.1:5173/')).kind).toBe('empty');
  });

  it('foreign', () => {
    const e = errorOf(() => decodeShareFragment('#section-2'));
    expect(e.kind).toBe('foreign');
    expect(e.message).toMatch(/not an MSR Filter Playground document/);
    expect(errorOf(() => decodeShareLink('https://example.org/#/settings?x=1')).kind).toBe('foreign');
  });

  it('unknown version', () => {
    const e = errorOf(() => decodeShareFragment(`v4.${good.slice(3)}`));
    expect(e.kind).toBe('unknown-version');
    expect(e.message).toMatch(/newer version/);
    expect(errorOf(() => decodeShareFragment('v0.AAAA')).kind).toBe('unknown-version');
  });

  it('not base64url', () => {
    const e = errorOf(() => decodeShareFragment(`${good.slice(0, 20)}+/${good.slice(20)}`));
    expect(e.kind).toBe('not-base64url');
    expect(e.message).toMatch(/"\+" at position 18/);
    expect(errorOf(() => decodeShareFragment(`${good}%20`)).kind).toBe('not-base64url');
  });

  it('truncated', () => {
    for (const cut of [4, 10, 30, good.length - 8, good.length - 2]) {
      const e = errorOf(() => decodeShareFragment(good.slice(0, cut)));
      expect(['truncated', 'corrupt']).toContain(e.kind);
    }
    expect(errorOf(() => decodeShareFragment(good.slice(0, 40))).kind).toBe('truncated');
    expect(errorOf(() => decodeShareFragment(good.slice(0, 40))).message).toMatch(/incomplete/);
    expect(errorOf(() => decodeShareFragment('v1.')).kind).toBe('truncated');
  });

  it('corrupt: a changed character fails the checksum or the inflater', () => {
    const i = good.length - 20;
    const changed = good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1);
    const e = errorOf(() => decodeShareFragment(changed));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toMatch(/damaged/);
  });

  it('corrupt: valid compression of bytes that are not a document', () => {
    const junk = `v1.${base64urlEncode(deflateRaw(new TextEncoder().encode('hello, world')))}`;
    expect(errorOf(() => decodeShareFragment(junk)).kind).toBe('corrupt');
  });

  it('oversized', () => {
    const e = errorOf(() => decodeShareFragment(`v1.${'A'.repeat(SHARE_LINK_LIMITS.maxFragmentChars)}`));
    expect(e.kind).toBe('oversized');
    expect(e.message).toMatch(/characters long/);
    // The cap counts the fragment, not the '#' (location.hash has it), and is checked before anything else.
    const atCap = `v1.${'A'.repeat(SHARE_LINK_LIMITS.maxFragmentChars - 3)}`;
    expect(errorOf(() => decodeShareFragment(`#${atCap}`)).kind).not.toBe('oversized');
    expect(errorOf(() => decodeShareFragment(`v1.${' '.repeat(10_000_000)}`)).kind).toBe('oversized');
  });

  it('the encoder refuses what the decoder would refuse, with a message', () => {
    const tooManySteps = bare({
      steps: Array.from({ length: SHARE_LINK_LIMITS.maxSteps + 1 }, () => ({
        op: 'rdmsr' as const,
        index: 0,
        host: false,
      })),
    });
    const e = errorOf(() => encodeShareFragment({ scenario: tooManySteps }));
    expect(e.kind).toBe('unencodable');
    expect(e.message).toMatch(/too large for a share link/);
    const badBase = bare({
      filter: { flags: 0, ranges: [{ flags: 1, base: 2 ** 32, nmsrs: 1, bitmap: new Uint8Array(0) }] },
    });
    expect(errorOf(() => encodeShareFragment({ scenario: badBase })).message).toMatch(/filter\.ranges\[0\]\.base/);
    const random = bare({
      filter: {
        flags: 0,
        ranges: Array.from({ length: 64 }, (_, i) => ({
          flags: 1,
          base: i,
          nmsrs: 0x3000,
          bitmap: seededBytes(i + 1, 0x600),
        })),
      },
    });
    expect(errorOf(() => encodeShareFragment({ scenario: random })).kind).toBe('unencodable');
  });

  it('any policy the JSON reader accepts (up to its limits) can be shared', () => {
    fc.assert(
      fc.property(arbPolicy, (filter) => {
        expect(() => encodeShareFragment({ scenario: bare({ filter }) })).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
