/**
 * The page's start-up against hostile links: at least 10,000 mutated links (truncated, flipped, inserted and
 * deleted characters, wrong versions, foreign fragments, decompression bombs) through the decoder and through
 * bootPlayground, the function main.tsx runs, with fake globals. Nothing may throw, nothing may hang, and the work
 * kept from before stays open whenever the link cannot be.
 */
import { describe, expect, it } from 'vitest';
import { base64urlEncode } from '../../core/share/bytes';
import { deflatedZeros, seededRng as rng, type SeededRng } from '../../core/test-support/fuzz';
import { getPreset, PRESETS } from '../presets';
import { emptyDocument, type PlaygroundDocument } from '../state/document';
import { getDocument } from '../state/document-api';
import { documentToJson } from './document-json';
import { DOCUMENT_KEY } from './env';
import { fakeEnv } from './fakes';
import * as codec from './link-codec';
import { bootPlayground } from './startup';
import { storedText } from './storage';

type Rng = SeededRng;

const BASE = 'http://127.0.0.1:4173/';
const B64 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const NOISE = [...B64, ...'=+/.#%?& \n\t\u00e9\u0000\u{1f600}v'];
const FOREIGN = [
  'section-2',
  'console-heading',
  '',
  '/',
  '!/path',
  'v2',
  'V2.abc',
  'access_token=x',
  'v2%2EAAAA',
  ':~:text=hi',
];
const VERSIONS = ['v0.', 'v3.', 'v9.', 'v10.', 'v.', 'v02.', 'v1..', 'v4294967296.', 'v999999999.', 'v1e3.'];

/** A raw DEFLATE stream of `megabytes` MiB of zeros: tiny as a link, huge once inflated. */
function bomb(megabytes: number): string {
  return base64urlEncode(deflatedZeros(new Uint8Array(0), megabytes));
}

function mutate(r: Rng, f: string): string {
  switch (r.int(9)) {
    case 0:
      return f.slice(0, r.int(f.length + 1)); // cut short
    case 1: {
      const i = r.int(f.length); // one character changed
      return f.slice(0, i) + r.pick(B64) + f.slice(i + 1);
    }
    case 2: {
      const i = r.int(f.length + 1); // one inserted
      return f.slice(0, i) + r.pick(NOISE) + f.slice(i);
    }
    case 3: {
      const i = r.int(f.length); // a few deleted
      return f.slice(0, i) + f.slice(i + 1 + r.int(4));
    }
    case 4: {
      let out = f; // several flipped
      for (let k = 0; k < 1 + r.int(6); k++) {
        const i = 3 + r.int(Math.max(1, out.length - 3));
        out = out.slice(0, i) + r.pick(B64) + out.slice(i + 1);
      }
      return out;
    }
    case 5:
      return r.pick(VERSIONS) + f.slice(f.indexOf('.') + 1); // a wrong version
    case 6:
      return r.pick(FOREIGN); // not ours at all
    case 7: {
      let out = r.pick(['v1.', 'v2.', '']); // noise
      for (let i = r.int(120); i > 0; i--) out += r.pick(NOISE);
      return out;
    }
    default:
      return f + f.slice(3, 3 + r.int(40)); // trailing junk
  }
}

const fp = (d: PlaygroundDocument) => JSON.stringify(documentToJson(d));

/** A plain check in the hot loop (cheaper than expect), naming the link that broke it. */
function check(ok: boolean, fragment: string, what: string) {
  if (!ok) throw new Error(`${what}: failed for #${JSON.stringify(fragment).slice(0, 200)}`);
}

describe('hostile links at start-up', () => {
  it('10,000+ mutated links: the decoder never throws, start-up never throws or hangs, the kept work stays', async () => {
    const r = rng(0x5eed);
    const docs = [...PRESETS.map((p) => p.build()), { ...emptyDocument(), exits: 7n, name: 'empty ☃' }];
    const links = docs.map((d) => {
      const w = codec.writeLink(BASE, d);
      if (!w.ok) throw new Error(w.message);
      return w.fragment;
    });
    const previous = { ...(getPreset('qemu-default')?.build() as PlaygroundDocument), name: 'previous work' };
    const stored = storedText(previous, new Date(0));
    const previousFp = fp(previous);
    const bombs = [bomb(2), bomb(40)].flatMap((p) => [`v2.${p}`, `v1.${p}`]);

    const outcome = { opened: 0, refused: 0 };
    const kinds = new Map<string, number>();
    let slowest = 0;
    const started = performance.now();
    const N = 10_000;
    for (let n = 0; n < N + bombs.length; n++) {
      const fragment = n < N ? mutate(r, r.pick(links)) : bombs[n - N];
      const href = `${BASE}#${fragment}`;
      const t0 = performance.now();

      // 1. The decoder alone: an answer, never an exception.
      const decoded = codec.readFragment(fragment);
      if (!decoded.ok) {
        check(decoded.message.length > 20, fragment, 'a message that says what is wrong');
        kinds.set(decoded.kind, (kinds.get(decoded.kind) ?? 0) + 1);
      }

      // 2. The page's start-up with the same link and the previous visit's work in storage.
      const env = fakeEnv(href);
      env.storage.setItem(DOCUMENT_KEY, stored);
      const boot = await bootPlayground(env, {
        defaultDocument: () => emptyDocument(),
        debounceMs: 0,
        preloadMs: null,
        loadCodec: async () => codec,
      });
      const connection = await boot.connection;
      const doc = getDocument(boot.store);
      if (decoded.ok) {
        outcome.opened++;
        check(fp(doc) === fp(decoded.doc), fragment, 'the link opens what the decoder reads');
      } else {
        outcome.refused++;
        check(fp(doc) === previousFp, fragment, 'the previous work stays open');
        const notice = boot.store.getState().notices.find((x) => x.id === 'link');
        check(notice?.tone === 'alert', fragment, 'an alert');
        check(notice?.text === `${decoded.message} Your previous work is still here.`, fragment, 'the message');
        check(env.history.urls.length === 0 && env.location.href === href, fragment, 'the bad link stays');
      }
      check(env.storage.getItem(DOCUMENT_KEY) === stored, fragment, 'nothing overwritten before an edit');
      check(boot.store.temporal.getState().pastStates.length === 0, fragment, 'no undo step behind it');
      connection?.dispose();
      slowest = Math.max(slowest, performance.now() - t0);
    }
    const total = performance.now() - started;
    console.info(
      `start-up fuzz: ${N + bombs.length} links, ${outcome.opened} opened, ${outcome.refused} refused ` +
        `${JSON.stringify(Object.fromEntries(kinds))}; ${total.toFixed(0)} ms, slowest ${slowest.toFixed(1)} ms`,
    );
    expect(slowest).toBeLessThan(2000); // a hang guard, not a benchmark
    expect(outcome.refused).toBeGreaterThan(N / 2);
    for (const k of [
      'foreign',
      'unknown-version',
      'not-base64url',
      'truncated',
      'corrupt',
      'decompression-bomb',
      'empty',
    ]) {
      expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });
});
