import type { HostModelId } from '../host/host-models';
import type { VcpuModelId } from '../vcpu/models';
import { SimulatedVm } from '../vm/vm';

/** A fresh VM on Linux 6.12 with no exits and error replies, on `hostModel` (undefined: the default host). */
export function hostVm(hostModel: HostModelId | undefined, vcpu: VcpuModelId = 'linux64'): SimulatedVm {
  return new SimulatedVm({
    profile: 'linux-6.12',
    vcpu,
    hostModel,
    exits: null,
    ignoreMsrs: false,
    vmm: { read: { error: true }, write: { error: true } },
  });
}
export const hostWrite = (v: SimulatedVm, index: number, value: bigint) =>
  v.access({ type: 'write', index, value, host: true }, false);
export const hostRead = (v: SimulatedVm, index: number) => v.access({ type: 'read', index, host: true }, false);
export const guest = (v: SimulatedVm, type: 'read' | 'write', index: number, value = 0n) =>
  v.access({ type, index, value }, false);
