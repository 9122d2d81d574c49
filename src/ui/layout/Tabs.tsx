import { type KeyboardEvent, type ReactNode, useRef } from 'react';

export interface TabDef<T extends string> {
  id: T;
  label: string;
  render: () => ReactNode;
}

/** ARIA tabs: arrow keys, Home and End move between tabs; only the active panel is rendered. */
export function Tabs<T extends string>(props: {
  label: string;
  tabs: readonly TabDef<T>[];
  active: T;
  onSelect: (id: T) => void;
  /** Makes the tabs' element ids unique when more than one set of tabs is on the page. */
  idPrefix?: string;
}) {
  const { label, tabs, active, onSelect, idPrefix } = props;
  const tabId = (id: T) => (idPrefix ? `${idPrefix}-tab-${id}` : `tab-${id}`);
  const panelId = (id: T) => (idPrefix ? `${idPrefix}-tabpanel-${id}` : `tabpanel-${id}`);
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    const next =
      e.key === 'ArrowRight'
        ? i + 1
        : e.key === 'ArrowLeft'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? -1
              : null;
    if (next === null) return;
    e.preventDefault();
    const t = tabs[(next + tabs.length) % tabs.length];
    onSelect(t.id);
    refs.current.get(t.id)?.focus();
  };
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) refs.current.set(t.id, el);
            }}
            type="button"
            role="tab"
            id={tabId(t.id)}
            aria-selected={t.id === current.id}
            aria-controls={panelId(t.id)}
            tabIndex={t.id === current.id ? 0 : -1}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId(current.id)} aria-labelledby={tabId(current.id)} className="tabpanel">
        {current.render()}
      </div>
    </div>
  );
}
