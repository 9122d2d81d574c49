import { useState } from 'react';
import type { PolicyDifference } from '../../core/index';
import { GridLink } from '../layout/GridLink';
import { causeText, countText, spanText } from './describe';
import { ScrollRegion } from './ScrollRegion';
import { Verdict } from './Verdict';

const PAGE = 100;

/** Where A and B decide differently: per access type and interval, each side's verdict and its cause. */
export function DifferenceTable({ differences }: { differences: readonly PolicyDifference[] }) {
  const [limit, setLimit] = useState(PAGE);
  return (
    <ScrollRegion label="Differences between A and B">
      <table className="data-table">
        <caption>
          {differences.length} interval{differences.length === 1 ? '' : 's'} where A and B differ
        </caption>
        <thead>
          <tr>
            <th scope="col">Access</th>
            <th scope="col">MSRs</th>
            <th scope="col">Count</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
        </thead>
        <tbody>
          {differences.slice(0, limit).map((d) => (
            <tr key={`${d.type}-${d.start}`}>
              <td>{d.type === 'read' ? 'RDMSR' : 'WRMSR'}</td>
              <td className="mono">
                <GridLink index={d.start}>{spanText(d.start, d.end)}</GridLink>
              </td>
              <td className="num">{countText(d.end - d.start)}</td>
              <td>
                <Verdict allowed={d.a.allowed} /> <span className="muted">({causeText(d.a)})</span>
              </td>
              <td>
                <Verdict allowed={d.b.allowed} /> <span className="muted">({causeText(d.b)})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {differences.length > limit ? (
        <button type="button" onClick={() => setLimit(limit + PAGE * 10)}>
          Show more ({differences.length - limit} more)
        </button>
      ) : null}
    </ScrollRegion>
  );
}
