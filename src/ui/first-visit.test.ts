import { describe, expect, it } from 'vitest';
import { firstVisitDocument } from './first-visit';
import { savedRunOf } from './state/derived';
import { loadEngine } from './state/engine';

describe('the first-visit document', () => {
  it('is a valid policy of a few ranges with allowed and denied cells, and its saved accesses all pass', async () => {
    await loadEngine();
    const doc = firstVisitDocument();
    expect(doc.policy.ranges.length).toBeGreaterThanOrEqual(3);
    const bits = doc.policy.ranges.flatMap((r) =>
      Array.from({ length: r.nmsrs }, (_, b) => (r.bitmap[b >> 3] >> (b & 7)) & 1),
    );
    expect(bits).toContain(0);
    expect(bits).toContain(1);
    const run = savedRunOf(doc);
    expect(run?.setup.filter?.errno ?? null).toBeNull();
    expect(run?.outcomes.map((o) => [o.access.index.toString(16), o.result.decision, o.pass])).toEqual(
      doc.saved.map((a) => [a.index.toString(16), a.expect, true]),
    );
    expect(run?.failed).toBe(0);
  });
});
