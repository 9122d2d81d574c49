/** CPUID features that KVM's MSR emulation looks at. */
export type CpuFeature =
  | 'tsc'
  | 'msr'
  | 'pae'
  | 'mce'
  | 'apic'
  | 'sep'
  | 'mtrr'
  | 'pge'
  | 'mca'
  | 'pat'
  | 'sse3'
  | 'x2apic'
  | 'syscall'
  | 'nx'
  | 'lm'
  | 'rdtscp'
  | 'rdpid'
  | 'xsaves'
  | 'tsc_adjust'
  | 'spec_ctrl'
  | 'arch_capabilities'
  | 'flush_l1d'
  | 'pdcm'
  | 'osvw'
  | 'svm'
  | 'fxsr_opt'
  | 'autoibrs';

export type VcpuModelId = 'bare' | 'linux64';

export interface VcpuModel {
  id: VcpuModelId;
  label: string;
  description: string;
  features: ReadonlySet<CpuFeature>;
  /** KVM_CREATE_IRQCHIP was called: the local APIC is emulated in the kernel. */
  lapicInKernel: boolean;
  longMode: boolean;
  /** CPUID 0x80000008 EAX[7:0]; KVM assumes 36 when the leaf is absent. */
  maxPhysAddr: number;
  /** The IA32_APIC_BASE value at reset. */
  apicBaseReset: bigint;
  /** The guest's CPUID vendor is AMD-compatible (KVM drops TSC_AUX's upper half instead of refusing it). */
  amdCompatible: boolean;
  /** KVM_SET_CPUID2 takes the host's leaves (the measured kernel keeps leaves 0x1/0x7/0xd from the host). */
  cpuidFromHost: boolean;
  /** The host's virtual-address width for canonical checks (set by host/effective-model.ts onHost). */
  virtAddrBits: number;
  /** The host this model runs on and the catalogue entries it changes (set by onHost). */
  host?: import('../host/host-models').HostModel;
  definitions?: ReadonlyMap<number, import('./catalogue-types').MsrDefinition>;
}

const BARE: VcpuModel = {
  id: 'bare',
  label: 'bare (KVM_CREATE_VCPU, nothing configured)',
  description:
    'What KVM_CREATE_VCPU gives with nothing else set up: no KVM_SET_CPUID2 (every CPUID feature absent), no ' +
    'in-kernel irqchip, real mode with CS base 0.',
  features: new Set(),
  lapicInKernel: false,
  longMode: false,
  maxPhysAddr: 36,
  apicBaseReset: 0xfee00900n,
  amdCompatible: false,
  cpuidFromHost: false,
  virtAddrBits: 48,
};

const LINUX64: VcpuModel = {
  id: 'linux64',
  label: 'linux64 (64-bit guest, in-kernel LAPIC)',
  description:
    'A 64-bit guest as a Linux kernel runs: long mode with paging (EFER 0xd01), an in-kernel local APIC (xAPIC mode ' +
    'at reset, base 0xfee00900), and the CPUID the oracle sets (oracle/README.md): FPU TSC MSR PAE MCE CX8 APIC SEP ' +
    'MTRR PGE MCA CMOV PAT CLFSH MMX FXSR SSE SSE2, x2APIC, SYSCALL NX LM LAHF, 48-bit physical addresses. ' +
    "The vendor and the canonical width follow the host. The measured kernel keeps the host's own leaves 0x1/0x7/0xd, which adds TSC_ADJUST; RDTSCP, " +
    'XSAVES, PDCM and ARCH_CAPABILITIES are absent.',
  features: new Set<CpuFeature>([
    'tsc',
    'msr',
    'pae',
    'mce',
    'apic',
    'sep',
    'mtrr',
    'pge',
    'mca',
    'pat',
    'sse3',
    'x2apic',
    'syscall',
    'nx',
    'lm',
    'tsc_adjust',
  ]),
  lapicInKernel: true,
  longMode: true,
  maxPhysAddr: 48,
  apicBaseReset: 0xfee00900n,
  amdCompatible: true,
  cpuidFromHost: true,
  virtAddrBits: 48,
};

export const VCPU_MODELS: Readonly<Record<VcpuModelId, VcpuModel>> = { bare: BARE, linux64: LINUX64 };
export const VCPU_MODEL_IDS = Object.keys(VCPU_MODELS) as VcpuModelId[];

export function isVcpuModelId(v: unknown): v is VcpuModelId {
  return typeof v === 'string' && Object.hasOwn(VCPU_MODELS, v);
}

export function getVcpuModel(id: VcpuModelId): VcpuModel {
  return VCPU_MODELS[id];
}
