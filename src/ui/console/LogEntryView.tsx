import { GridLink } from '../layout/GridLink';
import type { LogEntry } from '../state/run-slice';
import { accessTitle } from './describe';
import { outcomeOf, pathOf } from './outcome';
import { TraceList } from './TraceList';
import { DecisionTag } from './VerdictBadge';

/**
 * One line of the results log, the verdict first: what the guest or the VMM saw (a value and where it came from,
 * #GP, an ioctl error), then the path (filter, KVM, exit, reply) with the deciding range and bit as a link to the
 * grid, then the full trace. The newest line is the "latest" one, shown larger.
 */
export function LogEntryView({ entry, latest }: { entry: LogEntry; latest?: boolean }) {
  if (entry.kind === 'note') {
    return (
      <li className={`log-note${entry.errno ? ' log-note-error' : ''}`}>
        <span className="muted">VMM:</span> {entry.text}
      </li>
    );
  }
  const { request: q, result: r } = entry;
  const outcome = outcomeOf(r);
  return (
    <li className={`log-access${latest ? ' log-latest' : ''}`} data-outcome={outcome.kind}>
      <div className="log-head">
        <span className={`badge outcome outcome-${outcome.kind}`}>{outcome.badge}</span>
        <span className="log-title">{accessTitle(q.op, q.index, q.host, q.value)}</span>
      </div>
      <p className="log-sentence">{outcome.sentence}</p>
      <ol className="log-path" aria-label="Path">
        {pathOf(r).map((p) => (
          <li key={p.stage} className={`path-step tone-${p.tone}`}>
            <span className="path-stage">{p.stage}</span>{' '}
            {p.stage === 'filter' && r.range !== null ? (
              <GridLink range={r.range} bit={r.bit}>
                {p.text}
              </GridLink>
            ) : (
              p.text
            )}
          </li>
        ))}
        <li className="path-step">
          <DecisionTag decision={r.decision} host={r.host} />
        </li>
      </ol>
      <TraceList trace={r.trace} />
    </li>
  );
}
