import { useMemo } from 'react';
import { getProfile, LINT_RULES, type LintFinding, lintPolicy } from '../../core/index';
import { GridLink } from '../layout/GridLink';
import { useAppStore } from '../state/context';

const ICON: Record<LintFinding['severity'], string> = { error: '✗', warning: '⚠', info: 'i' };

/** The linter's findings on the current policy and settings, each linking to the range and bit it names. */
export function LintSection() {
  const policy = useAppStore((s) => s.doc.policy);
  const profile = useAppStore((s) => s.doc.profile);
  const exits = useAppStore((s) => s.doc.exits);
  const findings = useMemo(() => lintPolicy(policy, getProfile(profile), { exits }), [policy, profile, exits]);
  return (
    <section className="tools-section" aria-labelledby="lint-heading">
      <h3 id="lint-heading">
        Lint{' '}
        <span className="muted">
          ({findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`})
        </span>
      </h3>
      {findings.length === 0 ? (
        <p className="compare-same">
          No findings: none of the {Object.keys(LINT_RULES).length} rules applies to this policy.
        </p>
      ) : (
        <ul className="lint-findings" aria-label="Lint findings">
          {findings.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: findings have no identity beyond their order
            <li key={i} className={`lint-finding lint-${f.severity}`}>
              <span className={`badge lint-badge lint-badge-${f.severity}`}>
                <span aria-hidden="true">{ICON[f.severity]} </span>
                {f.severity}
              </span>{' '}
              <code className="lint-rule" title={LINT_RULES[f.rule].summary}>
                {f.rule}
              </code>{' '}
              {f.range !== null ? (
                <GridLink range={f.range} bit={f.bit ?? 0}>
                  {f.message}
                </GridLink>
              ) : (
                f.message
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
