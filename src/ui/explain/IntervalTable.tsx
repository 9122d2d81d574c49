import { useState } from 'react';
import type { PolicyInterval } from '../../core/index';
import { GridLink } from '../layout/GridLink';
import { useAppStore } from '../state/context';
import { causeText, countText, spanText } from './describe';
import { ScrollRegion } from './ScrollRegion';
import { Verdict } from './Verdict';

const PAGE = 100;

/** One access type's effective policy: every interval of the MSR space with its verdict and what decided it. */
export function IntervalTable({ caption, intervals }: { caption: string; intervals: readonly PolicyInterval[] }) {
  const [limit, setLimit] = useState(PAGE);
  const ranges = useAppStore((s) => s.doc.policy.ranges);
  const shown = intervals.slice(0, limit);
  return (
    <ScrollRegion label={`${caption}, scrollable`}>
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">MSRs</th>
            <th scope="col">Count</th>
            <th scope="col">Verdict</th>
            <th scope="col">Decided by</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((iv) => (
            <tr key={iv.start}>
              <td className="mono">{spanText(iv.start, iv.end)}</td>
              <td className="num">{countText(iv.end - iv.start)}</td>
              <td>
                <Verdict allowed={iv.allowed} />
              </td>
              <td>
                {iv.cause === 'range' && iv.range !== null && ranges[iv.range] ? (
                  // the interval's first MSR, in the range that decides it
                  <GridLink range={iv.range} bit={((iv.start >>> 0) - (ranges[iv.range].base >>> 0)) >>> 0}>
                    {causeText(iv)}
                  </GridLink>
                ) : (
                  causeText(iv)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {intervals.length > limit ? (
        <button type="button" onClick={() => setLimit(limit + PAGE * 10)}>
          Show more ({countText(intervals.length - limit)} more intervals)
        </button>
      ) : null}
    </ScrollRegion>
  );
}
