import { useState } from 'react';
import { usePerform } from '../actions/hooks';
import { getPreset, PRESETS } from '../presets';

/** Choose a preset and load it (one undoable step: the whole document is replaced). */
export function PresetPicker() {
  const [id, setId] = useState<string>(PRESETS[0].id);
  const run = usePerform();
  return (
    <div className="preset-picker">
      <label htmlFor="preset-select">Preset</label>
      <select id="preset-select" value={id} onChange={(e) => setId(e.target.value)} title={getPreset(id)?.origin}>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => run('preset.load', { id })}>
        Load preset
      </button>
    </div>
  );
}
