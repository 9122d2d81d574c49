import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { hex32, msrName } from '../../core/index';
import { entryEnabled, filterEntries, type PaletteEntry, paletteEntries, performById } from '../actions/dispatch';
import { formatShortcut } from '../actions/shortcuts';
import { useAppStore, useStoreApi } from '../state/context';
import { parseMsrText } from '../state/parse';
import './palette.css';

type Shown = PaletteEntry & { disabled: boolean };

/** A query that names an MSR (IA32_EFER, efer, 0x10) offers to jump there on the grid, first. */
function jumpEntry(query: string): Shown | null {
  const p = parseMsrText(query);
  if (!p.ok) return null;
  const name = msrName(p.value);
  return {
    key: `jump:${p.value}`,
    id: 'grid.jump',
    label: `Jump to MSR ${hex32(p.value)}${name ? ` ${name}` : ''}`,
    params: { index: p.value },
    disabled: false,
  };
}

/**
 * Every action by name: a modal dialog with a filter box (a combobox) over a listbox. Arrow keys move, Enter runs,
 * Escape closes; focus returns where it was.
 */
export function CommandPalette() {
  const open = useAppStore((s) => s.paletteOpen);
  return open ? <PaletteDialog /> : null;
}

function PaletteDialog() {
  const store = useStoreApi();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const id = useId();
  // every action is listed; the ones that cannot run now (Undo with nothing to undo) are marked and listed last
  const entries = useMemo(
    () => paletteEntries(store).map((e): Shown => ({ ...e, disabled: !entryEnabled(store, e) })),
    [store],
  );
  const shown = useMemo(() => {
    const matched = filterEntries(entries, query);
    const jump = query.trim() ? jumpEntry(query) : null;
    const ordered = [...matched.filter((e) => !e.disabled), ...matched.filter((e) => e.disabled)];
    return jump ? [jump, ...ordered] : ordered;
  }, [entries, query]);
  const current = Math.min(active, shown.length - 1);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const input = inputRef.current;
    input?.focus();
    return () => {
      // focus goes back where it was, unless the command moved it (Jump to MSR… focuses the jump box)
      const now = document.activeElement;
      if (!now || now === document.body || now === input) previous?.focus?.();
    };
  }, []);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  });

  const close = () => performById(store, 'palette.close');
  const runAt = (i: number) => {
    const e = shown[i];
    if (!e || e.disabled) return;
    close();
    performById(store, e.id, e.params);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' || (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((current + 1) % Math.max(shown.length, 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((current - 1 + shown.length) % Math.max(shown.length, 1));
    } else if (e.key === 'Home' && e.ctrlKey) {
      setActive(0);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      runAt(current);
    } else if (e.key === 'Tab') {
      // The filter box is the dialog's only stop: keep focus inside.
      e.preventDefault();
    }
  };

  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click outside closes; Escape does it from the keyboard
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="palette" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} onKeyDown={onKey}>
        <h2 id={`${id}-title`} className="visually-hidden">
          Command palette
        </h2>
        <input
          ref={inputRef}
          type="text"
          role="combobox"
          aria-label="Type a command"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown.length > 0 ? optionId(current) : undefined}
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <div id={listId} ref={listRef} role="listbox" aria-label="Commands">
          {shown.map((e, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keyboard for its options
            <div
              key={e.key}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === current}
              aria-disabled={e.disabled || undefined}
              className={`${i === current ? 'active' : ''}${e.disabled ? ' disabled' : ''}`.trim() || undefined}
              onMouseMove={() => i !== current && setActive(i)}
              onClick={() => runAt(i)}
            >
              <span>{e.label}</span>
              {e.disabled ? <span className="palette-note">not now</span> : null}
              {e.shortcut ? <kbd>{formatShortcut(e.shortcut)}</kbd> : null}
            </div>
          ))}
        </div>
        {shown.length === 0 ? <p className="palette-empty">No command matches “{query}”</p> : null}
      </div>
    </div>
  );
}
