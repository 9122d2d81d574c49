import { useMemo } from 'react';
import { useAppStore } from '../state/context';
import { documentToCoreScenario } from '../state/document';
import { KvmComparePanel } from './KvmComparePanel';

/**
 * The saved accesses as a scenario (the document's settings and policy, then each access in order), simulated and,
 * on request, run on a real kernel the local server offers (this machine's /dev/kvm, kvm_amd 6.1 under QEMU), side
 * by side.
 */
export function SavedOnKvm() {
  const doc = useAppStore((s) => s.doc);
  const scenario = useMemo(() => documentToCoreScenario(doc), [doc]);
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
      <KvmComparePanel scenario={scenario} />
    </div>
  );
}
