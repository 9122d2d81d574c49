import { MSR_CATALOGUE } from '../vcpu/catalogue';
import type { MsrDefinition } from '../vcpu/catalogue-types';
import type { VcpuModel } from '../vcpu/models';
import { type HostModel, hostOverrides } from './host-models';

/**
 * The vCPU model as it runs on `host`: the host's address width, the vendor a host-derived CPUID reports, the
 * features the host leaks into it, and the catalogue with the host's differing entries laid over the common ones.
 */
export function onHost(vcpu: VcpuModel, host: HostModel): VcpuModel {
  const cached = built.get(vcpu)?.get(host);
  if (cached) return cached;
  const model = build(vcpu, host);
  if (!built.has(vcpu)) built.set(vcpu, new WeakMap());
  built.get(vcpu)?.set(host, model);
  return model;
}

/** The models are immutable (a VM's state lives in its VcpuState): each vCPU model is built once per host. */
const built = new WeakMap<VcpuModel, WeakMap<HostModel, VcpuModel>>();

function build(vcpu: VcpuModel, host: HostModel): VcpuModel {
  const features = new Set(vcpu.features);
  if (vcpu.cpuidFromHost && host.archCapabilities !== null) features.add('arch_capabilities');
  const cpuid = vcpu.cpuidFromHost ? host.hostCpuid : undefined;
  for (const f of cpuid?.add ?? []) features.add(f);
  for (const f of cpuid?.remove ?? []) features.delete(f);
  const overrides = hostOverrides(host, vcpu.cpuidFromHost);
  const definitions = new Map<number, MsrDefinition>();
  for (const [index, o] of overrides) {
    const common = MSR_CATALOGUE.get(index);
    if (common) definitions.set(index, { ...common, ...o });
    else if (o.name && o.group && o.meaning && o.read && o.write)
      definitions.set(index, {
        ...o,
        index,
        name: o.name,
        group: o.group,
        meaning: o.meaning,
        read: o.read,
        write: o.write,
      });
  }
  return {
    ...vcpu,
    features,
    maxPhysAddr: cpuid?.maxPhysAddr ?? vcpu.maxPhysAddr,
    host,
    virtAddrBits: host.virtAddrBits,
    // The vendor check of TSC_AUX follows the guest's CPUID vendor, which a host-derived CPUID takes from the host.
    amdCompatible: vcpu.cpuidFromHost ? host.vendor === 'amd' : vcpu.amdCompatible,
    definitions,
  };
}

/** The definition KVM applies to `index` on this model's host: the host's entry, else the common one. */
export function definitionOf(model: VcpuModel, index: number): MsrDefinition | undefined {
  return model.definitions?.get(index) ?? MSR_CATALOGUE.get(index);
}
