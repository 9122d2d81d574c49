import { useEffect, useId, useRef, useState } from 'react';
import { ActionButton } from '../actions/ActionButton';
import { perform } from '../actions/dispatch';
import { useStoreApi } from '../state/context';
import type { PlaygroundStore } from '../state/types';
import { Dialog } from './Dialog';
import { type ImportResult, parseImportFile, parseImportText } from './import-parse';

export const IMPORT_NOTICE_ID = 'import';

/** Applies a parsed import as one undo step and closes the dialog; returns the error to show, or null. */
export function applyImport(store: PlaygroundStore, r: ImportResult): string | null {
  if (!r.ok) return r.message;
  perform(store, 'document.import', r.kind === 'policy' ? { policy: r.policy } : { doc: r.doc });
  const s = store.getState();
  s.setDialog(null);
  s.showToast(`Imported ${r.summary}`);
  if (r.kind === 'document' && r.notes.length) {
    s.addNotice({ id: IMPORT_NOTICE_ID, tone: 'info', title: 'Imported, with notes.', text: r.notes.join(' ') });
  }
  return null;
}

/**
 * Import: a JSON file (picker, or dropped on the page), pasted JSON (`msr-filter/1`: the policy only;
 * `msr-scenario/1`: the whole document) or a pasted share link. Invalid input shows the located error and changes
 * nothing; a valid one is one undo step.
 */
export function ImportDialog({ file }: { file?: File }) {
  const store = useStoreApi();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const handled = useRef<File | null>(null);

  async function importFile(f: File) {
    setBusy(true);
    const r = await parseImportFile(f);
    setBusy(false);
    setError(applyImport(store, r));
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: a dropped file is read once, when the dialog gets it
  useEffect(() => {
    if (file && handled.current !== file) {
      handled.current = file;
      void importFile(file);
    }
  }, [file]);

  return (
    <Dialog title="Import" className="import-dialog">
      <p className="dialog-intro">
        An <code>msr-filter/1</code> policy replaces the policy only; an <code>msr-scenario/1</code> scenario or a share
        link replaces the whole document (policy, VM settings, saved accesses). Undo puts it all back.
      </p>
      <div className="dialog-field">
        <label htmlFor={`${id}-file`}>A JSON file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".json,application/json,text/plain"
          aria-describedby={`${id}-file-hint`}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <p id={`${id}-file-hint`} className="field-hint">
          or drop the file anywhere on the page
        </p>
      </div>
      <form
        className="dialog-field"
        onSubmit={(e) => {
          e.preventDefault();
          setError(applyImport(store, parseImportText(text)));
        }}
      >
        <label htmlFor={`${id}-text`}>Or paste JSON or a link</label>
        <textarea
          id={`${id}-text`}
          data-autofocus
          rows={8}
          spellCheck={false}
          className="code-text"
          value={text}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          placeholder={'{ "format": "msr-filter/1", … }  or  https://…/#v2.…'}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
        <div id={`${id}-error`} role="alert" className="dialog-error-slot">
          {error ? (
            <p className="dialog-error">
              <strong>Nothing was imported.</strong> {error}
            </p>
          ) : null}
        </div>
        <div className="dialog-buttons">
          <button type="submit" className="primary" disabled={busy}>
            Import
          </button>
          <ActionButton action="dialog.close">Cancel</ActionButton>
        </div>
      </form>
    </Dialog>
  );
}
