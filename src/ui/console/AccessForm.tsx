import { msrName } from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { parseMsrText } from '../state/parse';
import type { ConsoleDraft } from '../state/view-slice';
import { MSR_DATALIST_ID } from './MsrDatalist';

/** RDMSR/WRMSR by index or name, the value for writes, guest or host; Enter or Ctrl/Cmd+Enter fires. */
export function AccessForm() {
  const draft = useAppStore((s) => s.draft);
  const error = useAppStore((s) => s.draftError);
  const run = usePerform();
  const setDraft = (patch: Partial<ConsoleDraft>) => run('console.edit', { draft: patch });
  const parsed = parseMsrText(draft.indexText);
  const resolved = parsed.ok ? msrName(parsed.value) : undefined;
  return (
    <form
      className="access-form"
      data-native-undo
      aria-label="Fire an access"
      onSubmit={(e) => {
        e.preventDefault();
        run('access.fire');
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          run('access.fire');
        }
      }}
    >
      <fieldset className="op-choice">
        <legend>Instruction</legend>
        {(['rdmsr', 'wrmsr'] as const).map((op) => (
          <label key={op}>
            <input
              type="radio"
              name="access-op"
              value={op}
              checked={draft.op === op}
              onChange={() => setDraft({ op })}
            />
            {op.toUpperCase()}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="access-index">MSR (index or name)</label>
        <input
          id="access-index"
          type="text"
          list={MSR_DATALIST_ID}
          value={draft.indexText}
          spellCheck={false}
          autoComplete="off"
          aria-describedby="access-index-hint"
          onChange={(e) => setDraft({ indexText: e.target.value })}
        />
        <span id="access-index-hint" className="field-hint">
          {parsed.ok ? `${`0x${parsed.value.toString(16)}`}${resolved ? ` ${resolved}` : ''}` : ' '}
        </span>
      </div>
      <div className="field">
        <label htmlFor="access-value">Value (for WRMSR)</label>
        <input
          id="access-value"
          type="text"
          value={draft.valueText}
          spellCheck={false}
          autoComplete="off"
          disabled={draft.op !== 'wrmsr'}
          onChange={(e) => setDraft({ valueText: e.target.value })}
        />
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.host} onChange={(e) => setDraft({ host: e.target.checked })} />
        Host access (KVM_GET_MSRS / KVM_SET_MSRS)
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-buttons">
        <button type="submit" className="primary" aria-keyshortcuts="Control+Enter Meta+Enter">
          Fire
        </button>
        <ActionButton action="access.save">Save as test</ActionButton>
      </div>
    </form>
  );
}
