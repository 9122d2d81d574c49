import type { Decision } from '../../core/index';

const TEXT: Record<Decision, { label: string; icon: string; title: string }> = {
  allow: { label: 'allow', icon: '✓', title: 'the filter let it through and KVM handled it' },
  eperm: { label: 'EPERM', icon: '⊘', title: 'the filter denied it' },
  gp: {
    label: '#GP',
    icon: '⚠',
    title: 'the filter let it through but KVM refused it (or, for a host access, the ioctl failed)',
  },
};

/** A host access never takes a #GP: the engine's "gp" decision for one is a failed ioctl. */
const HOST_GP = { label: 'ioctl error', icon: '⚠', title: 'KVM refused the host access: the ioctl failed at this MSR' };
const textOf = (decision: Decision, host?: boolean) => (host && decision === 'gp' ? HOST_GP : TEXT[decision]);

/** The filter's and KVM's verdict as a badge: an icon and a word, so colour is never the only cue. */
export function VerdictBadge({ decision, host }: { decision: Decision; host?: boolean }) {
  const t = textOf(decision, host);
  return (
    <span className={`badge badge-${decision}`} title={t.title}>
      <span aria-hidden="true">{t.icon} </span>
      {t.label}
    </span>
  );
}

/**
 * The engine's decision word (what expectations compare: allow, EPERM, #GP) as a small tag beside a result, never as
 * its headline: a denied read the VMM answers still gives the guest a value.
 */
export function DecisionTag({ decision, host }: { decision: Decision; host?: boolean }) {
  const t = textOf(decision, host);
  return (
    <span className={`log-decision decision-${decision}`} title={t.title}>
      decision: {t.label}
    </span>
  );
}

/** A saved access's test outcome. */
export function PassBadge({ pass }: { pass: boolean | null }) {
  if (pass === null) return <span className="badge badge-none">no expectation</span>;
  return (
    <span className={`badge ${pass ? 'badge-pass' : 'badge-fail'}`}>
      <span aria-hidden="true">{pass ? '✓ ' : '✗ '}</span>
      {pass ? 'pass' : 'fail'}
    </span>
  );
}
