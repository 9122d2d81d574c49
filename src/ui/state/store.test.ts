import { describe, expect, it } from 'vitest';
import { perform } from '../actions/dispatch';
import { getPreset, PRESETS } from '../presets';
import { savedRunOf, validationOf } from './derived';
import { documentToScenario, emptyDocument, scenarioToDocument } from './document';
import { getDocument, setDocument, subscribeDocument } from './document-api';
import { beginGesture, endGesture, recordEdit } from './history';
import { createPlaygroundStore } from './store';

const fresh = () => createPlaygroundStore({ storage: null });
const past = (s: ReturnType<typeof fresh>) => s.temporal.getState().pastStates.length;

describe('the playground store', () => {
  it('records one undo step per document action and none for view changes', () => {
    const store = fresh();
    perform(store, 'range.add');
    perform(store, 'range.add');
    expect(store.getState().doc.policy.ranges).toHaveLength(2);
    expect(past(store)).toBe(2);
    perform(store, 'grid.zoomIn');
    perform(store, 'panel.show', { panel: 'compare' });
    expect(past(store)).toBe(2);
    perform(store, 'history.undo');
    expect(store.getState().doc.policy.ranges).toHaveLength(1);
    expect(store.getState().activePanel).toBe('compare');
    perform(store, 'history.redo');
    expect(store.getState().doc.policy.ranges).toHaveLength(2);
  });

  it('undo and redo clear a confirmation still on screen (it was about the step undone)', () => {
    const store = fresh();
    perform(store, 'range.add');
    store.getState().showToast('Imported the policy (1 range)');
    perform(store, 'history.undo');
    expect(store.getState().toast).toBeNull();
    store.getState().showToast('Link copied');
    perform(store, 'history.redo');
    expect(store.getState().toast).toBeNull();
  });

  it('makes a whole gesture one undo step', () => {
    const store = fresh();
    perform(store, 'range.add');
    perform(store, 'range.setNmsrs', { index: 0, nmsrs: 64 });
    const before = store.getState().doc;
    const steps = past(store);
    beginGesture(store);
    for (let b = 0; b < 10; b++) perform(store, 'grid.apply', { range: 0, from: b, to: b + 1, op: 'allow' });
    endGesture(store);
    expect(past(store)).toBe(steps + 1);
    expect(store.getState().doc.policy.ranges[0].bitmap[0]).toBe(0xff);
    perform(store, 'history.undo');
    expect(store.getState().doc).toBe(before);
  });

  it('joins a burst of typing in one field into one step', () => {
    const store = fresh();
    perform(store, 'range.add');
    const steps = past(store);
    for (const [k, base] of [0x1, 0x10, 0x100].entries()) {
      recordEdit(
        store,
        'range.0.base',
        () => store.getState().updatePolicy((p) => ({ ...p, ranges: [{ ...p.ranges[0], base }] })),
        1000 + 100 * k,
      );
    }
    expect(past(store)).toBe(steps + 1);
    expect(store.getState().doc.policy.ranges[0].base).toBe(0x100);
  });

  it('gives the document to outside code and tells it about changes', () => {
    const store = fresh();
    const seen: number[] = [];
    const stop = subscribeDocument(store, (doc) => seen.push(doc.policy.ranges.length));
    perform(store, 'range.add');
    perform(store, 'grid.zoomOut');
    const preset = getPreset('selftest-deny')?.build() ?? emptyDocument();
    setDocument(store, preset, { history: 'reset' });
    stop();
    perform(store, 'range.remove', { index: 0 });
    expect(seen).toEqual([1, 6]);
    expect(getDocument(store).policy.ranges).toHaveLength(5);
    expect(past(store)).toBe(1);
  });
});

describe('documents and scenarios', () => {
  it('round-trips every preset through msr-scenario/1 JSON, expectations included', () => {
    for (const p of PRESETS) {
      const doc = p.build();
      const json = JSON.parse(JSON.stringify(documentToScenario(doc)));
      expect(json.format).toBe('msr-scenario/1');
      const back = scenarioToDocument(json);
      expect(documentToScenario(back)).toEqual(documentToScenario(doc));
      expect(back.saved.map((a) => a.expect)).toEqual(doc.saved.map((a) => a.expect));
    }
  });

  it('names the place of a bad expectation and notes dropped control steps', () => {
    expect(() => scenarioToDocument({ steps: [{ op: 'rdmsr', index: 1, expect: 'maybe' }] })).toThrow(
      /steps\[0\]\.expect/,
    );
    const notes: string[] = [];
    const doc = scenarioToDocument(
      {
        steps: [
          { op: 'set-exits', exits: ['filter'] },
          { op: 'rdmsr', index: 1 },
        ],
      },
      notes,
    );
    expect(doc.saved).toHaveLength(1);
    expect(notes[0]).toMatch(/steps\[0\]: set-exits/);
  });

  it('has presets that their kernels accept and whose saved accesses pass', () => {
    for (const p of PRESETS) {
      const doc = p.build();
      expect(validationOf(doc.policy, doc.profile).error, p.id).toBeNull();
      const run = savedRunOf(doc);
      if (!run) throw new Error('the engine is preloaded by setupTests');
      expect(run.failed, `${p.id}: ${JSON.stringify(run.outcomes.map((o) => o.result.decision))}`).toBe(0);
      expect(run.passed).toBe(doc.saved.length);
    }
  });

  it('logs a filter replacement when the policy changed between two fired accesses', () => {
    const store = fresh();
    store.getState().fire({ op: 'rdmsr', index: 0x10, value: 0n, host: false });
    perform(store, 'range.add');
    perform(store, 'range.setBase', { index: 0, base: 0x10 });
    const r = store.getState().fire({ op: 'rdmsr', index: 0x10, value: 0n, host: false });
    expect(r?.decision).toBe('eperm');
    const notes = store.getState().log.filter((e) => e.kind === 'note');
    expect(notes.map((n) => (n.kind === 'note' ? n.text : ''))).toEqual([
      expect.stringMatching(/^new VM/),
      expect.stringMatching(/SET_MSR_FILTER: ok/),
      expect.stringMatching(/SET_MSR_FILTER: ok; filter installed \(1 range\)/),
    ]);
  });
});
