import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { entryEnabled, filterEntries, paletteEntries, performById } from '../actions/dispatch';
import { formatShortcut } from '../actions/shortcuts';
import { useAppStore, useStoreApi } from '../state/context';
import './palette.css';

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
  const entries = useMemo(() => paletteEntries(store).filter((e) => entryEnabled(store, e)), [store]);
  const shown = useMemo(() => filterEntries(entries, query), [entries, query]);
  const current = Math.min(active, shown.length - 1);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    inputRef.current?.focus();
    return () => previous?.focus?.();
  }, []);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  });

  const close = () => performById(store, 'palette.close');
  const runAt = (i: number) => {
    const e = shown[i];
    if (!e) return;
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
              className={i === current ? 'active' : undefined}
              onMouseMove={() => i !== current && setActive(i)}
              onClick={() => runAt(i)}
            >
              <span>{e.label}</span>
              {e.shortcut ? <kbd>{formatShortcut(e.shortcut)}</kbd> : null}
            </div>
          ))}
        </div>
        {shown.length === 0 ? <p className="palette-empty">No command matches “{query}”</p> : null}
      </div>
    </div>
  );
}
