import { ACTIONS, type ActionId } from '../actions/registry';
import { formatShortcut } from '../actions/shortcuts';
import type { ActionDef } from '../actions/types';
import { GRID_KEYS } from '../grid/keys';
import { Dialog } from '../share/Dialog';
// the dialog's own styles live with the share dialogs (loaded with them); the sheet may open before any of those
import '../share/dialogs.css';
import './help.css';

/** Every registry action that has a shortcut, with its label: the sheet is built from the registry, never by hand. */
export function shortcutRows(): { id: ActionId; label: string; keys: string[] }[] {
  const rows: { id: ActionId; label: string; keys: string[] }[] = [];
  for (const id of Object.keys(ACTIONS) as ActionId[]) {
    const def = ACTIONS[id] as ActionDef<unknown>;
    // `shift+?` is registered beside `?` because browsers report the key either way; it is one key to type
    const typed = def.shortcut?.filter((k) => !(k.startsWith('shift+') && def.shortcut?.includes(k.slice(6))));
    if (typed?.length) rows.push({ id, label: def.label, keys: typed.map((k) => formatShortcut(k)) });
  }
  return rows;
}

/** The `?` sheet: the playground's shortcuts (from the action registry) and the grid's keys. */
export function HelpSheet() {
  return (
    <Dialog title="Keyboard shortcuts" className="help-sheet">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the tables scroll on a small screen; the keyboard must reach them */}
      <section className="help-columns" aria-label="Shortcuts, scrollable" tabIndex={0}>
        <table className="data-table">
          <caption>Everywhere</caption>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Does</th>
            </tr>
          </thead>
          <tbody>
            {shortcutRows().map((r) => (
              <tr key={r.id} data-action={r.id}>
                <td>
                  {r.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' or ' : null}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{r.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table">
          <caption>On the bitmap grid</caption>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Does</th>
            </tr>
          </thead>
          <tbody>
            {GRID_KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="muted">
        Every command, with or without a key, is in the command palette ({formatShortcut('mod+k')}).
      </p>
    </Dialog>
  );
}
