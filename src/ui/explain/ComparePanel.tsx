import './explain.css';
import { useMemo } from 'react';
import {
  comparePolicies,
  type EffectiveView,
  getProfile,
  PROFILE_IDS,
  PROFILES,
  type ProfileId,
} from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { usePerform } from '../actions/hooks';
import { PRESETS } from '../presets';
import { useAppStore } from '../state/context';
import { DifferenceTable } from './DifferenceTable';
import { HostCompare } from './HostCompare';

function SideStatus({ name, label, view }: { name: string; label: string; view: EffectiveView }) {
  return (
    <div className="compare-side">
      <dt>{name}</dt>
      <dd>
        {label}
        {view.error ? (
          <span className="form-error">
            {' '}
            — refused ({view.error.errno}): {view.error.message}
          </span>
        ) : null}
      </dd>
    </div>
  );
}

/** A labelled A/B comparison: the current policy against policy B, or the current policy under two profiles. */
export function ComparePanel() {
  const policy = useAppStore((s) => s.doc.policy);
  const profileId = useAppStore((s) => s.doc.profile);
  const compare = useAppStore((s) => s.compare);
  const run = usePerform();
  const setCompare = (patch: Partial<Omit<typeof compare, 'b'>>) => run('compare.configure', { compare: patch });

  const setup = useMemo(() => {
    if (compare.mode === 'profiles') {
      return {
        a: { label: `current policy under ${PROFILES[compare.profileA].label}`, profile: compare.profileA, policy },
        b: { label: `current policy under ${PROFILES[compare.profileB].label}`, profile: compare.profileB, policy },
      };
    }
    const label = PROFILES[profileId].label;
    return {
      a: { label: `current policy (${label})`, profile: profileId, policy },
      b: compare.b ? { label: `${compare.b.label} (${label})`, profile: profileId, policy: compare.b.policy } : null,
    };
  }, [compare, policy, profileId]);

  const result = useMemo(
    () =>
      setup.b && compare.mode !== 'hosts'
        ? comparePolicies(getProfile(setup.a.profile), setup.a.policy, getProfile(setup.b.profile), setup.b.policy)
        : null,
    [setup, compare.mode],
  );

  return (
    <div className="compare">
      <fieldset className="compare-mode">
        <legend>Compare</legend>
        <label>
          <input
            type="radio"
            name="compare-mode"
            checked={compare.mode === 'policies'}
            onChange={() => setCompare({ mode: 'policies' })}
          />
          two policies (current vs B)
        </label>
        <label>
          <input
            type="radio"
            name="compare-mode"
            checked={compare.mode === 'profiles'}
            onChange={() => setCompare({ mode: 'profiles' })}
          />
          one policy under two kernel profiles
        </label>
        <label>
          <input
            type="radio"
            name="compare-mode"
            checked={compare.mode === 'hosts'}
            onChange={() => setCompare({ mode: 'hosts' })}
          />
          the saved accesses on two hosts
        </label>
      </fieldset>
      {compare.mode === 'hosts' ? <HostCompare hostA={compare.hostA} hostB={compare.hostB} /> : null}
      {compare.mode === 'policies' ? (
        <div className="compare-controls">
          <ActionButton action="compare.snapshot">Snapshot current policy as B</ActionButton>
          <div className="field">
            <label htmlFor="compare-preset">Or use a preset as B</label>
            <select
              id="compare-preset"
              value=""
              onChange={(e) => e.target.value && run('compare.preset', { id: e.target.value })}
            >
              <option value="">Choose a preset…</option>
              {PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      {compare.mode === 'profiles' ? (
        <div className="compare-controls">
          {(['profileA', 'profileB'] as const).map((key) => (
            <div className="field" key={key}>
              <label htmlFor={`compare-${key}`}>Profile {key === 'profileA' ? 'A' : 'B'}</label>
              <select
                id={`compare-${key}`}
                value={compare[key]}
                onChange={(e) => setCompare({ [key]: e.target.value as ProfileId })}
              >
                {PROFILE_IDS.map((id) => (
                  <option key={id} value={id}>
                    {PROFILES[id].label}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      ) : null}
      {compare.mode === 'hosts' ? null : setup.b && result ? (
        <>
          <dl className="compare-labels" aria-label="What is compared">
            <SideStatus name="A" label={setup.a.label} view={result.a} />
            <SideStatus name="B" label={setup.b.label} view={result.b} />
          </dl>
          {result.a.error || result.b.error ? (
            <p className="muted">A refused policy installs nothing, so there is nothing to compare.</p>
          ) : result.differences.length === 0 ? (
            <p className="compare-same">
              <span aria-hidden="true">= </span>No differences: A and B decide every MSR the same way.
            </p>
          ) : (
            <DifferenceTable differences={result.differences} />
          )}
        </>
      ) : (
        <p className="muted">Take a snapshot or choose a preset to compare the current policy with.</p>
      )}
    </div>
  );
}
