import './explain.css';
import { countAllowed, getProfile } from '../../core/index';
import { useAppStore } from '../state/context';
import { effectiveOf } from '../state/effective';
import { countText } from './describe';
import { IntervalTable } from './IntervalTable';

const SPACE = 2 ** 32;

/** The effective policy: the whole 32-bit MSR space, per access type, as intervals with the range that decides. */
export function ExplainPanel() {
  const policy = useAppStore((s) => s.doc.policy);
  const profileId = useAppStore((s) => s.doc.profile);
  const view = effectiveOf(policy, profileId);
  const label = getProfile(profileId).label;
  if (view.error) {
    return (
      <div className="explain">
        <p className="form-error">
          {label} refuses this policy ({view.error.errno}: {view.error.message}), so nothing would be installed and
          there is no effective policy to show.
        </p>
      </div>
    );
  }
  return (
    <div className="explain">
      <p>
        Under {label}, reads: {countText(countAllowed(view.read))} of {countText(SPACE)} MSRs allowed; writes:{' '}
        {countText(countAllowed(view.write))} allowed. Host accesses (KVM_GET/SET_MSRS) are never filtered.
      </p>
      <div className="explain-tables">
        <IntervalTable caption="RDMSR (read)" intervals={view.read} />
        <IntervalTable caption="WRMSR (write)" intervals={view.write} />
      </div>
    </div>
  );
}
