import { describe, expect, it } from 'vitest';
import { actionForCombo, isEnabled, paletteEntries, perform } from '../actions/dispatch';
import { comboOf } from '../actions/shortcuts';
import { getPreset } from '../presets';
import type { PlaygroundDocument } from '../state/document';
import { createPlaygroundStore } from '../state/store';

const selftest = () => getPreset('selftest-deny')?.build() as PlaygroundDocument;

describe('the share actions', () => {
  it('are in the command palette with their shortcuts', () => {
    const entries = paletteEntries(createPlaygroundStore({ storage: null }));
    const byId = (id: string) => entries.find((e) => e.id === id);
    expect(byId('share.copyLink')).toMatchObject({ label: 'Copy link', shortcut: 'mod+shift+l' });
    expect(byId('share.import')).toMatchObject({ label: 'Import…', shortcut: 'mod+o' });
    expect(byId('share.export')).toMatchObject({ label: 'Export…', shortcut: 'mod+shift+e' });
    const key = (k: string, shiftKey = false) =>
      comboOf({ key: k, ctrlKey: true, metaKey: false, shiftKey, altKey: false });
    expect(actionForCombo(key('L', true))).toBe('share.copyLink');
    expect(actionForCombo(key('o'))).toBe('share.import');
    expect(actionForCombo(key('E', true))).toBe('share.export');
  });

  it('open and close the dialogs without touching the document or its history', () => {
    const store = createPlaygroundStore({ storage: null });
    const doc = store.getState().doc;
    expect(isEnabled(store, 'dialog.close')).toBe(false);
    perform(store, 'share.import');
    expect(store.getState().dialog).toEqual({ kind: 'import' });
    perform(store, 'share.export');
    expect(store.getState().dialog).toEqual({ kind: 'export' });
    perform(store, 'dialog.close');
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().doc).toBe(doc);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('an import is one undo step: a whole document, or the policy alone', () => {
    const store = createPlaygroundStore({ storage: null });
    const start = store.getState().doc;
    const policy = selftest().policy;
    perform(store, 'document.import', { policy });
    expect(store.getState().doc.policy).toBe(policy);
    expect(store.getState().doc.saved).toBe(start.saved);
    perform(store, 'document.import', { doc: selftest() });
    expect(store.getState().doc.profile).toBe(selftest().profile);
    expect(store.temporal.getState().pastStates).toHaveLength(2);
    perform(store, 'history.undo');
    perform(store, 'history.undo');
    expect(store.getState().doc).toBe(start);
  });
});
