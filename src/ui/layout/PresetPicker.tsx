import { useMemo, useState } from 'react';
import { usePerform } from '../actions/hooks';
import { getPreset, PRESETS } from '../presets';
import { useAppStore } from '../state/context';
import type { PlaygroundDocument } from '../state/document';

const CUSTOM = 'custom';

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** What makes a document "that preset", bitmaps aside: the ranges' shapes and the VM settings (cheap to compare). */
function outlineOf(doc: PlaygroundDocument): string {
  const ranges = doc.policy.ranges.map((r) => `${r.flags}:${r.base >>> 0}:${r.nmsrs}`).join(',');
  const exits = doc.exits === null ? 'null' : doc.exits.toString();
  return `${doc.policy.flags}|${ranges}|${doc.profile}|${doc.vcpu}|${exits}|${doc.ignoreMsrs}|${JSON.stringify(doc.vmm, bigintSafe)}`;
}

function sameBits(a: PlaygroundDocument, b: PlaygroundDocument): boolean {
  return a.policy.ranges.every((r, i) => {
    const other = b.policy.ranges[i].bitmap;
    const bytes = Math.ceil(r.nmsrs / 8);
    for (let k = 0; k < bytes; k++) if ((r.bitmap[k] ?? 0) !== (other[k] ?? 0)) return false;
    return true;
  });
}

const BUILT = new Map<string, { doc: PlaygroundDocument; outline: string }>();
function built(id: string) {
  let b = BUILT.get(id);
  if (!b) {
    const doc = getPreset(id)?.build();
    if (!doc) return undefined;
    b = { doc, outline: outlineOf(doc) };
    BUILT.set(id, b);
  }
  return b;
}

/** The preset the document still is, or null once it has changed (an edit, an import, a link). */
export function presetOf(doc: PlaygroundDocument): string | null {
  const outline = outlineOf(doc);
  for (const p of PRESETS) {
    const b = built(p.id);
    if (b && b.outline === outline && sameBits(doc, b.doc)) return p.id;
  }
  return null;
}

/**
 * Choose a preset and load it (one undoable step: the whole document is replaced). The menu names the preset the
 * document is, and "custom" once it has changed.
 */
export function PresetPicker() {
  const doc = useAppStore((s) => s.doc);
  const current = useMemo(() => presetOf(doc), [doc]);
  const [picked, setPicked] = useState<{ id: string; for: PlaygroundDocument } | null>(null);
  const run = usePerform();
  // a choice not yet loaded lasts until the document changes
  const id = picked && picked.for === doc ? picked.id : (current ?? CUSTOM);
  return (
    <div className="preset-picker">
      <label htmlFor="preset-select">Preset</label>
      <select
        id="preset-select"
        value={id}
        onChange={(e) => setPicked({ id: e.target.value, for: doc })}
        title={getPreset(id)?.origin ?? 'The document is not one of the presets'}
      >
        {current === null ? <option value={CUSTOM}>custom</option> : null}
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={id === CUSTOM} onClick={() => run('preset.load', { id })}>
        Load preset
      </button>
    </div>
  );
}
