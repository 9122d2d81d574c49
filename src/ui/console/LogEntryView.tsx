import type { LogEntry } from '../state/run-slice';
import { accessTitle, decidedText, exitText, resultText } from './describe';
import { TraceList } from './TraceList';
import { VerdictBadge } from './VerdictBadge';

/** One line of the results log: an access with its verdict, exit, value and trace, or a note on the VM. */
export function LogEntryView({ entry }: { entry: LogEntry }) {
  if (entry.kind === 'note') {
    return (
      <li className={`log-note${entry.errno ? ' log-note-error' : ''}`}>
        <span className="muted">VMM:</span> {entry.text}
      </li>
    );
  }
  const { request: q, result: r } = entry;
  return (
    <li className="log-access">
      <div className="log-head">
        <VerdictBadge decision={r.decision} />
        <span className="log-title">{accessTitle(q.op, q.index, q.host, q.value)}</span>
      </div>
      <dl className="log-facts">
        <dt>Exit</dt>
        <dd>{exitText(r)}</dd>
        <dt>Result</dt>
        <dd>{resultText(r)}</dd>
        <dt>Decided by</dt>
        <dd>{decidedText(r)}</dd>
      </dl>
      <TraceList trace={r.trace} />
    </li>
  );
}
