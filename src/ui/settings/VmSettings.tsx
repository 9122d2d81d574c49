import {
  DEFAULT_HOST_MODEL,
  EXIT_REASON_BIT,
  EXIT_REASONS,
  type ExitReason,
  getHostModel,
  getProfile,
  getVcpuModel,
  HOST_MODEL_IDS,
  HOST_MODELS,
  type HostModelId,
  PROFILE_IDS,
  PROFILES,
  type ProfileId,
  VCPU_MODEL_IDS,
  VCPU_MODELS,
  type VcpuModelId,
} from '../../core/index';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { VmmReplyField } from './VmmReplyField';
import './settings.css';

const EXIT_LABEL: Record<ExitReason, string> = {
  inval: 'INVAL (KVM refuses the access)',
  unknown: 'UNKNOWN (KVM does not know the MSR)',
  filter: 'FILTER (the filter denied it)',
};

/** The VM the policy runs in: kernel profile, vCPU model, user-space exits, ignore_msrs, the VMM's answers. */
export function VmSettings() {
  const profileId = useAppStore((s) => s.doc.profile);
  const vcpu = useAppStore((s) => s.doc.vcpu);
  const hostId = useAppStore((s) => s.doc.hostModel ?? DEFAULT_HOST_MODEL);
  const exits = useAppStore((s) => s.doc.exits);
  const ignoreMsrs = useAppStore((s) => s.doc.ignoreMsrs);
  const vmm = useAppStore((s) => s.doc.vmm);
  const run = usePerform();
  const profile = getProfile(profileId);
  const model = getVcpuModel(vcpu);
  const host = getHostModel(hostId);
  const mask = exits ?? 0n;
  const otherBits = mask & ~7n;
  return (
    <section className="panel settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">VM settings</h2>
      <div className="field">
        <label htmlFor="vm-profile">Kernel profile</label>
        <select
          id="vm-profile"
          value={profileId}
          aria-describedby="vm-profile-summary"
          onChange={(e) => run('settings.profile', { profile: e.target.value as ProfileId })}
        >
          {PROFILE_IDS.map((id) => (
            <option key={id} value={id}>
              {PROFILES[id].label}
            </option>
          ))}
        </select>
        <p id="vm-profile-summary" className="field-hint">
          {profile.summary}
        </p>
      </div>
      <div className="field">
        <label htmlFor="vm-vcpu">vCPU model</label>
        <select
          id="vm-vcpu"
          value={vcpu}
          aria-describedby="vm-vcpu-summary"
          onChange={(e) => run('settings.vcpu', { vcpu: e.target.value as VcpuModelId })}
        >
          {VCPU_MODEL_IDS.map((id) => (
            <option key={id} value={id}>
              {VCPU_MODELS[id].label}
            </option>
          ))}
        </select>
        <p id="vm-vcpu-summary" className="field-hint">
          {model.description}
        </p>
      </div>
      <div className="field">
        <label htmlFor="vm-host">Host model</label>
        <select
          id="vm-host"
          value={hostId}
          aria-describedby="vm-host-summary"
          onChange={(e) => run('settings.host', { hostModel: e.target.value as HostModelId })}
        >
          {HOST_MODEL_IDS.map((id) => (
            <option key={id} value={id}>
              {HOST_MODELS[id].label}
            </option>
          ))}
        </select>
        <p id="vm-host-summary" className={`field-hint host-provenance host-${host.provenance.kind}`}>
          {host.provenance.kind === 'measured' ? '' : 'Not measured on a real kernel of this kind: '}
          {host.provenance.text}
        </p>
      </div>
      <fieldset>
        <legend>User-space exits (KVM_CAP_X86_USER_SPACE_MSR)</legend>
        {EXIT_REASONS.map((reason) => (
          <label key={reason} className="check">
            <input
              type="checkbox"
              checked={(mask & BigInt(EXIT_REASON_BIT[reason])) !== 0n}
              onChange={(e) => run('settings.exit', { reason, on: e.target.checked })}
            />
            {EXIT_LABEL[reason]}
          </label>
        ))}
        <p className="field-hint">
          {exits === null
            ? 'Capability not enabled: every refused access is a #GP in the guest.'
            : `Mask 0x${mask.toString(16)}${otherBits ? ` (bits 0x${otherBits.toString(16)} are not exit reasons)` : ''}.`}
        </p>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={ignoreMsrs}
          onChange={(e) => run('settings.ignoreMsrs', { on: e.target.checked })}
        />
        kvm.ignore_msrs (unknown MSRs read 0 and drop writes)
      </label>
      <fieldset>
        <legend>How the VMM answers exits</legend>
        <VmmReplyField type="read" reply={vmm.read} />
        <VmmReplyField type="write" reply={vmm.write} />
      </fieldset>
    </section>
  );
}
