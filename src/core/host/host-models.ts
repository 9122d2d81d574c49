import type { ProfileId } from '../profiles/types';
import type { MsrDefinition } from '../vcpu/catalogue-types';
import type { CpuFeature } from '../vcpu/models';
import { SVM_61_CPUID, SVM_61_ENTRIES, SVM_61_REFUSED } from './svm-61';
import { VMX_FASTPATH_WRITES, VMX_SOURCE_CPUID, VMX_SOURCE_ENTRIES } from './vmx-source';

/** The KVM backend module that serves /dev/kvm: kvm_intel (VMX), kvm_amd (SVM) or kvm_pvm (PVM). */
export type KvmBackend = 'vmx' | 'svm' | 'pvm';
export type CpuVendor = 'intel' | 'amd';
export type HostModelId = 'pvm-amd' | 'pvm-intel' | 'svm' | 'vmx' | 'pvm-amd-la57' | 'pvm-intel-48';

/**
 * A host as KVM's MSR emulation sees it. The catalogue (vcpu/catalogue.ts) states the rules common to every host;
 * a host model states only what differs, as data.
 */
export interface HostModel {
  id: HostModelId;
  label: string;
  backend: KvmBackend;
  vendor: CpuVendor;
  /** max_host_virt_addr_bits(): 57 with LA57, else 48. KVM's canonical checks and SYSENTER canonicalisation use it. */
  virtAddrBits: 48 | 57;
  /**
   * IA32_ARCH_CAPABILITIES as the host offers it to a vCPU whose CPUID is set from the host's (linux64); null: the
   * host has none (the guest's CPUID lacks ARCH_CAPABILITIES, the host may write only 0).
   */
  archCapabilities: bigint | null;
  /** The host may read IA32_FEATURE_CONTROL (0) and write 0 (Intel hosts); elsewhere every host access fails. */
  hostFeatureControl: boolean;
  /** The backend validates IA32_PAT's memory types (kvm_pat_valid) and #GPs a bad value; PVM stores any value. */
  patChecked: boolean;
  /**
   * How we know: measured (where, on what), read from the kernel source, or derived from a measured model by a
   * host fact the source names (neither is measured here).
   */
  provenance: { kind: 'measured' | 'source' | 'derived'; text: string };
  /**
   * The profile of the kernel it was measured on (or read from). Under another profile the filter and exit rules are
   * that profile's while the MSR handling stays this host's: a combination no single kernel is known to have.
   */
  knownWith: ProfileId;
  /** What a vCPU whose CPUID is set from the host's (linux64) gets on this host instead of the model's own. */
  hostCpuid?: HostCpuid;
  /** Index windows (inclusive) that this host's KVM routes to code refusing every index the catalogue lacks. */
  refusedWindows?: readonly { range: readonly [number, number]; why: string }[];
  /** Catalogue entries this host treats differently: only the differing fields (a whole entry for an MSR the common catalogue lacks). */
  entries?: ReadonlyMap<number, HostEntry>;
  /**
   * Guest WRMSRs that this backend completes in its VM-exit fastpath, before kvm_msr_allowed() is called: the filter
   * never sees them (index to the cause, with the source).
   */
  fastpathWrites?: ReadonlyMap<number, string>;
}

export interface HostCpuid {
  add?: readonly CpuFeature[];
  remove?: readonly CpuFeature[];
  /** CPUID 0x80000008 EAX[7:0] as the host supports it. */
  maxPhysAddr?: number;
}

/** One MSR as this host's KVM handles it: the fields that differ from the common rule, and why. */
export interface HostEntry extends Partial<Omit<MsrDefinition, 'index'>> {
  /** Backend (vendor module) or kernel version, with the source where it was looked up; always measured. */
  cause: string;
}

