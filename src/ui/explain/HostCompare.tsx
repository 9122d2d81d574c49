import { useMemo } from 'react';
import { HOST_MODEL_IDS, HOST_MODELS, type HostModelId, PROVENANCE_WORD } from '../../core/index';
import { usePerform } from '../actions/hooks';
import { accessTitle } from '../console/describe';
import { outcomeOf } from '../console/outcome';
import { DecisionTag } from '../console/VerdictBadge';
import { GridLink } from '../layout/GridLink';
import { useAppStore } from '../state/context';
import { documentToCoreScenario } from '../state/document';
import { useEngine } from '../state/engine';
import { ScrollRegion } from './ScrollRegion';

function HostSelect({ side, value }: { side: 'A' | 'B'; value: HostModelId }) {
  const run = usePerform();
  const key = side === 'A' ? 'hostA' : 'hostB';
  return (
    <div className="field">
      <label htmlFor={`compare-${key}`}>Host {side}</label>
      <select
        id={`compare-${key}`}
        value={value}
        onChange={(e) => run('compare.configure', { compare: { [key]: e.target.value as HostModelId } })}
      >
        {HOST_MODEL_IDS.map((id) => (
          <option key={id} value={id}>
            {HOST_MODELS[id].label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The same policy, VM settings and saved accesses on two host models: what each host's KVM answered, the accesses
 * where they differ first, with KVM's own reason on each side and the host facts behind it.
 */
export function HostCompare({ hostA, hostB }: { hostA: HostModelId; hostB: HostModelId }) {
  const doc = useAppStore((s) => s.doc);
  const engine = useEngine();
  const result = useMemo(
    () => (engine ? engine.compareHosts(documentToCoreScenario(doc), hostA, hostB) : null),
    [engine, doc, hostA, hostB],
  );
  const rows = result ? [...result.rows].sort((x, y) => Number(y.differs) - Number(x.differs) || x.step - y.step) : [];
  return (
    <>
      <div className="compare-controls">
        <HostSelect side="A" value={hostA} />
        <HostSelect side="B" value={hostB} />
      </div>
      {!result ? (
        <p className="muted">Loading the simulator…</p>
      ) : (
        <>
          <dl className="compare-labels" aria-label="What is compared">
            <div className="compare-side">
              <dt>A</dt>
              <dd>
                {result.a.label} <span className="muted">({PROVENANCE_WORD[result.a.provenance.kind]})</span>
              </dd>
            </div>
            <div className="compare-side">
              <dt>B</dt>
              <dd>
                {result.b.label} <span className="muted">({PROVENANCE_WORD[result.b.provenance.kind]})</span>
              </dd>
            </div>
          </dl>
          {result.facts.length > 0 ? (
            <ul className="host-facts" aria-label="Where the two hosts differ">
              {result.facts.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">The two host models state the same facts.</p>
          )}
          {result.rows.length === 0 ? (
            <p className="muted">No saved accesses: save some in the console to compare them on the two hosts.</p>
          ) : (
            <>
              <p className={result.differing ? '' : 'compare-same'}>
                {result.differing === 0
                  ? `= All ${result.rows.length} saved accesses get the same answer on both hosts.`
                  : `${result.differing} of ${result.rows.length} saved accesses get a different answer.`}
              </p>
              <ScrollRegion label="Saved accesses on host A and host B">
                <table className="data-table host-compare">
                  <thead>
                    <tr>
                      <th scope="col">Access</th>
                      <th scope="col">A</th>
                      <th scope="col">B</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.step} data-differs={row.differs ? 'yes' : 'no'}>
                        <td className="mono">
                          <span aria-hidden="true">{row.differs ? '≠ ' : '= '}</span>
                          <span className="visually-hidden">{row.differs ? 'differs: ' : 'same: '}</span>
                          <GridLink range={row.a.range} bit={row.a.bit} index={row.a.index}>
                            {accessTitle(row.a.op, row.a.index, row.a.host, doc.saved[row.step]?.value)}
                          </GridLink>
                        </td>
                        {[row.a, row.b].map((r, i) => {
                          const o = outcomeOf(r.access);
                          return (
                            <td key={i === 0 ? 'a' : 'b'}>
                              <span className={`badge outcome outcome-${o.kind}`}>{o.badge}</span>{' '}
                              <DecisionTag decision={r.decision} />
                              {row.why ? <div className="muted">{i === 0 ? row.why.a : row.why.b}</div> : null}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            </>
          )}
        </>
      )}
    </>
  );
}
