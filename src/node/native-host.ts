import { existsSync, readFileSync } from 'node:fs';
import { getHostModel, type HostModelId, type KvmBackend } from '../core/host/host-models';

/** What this machine's /dev/kvm is, and the host model that matches it; shared by the CLI and the oracle. */
export interface NativeHost {
  id: HostModelId | null;
  backend: KvmBackend | null;
  vendor: string;
  /** The CPU supports LA57 (what KVM's canonical checks follow), whether or not the host kernel uses it. */
  la57: boolean;
  /** One line: the evidence, or why there is no match. */
  why: string;
}

const MODULES: [string, KvmBackend][] = [
  ['kvm_pvm', 'pvm'],
  ['kvm_intel', 'vmx'],
  ['kvm_amd', 'svm'],
];

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The measured PVM model of this vendor, or its derived twin of the other width when LA57 differs. */
function pvmModel(vendor: 'amd' | 'intel', la57: boolean): HostModelId {
  if (vendor === 'amd') return la57 ? 'pvm-amd-la57' : 'pvm-amd';
  return la57 ? 'pvm-intel' : 'pvm-intel-48';
}

export function detectNativeHost(root = '/'): NativeHost {
  const cpuinfo = read(`${root}proc/cpuinfo`);
  const vendorId = /^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const vendor = vendorId === 'AuthenticAMD' ? 'amd' : vendorId === 'GenuineIntel' ? 'intel' : vendorId;
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1].split(/\s+/) ?? [];
  // KVM sets LA57 in its caps from the CPU's own CPUID.7:ECX, whether or not the host kernel runs 5-level paging
  // (cpuid.c kvm_set_cpu_caps(): "Set LA57 based on hardware capability"), and its canonical checks read that cap
  // (x86.h max_host_virt_addr_bits()). /proc/cpuinfo's `la57` flag shows only 5-level paging in use, so the width
  // comes from "address sizes" (CPUID 0x80000008, the CPU's own linear-address width). Measured on an Intel PVM host
  // with no `la57` flag and "57 bits virtual": a host write of 1<<47 to LSTAR succeeds.
  const virtBits = Number(/^address sizes\s*:.*?(\d+) bits virtual/m.exec(cpuinfo)?.[1] ?? 0);
  const la57 = virtBits >= 57 || flags.includes('la57');
  const hit = MODULES.find(([m]) => existsSync(`${root}sys/module/${m}`));
  const backend = hit?.[1] ?? null;
  const width = virtBits ? `, ${virtBits} bits virtual` : '';
  const evidence = `module ${hit?.[0] ?? 'none'}, CPU vendor ${vendorId}, LA57 ${la57 ? 'supported' : 'not supported'}${width}`;
  if (!existsSync(`${root}dev/kvm`)) return { id: null, backend, vendor, la57, why: `no /dev/kvm (${evidence})` };
  if (!backend) return { id: null, backend, vendor, la57, why: `no KVM backend module loaded (${evidence})` };
  if (vendor !== 'amd' && vendor !== 'intel')
    return { id: null, backend, vendor, la57, why: `unknown CPU vendor (${evidence})` };
  const id: HostModelId = backend === 'pvm' ? pvmModel(vendor, la57) : backend;
  const modelBits = getHostModel(id).virtAddrBits;
  const note =
    (modelBits === 57) === la57
      ? ''
      : `; note: the model assumes a ${modelBits}-bit virtual address width, this host has ${la57 ? 57 : 48}`;
  return { id, backend, vendor, la57, why: `${evidence}${note}` };
}

/** The native host model's id, or the default when this machine has none (the real kernel ignores the field). */
export function nativeHostIdOr(fallback: HostModelId): HostModelId {
  return detectNativeHost().id ?? fallback;
}