const MEASURED_AND_SOURCE = {
  'pvm-amd': {
    id: 'pvm-amd',
    knownWith: 'linux-6.12',
    label: 'PVM on AMD (kvm_pvm, 48-bit)',
    backend: 'pvm',
    vendor: 'amd',
    virtAddrBits: 48,
    archCapabilities: null,
    hostFeatureControl: false,
    patChecked: false,
    provenance: {
      kind: 'measured',
      text: 'measured: Linux 6.18.44 with kvm_pvm on AMD EPYC (oracle/survey/*.json)',
    },
  },
  'pvm-intel': {
    id: 'pvm-intel',
    knownWith: 'linux-6.12',
    label: 'PVM on Intel (kvm_pvm, LA57)',
    backend: 'pvm',
    vendor: 'intel',
    virtAddrBits: 57,
    archCapabilities: 0xc00e16dn,
    hostFeatureControl: true,
    patChecked: false,
    provenance: {
      kind: 'measured',
      text: 'measured: Linux 6.18.44 with kvm_pvm on Intel Xeon (Sapphire Rapids class), LA57 (oracle/survey/pvm-intel-6.18)',
    },
  },
  svm: {
    id: 'svm',
    knownWith: 'linux-5.19',
    label: 'kvm_amd (SVM), Linux 6.1',
    backend: 'svm',
    vendor: 'amd',
    virtAddrBits: 48,
    archCapabilities: null,
    hostFeatureControl: true,
    patChecked: true,
    provenance: {
      kind: 'measured',
      text:
        "measured: kvm_amd on Debian 12's Linux 6.1 under QEMU TCG (-cpu EPYC,+svm), the full survey, read sweep " +
        'and write probe (oracle/survey/svm-6.1), with the linux-5.19 profile; guest writes that the CPU runs ' +
        "without KVM (checks.json passthrough) are QEMU's, not compared",
    },
    hostCpuid: SVM_61_CPUID,
    refusedWindows: SVM_61_REFUSED,
    entries: SVM_61_ENTRIES,
  },
  vmx: {
    id: 'vmx',
    knownWith: 'linux-6.12',
    label: 'kvm_intel (VMX) — from source, not measured here',
    backend: 'vmx',
    vendor: 'intel',
    virtAddrBits: 48,
    archCapabilities: null,
    hostFeatureControl: true,
    patChecked: true,
    provenance: {
      kind: 'source',
      text:
        'from the kernel source, not measured here (kvm_intel cannot be reached on this machine kind): ' +
        'arch/x86/kvm/vmx/vmx.c vmx_get_msr/vmx_set_msr and arch/x86/kvm/x86.c kvm_get_msr_common/' +
        'kvm_set_msr_common of a 6.18-era KVM tree (kvm-x86/linux; each rule cited in src/core/host/vmx-source.ts)',
    },
    hostCpuid: VMX_SOURCE_CPUID,
    entries: VMX_SOURCE_ENTRIES,
    fastpathWrites: VMX_FASTPATH_WRITES,
  },
} as const satisfies Record<string, HostModel>;

/**
 * The other virtual-address width of a measured PVM host: the same rules with max_host_virt_addr_bits() of a host
 * with (57) or without (48) LA57, which is what KVM's canonical checks read (x86.h is_noncanonical_address()).
 * `msrfilter host` picks one of these on a PVM machine whose width differs from the measured one.
 */
function otherWidth(base: HostModel, id: HostModelId, label: string): HostModel {
  const bits = base.virtAddrBits === 57 ? 48 : 57;
  return {
    ...base,
    id,
    label,
    virtAddrBits: bits,
    provenance: {
      kind: 'derived',
      text:
        `derived, not measured: the measured ${base.id} model with the ${bits}-bit canonical checks of a host ` +
        `${bits === 57 ? 'with' : 'without'} LA57 (max_host_virt_addr_bits() in arch/x86/kvm/x86.h)`,
    },
  };
}

export const HOST_MODELS: Readonly<Record<HostModelId, HostModel>> = {
  ...MEASURED_AND_SOURCE,
  'pvm-amd-la57': otherWidth(MEASURED_AND_SOURCE['pvm-amd'], 'pvm-amd-la57', 'PVM on AMD with LA57 (57-bit, derived)'),
  'pvm-intel-48': otherWidth(
    MEASURED_AND_SOURCE['pvm-intel'],
    'pvm-intel-48',
    'PVM on Intel without LA57 (48-bit, derived)',
  ),
};

/** One word for how a host model is known, as the UI shows it beside its name. */
export const PROVENANCE_WORD = { measured: 'measured', source: 'from source', derived: 'derived' } as const;

export const HOST_MODEL_IDS = Object.keys(HOST_MODELS) as HostModelId[];

/**
 * The host a document that names none is simulated on: `pvm-amd`, the host every earlier link, scenario and result
 * was computed and calibrated on, so old documents keep their verdicts.
 */
export const DEFAULT_HOST_MODEL: HostModelId = 'pvm-amd';

export function isHostModelId(v: unknown): v is HostModelId {
  return typeof v === 'string' && Object.hasOwn(HOST_MODELS, v);
}

export function getHostModel(id: HostModelId): HostModel {
  return HOST_MODELS[id];
}

type Override = Partial<Omit<MsrDefinition, 'index'>>;

/**
 * The catalogue entries this host changes, for a vCPU whose CPUID is (`hostCpuid`) or is not taken from the host's.
 * Only the differing fields are given; the rest of each entry is the common rule.
 */
export function hostOverrides(host: HostModel, hostCpuid: boolean): ReadonlyMap<number, Override> {
  const out = new Map<number, Override>();
  if (host.hostFeatureControl) {
    out.set(0x3a, {
      meaning: 'lock and VMX enables (Intel host: the host reads 0 and may write only 0; unknown to the guest)',
      hostRead: { do: { kind: 'constant', value: 0n } },
      hostWrite: {
        values: [{ zeroOnly: true, why: 'the host may only write 0 to it' }],
        do: { kind: 'ignore', why: '' },
      },
    });
  }
  if (host.archCapabilities !== null && hostCpuid) {
    out.set(0x10a, {
      reset: host.archCapabilities,
      hostWrite: { do: { kind: 'store' } },
    });
  }
  if (host.patChecked) {
    out.set(0x277, {
      meaning: 'page attribute table (memory types checked: kvm_pat_valid)',
      write: { values: [{ check: 'pat' }], do: { kind: 'store' } },
      hostWrite: { values: [{ check: 'pat' }], do: { kind: 'store' } },
    });
  }
  for (const [index, { cause: _cause, ...entry }] of host.entries ?? [])
    out.set(index, { ...out.get(index), ...entry });
  return out;
}
