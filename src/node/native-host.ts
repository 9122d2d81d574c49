import { existsSync, readFileSync } from 'node:fs';
import { getHostModel, type HostModelId, type KvmBackend } from '../core/host/host-models';

/** What this machine's /dev/kvm is, and the host model that matches it; shared by the CLI and the oracle. */
export interface NativeHost {
  id: HostModelId | null;
  backend: KvmBackend | null;
  vendor: string;
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

export function detectNativeHost(root = '/'): NativeHost {
  const cpuinfo = read(`${root}proc/cpuinfo`);
  const vendorId = /^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const vendor = vendorId === 'AuthenticAMD' ? 'amd' : vendorId === 'GenuineIntel' ? 'intel' : vendorId;
  const flags = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1].split(/\s+/) ?? [];
  const la57 = flags.includes('la57');
  const hit = MODULES.find(([m]) => existsSync(`${root}sys/module/${m}`));
  const backend = hit?.[1] ?? null;
  const evidence = `module ${hit?.[0] ?? 'none'}, CPU vendor ${vendorId}, LA57 ${la57 ? 'on' : 'off'}`;
  if (!existsSync(`${root}dev/kvm`)) return { id: null, backend, vendor, la57, why: `no /dev/kvm (${evidence})` };
  if (!backend) return { id: null, backend, vendor, la57, why: `no KVM backend module loaded (${evidence})` };
  if (vendor !== 'amd' && vendor !== 'intel')
    return { id: null, backend, vendor, la57, why: `unknown CPU vendor (${evidence})` };
  const id: HostModelId = backend === 'pvm' ? (vendor === 'amd' ? 'pvm-amd' : 'pvm-intel') : backend;
  const width = getHostModel(id).virtAddrBits;
  const note =
    (width === 57) === la57
      ? ''
      : `; note: the model assumes a ${width}-bit virtual address width, this host has ${la57 ? 57 : 48}`;
  return { id, backend, vendor, la57, why: `${evidence}${note}` };
}

/** The native host model's id, or the default when this machine has none (the real kernel ignores the field). */
export function nativeHostIdOr(fallback: HostModelId): HostModelId {
  return detectNativeHost().id ?? fallback;
}
