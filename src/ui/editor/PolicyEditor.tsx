import { getProfile, KVM_MSR_FILTER_DEFAULT_DENY } from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { validationOf } from '../state/derived';
import { parseU32Text } from '../state/parse';
import { fmtHex } from './format';
import { ParsedField } from './ParsedField';
import { RangeRow } from './RangeRow';
import { ValidationBanner } from './ValidationBanner';
import './editor.css';

/** The policy: default action, filter flags and the ranges in order, validated as the profile's kernel would. */
export function PolicyEditor() {
  const policy = useAppStore((s) => s.doc.policy);
  const profileId = useAppStore((s) => s.doc.profile);
  const run = usePerform();
  const profile = getProfile(profileId);
  const validation = validationOf(policy, profileId);
  const deny = (policy.flags & KVM_MSR_FILTER_DEFAULT_DENY) !== 0;
  const full = policy.ranges.length >= profile.maxRanges;
  return (
    <section className="panel policy-editor" aria-labelledby="policy-heading">
      <div className="section-head">
        <h2 id="policy-heading">Policy</h2>
        <ActionButton action="policy.new">New empty policy</ActionButton>
      </div>
      <ValidationBanner validation={validation} profileLabel={profile.label} />
      <div className="policy-flags">
        <div className="field">
          <label htmlFor="default-action">Default action</label>
          <select
            id="default-action"
            value={deny ? 'deny' : 'allow'}
            disabled={!profile.hasDefaultAction}
            aria-describedby={profile.hasDefaultAction ? undefined : 'default-action-none'}
            onChange={(e) => run('policy.setDefault', { deny: e.target.value === 'deny' })}
          >
            <option value="allow">DEFAULT_ALLOW</option>
            <option value="deny">DEFAULT_DENY</option>
          </select>
          {profile.hasDefaultAction ? null : (
            <p id="default-action-none" className="field-hint">
              {profile.label} has none: with no ranges everything is allowed; once a range exists, an MSR no range
              covers is denied.
            </p>
          )}
        </div>
        <ParsedField
          label="Filter flags"
          className="field-narrow"
          value={policy.flags}
          format={fmtHex}
          parse={(t) => parseU32Text(t, 'a 32-bit flags value')}
          onCommit={(flags) => run('policy.setFlags', { flags })}
        />
      </div>
      {validation.notes.length > 0 ? (
        <ul className="validation-notes" aria-label="Notes on this policy">
          {validation.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <div className="ranges-head">
        <h3 id="ranges-heading">
          Ranges{' '}
          <span className="muted">
            ({policy.ranges.length} of {profile.maxRanges}, the limit of {profile.label})
          </span>
        </h3>
        <ActionButton action="range.add">Add range</ActionButton>
      </div>
      {full ? (
        <p className="muted">
          {profile.maxRanges} ranges is all {profile.label} takes.
        </p>
      ) : null}
      {policy.ranges.length === 0 ? (
        <p className="muted">No ranges: every MSR gets the default action.</p>
      ) : (
        <ol className="ranges" aria-labelledby="ranges-heading">
          {policy.ranges.map((r, i) => (
            <RangeRow
              // biome-ignore lint/suspicious/noArrayIndexKey: a range's identity is its place in the order
              key={i}
              index={i}
              range={r}
              error={validation.error && validation.error.range === i ? validation.error.message : null}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
