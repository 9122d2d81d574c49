import { useMemo } from 'react';
import { getProfile, policyCost, rewritePolicy } from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { useAppStore } from '../state/context';

/** Pack's rewrite of the current policy into the smallest equivalent one, offered only once proven equal. */
export function OptimizeSection() {
  const policy = useAppStore((s) => s.doc.policy);
  const profile = useAppStore((s) => s.doc.profile);
  const r = useMemo(() => rewritePolicy(policy, getProfile(profile)), [policy, profile]);
  const before = policyCost(policy);
  const smaller = r.provenEqual && (r.after.ranges < before.ranges || r.after.kernelBytes < before.kernelBytes);
  return (
    <section className="tools-section" aria-labelledby="optimize-heading">
      <h3 id="optimize-heading">Optimize</h3>
      <p>
        Now: {before.ranges} range{before.ranges === 1 ? '' : 's'}, {before.kernelBytes} bitmap bytes the kernel copies.{' '}
        {smaller ? (
          <strong>
            An equivalent policy needs {r.after.ranges} range{r.after.ranges === 1 ? '' : 's'} and {r.after.kernelBytes}{' '}
            bytes (proven equal over all 2^32 MSRs, reads and writes).
          </strong>
        ) : (
          <span className="muted">{r.notes.length ? r.notes.join(' ') : 'No equivalent policy is smaller.'}</span>
        )}
      </p>
      <ActionButton action="tools.optimize">Optimize</ActionButton>
    </section>
  );
}
