import './explain.css';
import { useDeferredValue, useState } from 'react';
import { hex32, MSR_LIST } from '../../core/index';
import { usePerform } from '../actions/hooks';
import { ScrollRegion } from './ScrollRegion';

const PAGE = 50;

/** Every MSR the simulated vCPU knows: index, name, meaning; searchable by any of them. */
export function MsrReference() {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const q = useDeferredValue(query.trim().toLowerCase());
  const run = usePerform();
  const rows = MSR_LIST.filter(
    (d) =>
      q === '' ||
      hex32(d.index).includes(q) ||
      `0x${d.index.toString(16)}` === q ||
      d.name.toLowerCase().includes(q) ||
      d.meaning.toLowerCase().includes(q) ||
      d.group.includes(q),
  );
  return (
    <div className="reference">
      <div className="field">
        <label htmlFor="msr-search">Search MSRs</label>
        <input
          id="msr-search"
          type="search"
          value={query}
          placeholder="index, name or meaning"
          onChange={(e) => {
            setQuery(e.target.value);
            setLimit(PAGE);
          }}
        />
      </div>
      <ScrollRegion label="MSR catalogue, scrollable">
        <table className="data-table">
          <caption>
            {rows.length} of {MSR_LIST.length} MSRs{rows.length > limit ? ` (first ${limit} shown)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Index</th>
              <th scope="col">Name</th>
              <th scope="col">Meaning</th>
              <th scope="col">Group</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, limit).map((d) => (
              <tr key={d.index}>
                <td className="mono">{hex32(d.index)}</td>
                <td className="mono">{d.name}</td>
                <td>{d.meaning}</td>
                <td>{d.group}</td>
                <td className="row-buttons">
                  <button
                    type="button"
                    aria-label={`Use ${d.name} in the console`}
                    onClick={() => run('console.use', { index: d.index })}
                  >
                    Use
                  </button>
                  <button
                    type="button"
                    aria-label={`Show ${d.name} on the grid`}
                    onClick={() => run('grid.jump', { index: d.index })}
                  >
                    Show
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {rows.length > limit ? (
        <button type="button" onClick={() => setLimit(limit + PAGE * 4)}>
          Show more ({rows.length - limit} more)
        </button>
      ) : null}
    </div>
  );
}
