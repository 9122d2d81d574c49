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
  PROFILE_IDS,
  PROFILES,
  VCPU_MODEL_IDS,
  VCPU_MODELS,
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

/** A labelled choice among known ids, with the chosen one's description under it. */
function ChoiceField<T extends string>(props: {
  id: string;
  label: string;
  value: T;
  choices: [T, string][];
  onChange: (v: T) => void;
  hint: string;
  hintClass?: string;
}) {
  const hintId = `${props.id}-summary`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        aria-describedby={hintId}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.choices.map(([id, label]) => (
          <option key={id} value={id}>
            {label}
          </option>
        ))}
      </select>
      <p id={hintId} className={`field-hint${props.hintClass ? ` ${props.hintClass}` : ''}`}>
        {props.hint}
      </p>
    </div>
  );
}

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
      <ChoiceField
        id="vm-profile"
        label="Kernel profile"
        value={profileId}
        choices={PROFILE_IDS.map((id) => [id, PROFILES[id].label])}
        onChange={(profile) => run('settings.profile', { profile })}
        hint={profile.summary}
      />
      <ChoiceField
        id="vm-vcpu"
        label="vCPU model"
        value={vcpu}
        choices={VCPU_MODEL_IDS.map((id) => [id, VCPU_MODELS[id].label])}
        onChange={(id) => run('settings.vcpu', { vcpu: id })}
        hint={model.description}
      />
      <ChoiceField
        id="vm-host"
        label="Host model"
        value={hostId}
        choices={HOST_MODEL_IDS.map((id) => [id, HOST_MODELS[id].label])}
        onChange={(hostModel) => run('settings.host', { hostModel })}
        hint={
          `${host.provenance.kind !== 'source' ? '' : 'Not measured on a real kernel of this kind: '}${host.provenance.text}` +
          (host.knownWith === profileId
            ? ''
            : `. Known with ${getProfile(host.knownWith).label}: under ${profile.label} the filter and exit rules are ` +
              "that profile's, the MSR handling this host's.")
        }
        hintClass={`host-provenance host-${host.provenance.kind}`}
      />
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
