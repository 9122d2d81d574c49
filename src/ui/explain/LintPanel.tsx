import './explain.css';
import type { ReactNode } from 'react';
import { getProfile, type LintFinding, type LintSeverity, lintPolicy } from '../../core/index';
import { GridLink } from '../layout/GridLink';
import { useAppStore } from '../state/context';

const ICON: Record<LintSeverity, string> = { error: '✗', warning: '⚠', info: 'ℹ' };
/** A range (with its bit) or an MSR index, as a lint message names them. */
const MENTION = /ranges\[(\d+)\](?: bit (\d+))?|\b0x[0-9a-f]{8}\b/g;

/**
 * A finding's message with every range, bit and MSR it names as a link to the grid (an MSR outside every range stays
 * text); a finding about a range that its message does not name gets the link appended.
 */
function FindingText({ f }: { f: LintFinding }) {
  const parts: ReactNode[] = [];
  let at = 0;
  let named = false;
  for (const m of f.message.matchAll(MENTION)) {
    const i = m.index ?? 0;
    parts.push(f.message.slice(at, i));
    if (m[1] !== undefined) {
      const range = Number(m[1]);
      named ||= range === f.range;
      const bit = m[2] !== undefined ? Number(m[2]) : range === f.range ? (f.bit ?? 0) : 0;
      parts.push(
        <GridLink key={i} range={range} bit={bit}>
          {m[0]}
        </GridLink>,
      );
    } else
      parts.push(
        <GridLink key={i} index={Number.parseInt(m[0], 16)}>
          {m[0]}
        </GridLink>,
      );
    at = i + m[0].length;
  }
  parts.push(f.message.slice(at));
  if (f.range !== null && !named)
    parts.push(
      ' (',
      <GridLink key="range" range={f.range} bit={f.bit ?? 0}>
        {f.bit !== null ? `ranges[${f.range}] bit ${f.bit}` : `ranges[${f.range}]`}
      </GridLink>,
      ')',
    );
  return <>{parts}</>;
}

/** `msrfilter lint` in the page: the policy's findings under the document's profile, each range a link to the grid. */
export function LintPanel() {
  const policy = useAppStore((s) => s.doc.policy);
  const profileId = useAppStore((s) => s.doc.profile);
  const exits = useAppStore((s) => s.doc.exits);
  const findings = lintPolicy(policy, getProfile(profileId), { exits });
  if (findings.length === 0)
    return <p className="lint-none">No findings: {getProfile(profileId).label} takes this policy as meant.</p>;
  return (
    <ul className="lint-findings" aria-label={`${findings.length} lint finding${findings.length === 1 ? '' : 's'}`}>
      {findings.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: findings are recomputed whole on every edit
        <li key={i} className={`lint-finding lint-${f.severity}`} data-rule={f.rule}>
          <span className="lint-severity">
            <span aria-hidden="true">{ICON[f.severity]} </span>
            {f.severity}
          </span>{' '}
          <FindingText f={f} />
        </li>
      ))}
    </ul>
  );
}
