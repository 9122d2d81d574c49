import { useCallback, useMemo } from 'react';
import type { HostModelId } from '../../core/index';
import { runScenario } from '../../core/scenario/run-scenario';
import { useAppStore } from '../state/context';
import { documentToCoreScenario } from '../state/document';
import { KvmComparePanel } from './KvmComparePanel';

/**
 * The saved accesses as a scenario (the document's settings and policy, then each access in order), simulated and,
 * on request, run on this machine's /dev/kvm, side by side.
 */
export function SavedOnKvm() {
  const doc = useAppStore((s) => s.doc);
  const scenario = useMemo(() => documentToCoreScenario(doc), [doc]);
  const simulate = useCallback(
    (hostModel?: HostModelId) => runScenario(hostModel ? { ...scenario, hostModel } : scenario, false).steps,
    [scenario],
  );
  return (
    <div className="saved-on-kvm">
      {doc.saved.length === 0 ? (
        <p className="muted">
          There are no saved accesses to run: save some from the guest console, or load a preset. The policy and the VM
          settings are installed either way.
        </p>
      ) : (
        <p className="muted">
          The {doc.saved.length === 1 ? 'saved access runs' : `${doc.saved.length} saved accesses run`} in order on a
          fresh VM with this document's settings and policy.
        </p>
      )}
      <KvmComparePanel scenario={scenario} simulate={simulate} />
    </div>
  );
}
