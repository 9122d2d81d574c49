import { ActionButton } from '../actions/ActionButton';
import { useAppStore } from '../state/context';
import { accessTitle, announce } from './describe';
import { LogEntryView } from './LogEntryView';

/** What happened to each access when it was fired, newest first. Edits never rewrite it. */
export function ResultsLog() {
  const log = useAppStore((s) => s.log);
  const last = [...log].reverse().find((e) => e.kind === 'access');
  return (
    <section className="results" aria-labelledby="results-heading">
      <div className="section-head">
        <h3 id="results-heading">Results</h3>
        {last ? <span className="muted">latest first</span> : null}
        <ActionButton action="log.clear">Clear</ActionButton>
        <ActionButton action="vm.reset" label="Reset the VM">
          Reset VM
        </ActionButton>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {last && last.kind === 'access'
          ? announce(last.result, accessTitle(last.request.op, last.request.index, last.request.host))
          : ''}
      </p>
      {log.length === 0 ? (
        <p className="muted">Nothing fired yet. Fire an access above (Ctrl/Cmd+Enter).</p>
      ) : (
        <ol className="log" aria-label="Results log, newest first">
          {[...log].reverse().map((e) => (
            <LogEntryView key={e.id} entry={e} latest={e === last} />
          ))}
        </ol>
      )}
    </section>
  );
}
