import type { HostModelId } from '../host/host-models';
import type { FilterPolicy } from '../policy/types';
import type { ProfileId } from '../profiles/types';
import type { VcpuModelId } from '../vcpu/models';

/** How the VMM answers a user-space MSR exit: error=1 (the guest gets #GP) or data (a read returns it). */
export type VmmReply = { error: true } | { error: false; data: bigint };

export type Step =
  | { op: 'rdmsr'; index: number; host: boolean; reply?: VmmReply }
  | { op: 'wrmsr'; index: number; value: bigint; host: boolean; reply?: VmmReply }
  | { op: 'set-filter'; filter: FilterPolicy | null }
  | { op: 'set-exits'; exits: bigint };

export interface VmConfig {
  profile: ProfileId;
  vcpu: VcpuModelId;
  /** The host the VM runs on (absent: DEFAULT_HOST_MODEL). */
  hostModel?: HostModelId;
  /** The KVM_CAP_X86_USER_SPACE_MSR reason mask; null: the capability is never enabled. */
  exits: bigint | null;
  ignoreMsrs: boolean;
  vmm: { read: VmmReply; write: VmmReply };
}

/** `msr-scenario/1`: a VM configuration, a filter installed before the first step, and the steps. */
export interface Scenario extends VmConfig {
  name?: string;
  filter: FilterPolicy | null;
  steps: Step[];
}
