import type { ReactNode } from 'react';
import type { ParamArgs } from './dispatch';
import { useActionEnabled, usePerform } from './hooks';
import { ACTIONS, type ActionId } from './registry';
import { ariaShortcut, formatShortcut } from './shortcuts';
import type { ActionDef } from './types';

type Props<K extends ActionId> = {
  action: K;
  /** Visible content; the action's label when absent. */
  children?: ReactNode;
  /** The accessible name when the visible content is an icon or too short. */
  label?: string;
  className?: string;
  /** For a button that shows or hides something: aria-expanded and aria-controls. */
  expanded?: boolean;
  controls?: string;
} & (ParamArgs<K> extends [] ? { params?: undefined } : { params: ParamArgs<K>[0] });

/** A button that performs a registry action, disabled when the action is, with its shortcut in the tooltip. */
export function ActionButton<K extends ActionId>({
  action,
  children,
  label,
  className,
  params,
  expanded,
  controls,
}: Props<K>) {
  const args = (params === undefined ? [] : [params]) as ParamArgs<K>;
  const enabled = useActionEnabled(action, ...args);
  const run = usePerform();
  const def = ACTIONS[action] as ActionDef<unknown>;
  const shortcut = def.shortcut?.[0];
  const name = label ?? def.label;
  return (
    <button
      type="button"
      className={className}
      disabled={!enabled}
      aria-label={label}
      aria-expanded={expanded}
      aria-controls={controls}
      aria-keyshortcuts={shortcut ? ariaShortcut(shortcut) : undefined}
      title={shortcut ? `${name} (${formatShortcut(shortcut)})` : name}
      onClick={() => run(action, ...args)}
    >
      {children ?? name}
    </button>
  );
}
