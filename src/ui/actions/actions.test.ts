import { describe, expect, it } from 'vitest';
import { createPlaygroundStore } from '../state/store';
import { actionForCombo, filterEntries, paletteEntries } from './dispatch';
import { ACTIONS } from './registry';
import { comboOf, formatShortcut } from './shortcuts';

describe('the action registry', () => {
  it('maps key events to actions, Ctrl and Cmd alike', () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
      comboOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(actionForCombo(key('z', { ctrlKey: true }))).toBe('history.undo');
    expect(actionForCombo(key('Z', { metaKey: true, shiftKey: true }))).toBe('history.redo');
    expect(actionForCombo(key('Enter', { ctrlKey: true }))).toBe('access.fire');
    expect(actionForCombo(key('k', { metaKey: true }))).toBe('palette.open');
    expect(actionForCombo(key('z'))).toBeUndefined();
    expect(formatShortcut('mod+shift+z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('mod+shift+z', true)).toBe('⌘⇧Z');
  });

  it('gives every action a label and an undo behaviour, and no shortcut twice', () => {
    const seen = new Set<string>();
    for (const [id, def] of Object.entries(ACTIONS)) {
      expect(def.label, id).not.toBe('');
      expect(['records', 'none', 'history']).toContain(def.undo);
      for (const s of (def as { shortcut?: readonly string[] }).shortcut ?? []) {
        expect(seen.has(s), s).toBe(false);
        seen.add(s);
      }
    }
  });

  it('lists palette entries, with one per preset, and filters them by words', () => {
    const entries = paletteEntries(createPlaygroundStore({ storage: null }));
    expect(entries.filter((e) => e.id === 'preset.load')).toHaveLength(4);
    expect(filterEntries(entries, 'zoom in').map((e) => e.id)).toEqual(['grid.zoomIn']);
  });

  it('ranks the whole label and its prefix first, punctuation aside, then labels that start with the query', () => {
    const entries = paletteEntries(createPlaygroundStore({ storage: null }));
    const first = (q: string) => filterEntries(entries, q)[0]?.label;
    expect(first('theme dark')).toBe('Theme: dark');
    expect(first('undo')).toBe('Undo');
    expect(first('redo')).toBe('Redo');
    expect(first('jump')).toBe('Jump to MSR…');
    expect(first('help')).toBe('Help: keyboard shortcuts');
    // "show" starts "Show: …" labels, ahead of labels that only contain a word starting with it
    expect(first('show')).toMatch(/^Show/);
  });
});
