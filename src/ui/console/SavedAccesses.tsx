import { memo, useState } from 'react';
import type { Decision } from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { type SavedOutcome, savedRunOf } from '../state/derived';
import { DECISIONS } from '../state/document';
import { useEngine } from '../state/engine';
import { accessTitle, exitText, resultText } from './describe';
import { TraceList } from './TraceList';
import { PassBadge, VerdictBadge } from './VerdictBadge';

/** The decision each choice expects: the filter's and KVM's verdict, not what the VMM then gave the guest. */
const EXPECT_LABEL: Record<Decision, string> = {
  allow: 'allow',
  eperm: 'EPERM (the filter denies)',
  gp: '#GP (KVM refuses)',
};

/**
 * How many saved accesses are drawn at first (and more per click): a document may hold thousands (a link holds up to
 * 10,000), and drawing them all would freeze the page on every edit. All of them run; the count covers all of them.
 */
export const SAVED_PAGE = 50;

/** One saved access: its verdict against the expected one, the path, the trace. */
const SavedRow = memo(function SavedRow({ outcome }: { outcome: SavedOutcome }) {
  const run = usePerform();
  const { access: a, result: r, pass } = outcome;
  const title = accessTitle(a.op, a.index, a.host, a.op === 'wrmsr' ? a.value : undefined);
  return (
    <li className={`saved-row${pass === false ? ' saved-fail' : ''}`}>
      <div className="log-head">
        <PassBadge pass={pass} />
        <span className="log-title">{title}</span>
      </div>
      <div className="saved-line">
        <label title="The filter's and KVM's decision; what the guest then saw (an exit's reply) is on the right">
          Expected decision{' '}
          <select
            aria-label={`Expected verdict for ${title}`}
            value={a.expect ?? ''}
            onChange={(e) => run('saved.setExpect', { id: a.id, expect: (e.target.value || null) as Decision | null })}
          >
            <option value="">(none)</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {a.host && d === 'gp' ? 'ioctl error' : EXPECT_LABEL[d]}
              </option>
            ))}
          </select>
        </label>
        <span>
          decision <VerdictBadge decision={r.decision} host={a.host} />
        </span>
        <span className="muted">
          {exitText(r.access)}; {resultText(r.access)}
        </span>
      </div>
      <div className="saved-buttons">
        <ActionButton action="saved.edit" params={{ id: a.id }} label={`Copy to form: ${title}`}>
          Copy to form
        </ActionButton>
        <ActionButton action="saved.remove" params={{ id: a.id }} label={`Remove ${title}`}>
          Remove
        </ActionButton>
      </div>
      <TraceList trace={r.trace} />
    </li>
  );
});

/** Saved accesses re-run on a fresh VM after every edit, each checked against its expected verdict. */
export function SavedAccesses() {
  const doc = useAppStore((s) => s.doc);
  const [limit, setLimit] = useState(SAVED_PAGE);
  const [failingOnly, setFailingOnly] = useState(false);
  useEngine();
  const saved = savedRunOf(doc);
  if (!saved) {
    return (
      <section className="saved" aria-labelledby="saved-heading" aria-busy="true">
        <div className="section-head">
          <h3 id="saved-heading">Saved accesses</h3>
          <span className="muted" role="status">
            running…
          </span>
        </div>
      </section>
    );
  }
  const total = saved.outcomes.length;
  const list = failingOnly ? saved.outcomes.filter((o) => o.pass === false) : saved.outcomes;
  const shown = list.length > limit ? list.slice(0, limit) : list;
  const hidden = list.length - shown.length;
  const filterErr = saved.setup.filter?.errno ? saved.setup.filter : null;
  const exitsErr = saved.setup.exits?.errno ? saved.setup.exits : null;
  return (
    <section className="saved" aria-labelledby="saved-heading">
      <div className="section-head">
        <h3 id="saved-heading">Saved accesses</h3>
        <span className="muted" role="status">
          {saved.outcomes.length === 0
            ? 'none'
            : `${saved.passed} passed, ${saved.failed} failed of ${saved.outcomes.length}`}
        </span>
      </div>
      {filterErr ? (
        <p className="form-error">
          The filter was refused ({filterErr.errno}) before these ran: {filterErr.message}
        </p>
      ) : null}
      {exitsErr ? (
        <p className="form-error">
          Enabling the exit reasons failed ({exitsErr.errno}): {exitsErr.message}
        </p>
      ) : null}
      {saved.outcomes.length === 0 ? (
        <p className="muted">Save an access from the form to re-run it on every edit, like a unit test.</p>
      ) : (
        <>
          <ol className="saved-list">
            {shown.map((o) => (
              <SavedRow key={o.access.id} outcome={o} />
            ))}
          </ol>
          {hidden > 0 || failingOnly ? (
            <p className="saved-more">
              <span className="muted">
                Showing {shown.length} of {failingOnly ? `${saved.failed} failing` : total}.
              </span>{' '}
              {hidden > 0 ? (
                <button type="button" onClick={() => setLimit(limit + SAVED_PAGE * 4)}>
                  Show {Math.min(hidden, SAVED_PAGE * 4)} more
                </button>
              ) : null}{' '}
              {saved.failed > 0 || failingOnly ? (
                <button type="button" aria-pressed={failingOnly} onClick={() => setFailingOnly(!failingOnly)}>
                  {failingOnly ? 'Show all' : 'Show only the failing'}
                </button>
              ) : null}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
