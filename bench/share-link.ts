import { deflateSync } from 'fflate';
import { encodeShareFragment, PRESETS, type Scenario } from '../src/core/index';
import { sixteenFullRanges } from './fixtures';
import type { Figure } from './measure';

function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** The bound: base64url(deflate level 9 of the raw bitmaps, concatenated). */
function bound(s: Scenario): number {
  const ranges = s.filter?.ranges ?? [];
  const raw = new Uint8Array(ranges.reduce((n, r) => n + Math.ceil(Math.min(r.nmsrs, 0x3000) / 8), 0));
  let at = 0;
  for (const r of ranges) {
    const n = Math.ceil(Math.min(r.nmsrs, 0x3000) / 8);
    raw.set(r.bitmap.subarray(0, n), at);
    at += n;
  }
  return base64urlLength(deflateSync(raw, { level: 9 }).length);
}

function figure(name: string, s: Scenario): Figure {
  const length = encodeShareFragment({ scenario: s }).length;
  const b = bound(s);
  const limit = 1.05 * b + 32;
  return {
    figure: `share-link length: ${name}`,
    baseline: 'base64url(deflate -9 of the raw bitmaps)',
    value: length / b,
    unit: 'x',
    target: '<= 1.05x + 32 chars',
    pass: length <= limit,
    detail: `${length} characters; bound ${b}; limit ${Math.floor(limit)}`,
  };
}

export function shareLinkFigures(): Figure[] {
  const random: Scenario = {
    profile: 'linux-6.12',
    vcpu: 'bare',
    exits: null,
    ignoreMsrs: false,
    vmm: { read: { error: true }, write: { error: true } },
    filter: sixteenFullRanges('random'),
    steps: [],
  };
  return [figure('16 full random ranges', random), ...PRESETS.map((p) => figure(`preset ${p.id}`, p.scenario))];
}
