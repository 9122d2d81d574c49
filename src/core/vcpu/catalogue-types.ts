import type { CpuFeature } from './models';

/**
 * KVM's verdict on one MSR access. `err`: KVM returns 1 (#GP, or an INVAL exit). `unsupported`: the MSR does not
 * exist for this vCPU (KVM_MSR_RET_UNSUPPORTED: #GP, or an UNKNOWN exit). `absent`: a feature-gated MSR whose
 * feature the vCPU lacks: `unsupported` on kernels that split the codes (6.12+), `err` before.
 */
export type FailCode = 'err' | 'unsupported' | 'absent';

/** A condition on the vCPU: a CPUID feature, the in-kernel LAPIC, or the LAPIC's x2APIC mode. */
export type Condition =
  | { feature: CpuFeature }
  | { anyFeature: CpuFeature[] }
  | { lapic: true }
  | { x2apicMode: true }
  /** Never holds: the gate always applies (to the guest, when `guestOnly`). */
  | { never: true }
  /** Every bit of `mask` is set in another MSR's stored value (e.g. FEATURE_CONTROL's LMCE enable). */
  | { msrBits: { index: number; mask: bigint } };

/** Unless the condition holds, the access fails with `code`. */
export interface Gate {
  unless: Condition;
  code: FailCode;
  /** Applies to guest accesses only; host-initiated accesses pass. */
  guestOnly?: boolean;
  why: string;
}

/** Named value checks that need more than a mask; each is a small function in value-checks.ts. */
export type ValueCheckId =
  | 'pat'
  | 'mtrr-def-type'
  | 'mtrr-fixed'
  | 'mtrr-phys-base'
  | 'mtrr-phys-mask'
  | 'apic-base'
  | 'efer'
  | 'misc-enable'
  | 'mcg-ctl'
  | 'mci-ctl'
  | 'mci-status'
  | 'hwcr'
  | 'misc-features'
  | 'tsc-aux'
  | 'tsc-aux-intel'
  | 'feature-control'
  | 'page-gpa'
  | 'hv-vp-index'
  | 'hv-assist-gpa'
  | 'async-pf-en'
  | 'async-pf-gpa'
  | 'pv-eoi-gpa'
  | 'efer-reserved';

export type ValueRule =
  | { reserved: bigint; guestOnly?: boolean; why: string }
  | { canonical: true; guestOnly?: boolean }
  | { check: ValueCheckId; guestOnly?: boolean }
  | { zeroOnly: true; guestOnly?: boolean; why: string }
  /** Only this value may be written. */
  | { equals: bigint; guestOnly?: boolean; why: string }
  | { needs: Condition; unlessZero?: boolean; guestOnly?: boolean; why: string };

export type ReadValue =
  | { kind: 'stored' }
  | { kind: 'constant'; value: bigint }
  /** The TSC: changes on its own between reads. */
  | { kind: 'tsc' }
  | { kind: 'fail'; code: FailCode; why: string };

/**
 * What a successful write does: keep the value, keep a transformed value, drop it, or have a side effect that the
 * simulator models by name.
 */
export type WriteEffect =
  | { kind: 'store' }
  | { kind: 'ignore'; why: string }
  | { kind: 'canonicalize' }
  | { kind: 'low32' }
  | { kind: 'tsc' }
  | { kind: 'tsc-adjust' }
  | { kind: 'efer' }
  /** Keep only the bits of `mask` (registers with read-only or absent bits). */
  | { kind: 'masked'; mask: bigint }
  /** An x2APIC LVT entry: the mask's bits, and the entry forced masked (bit 16) while SVR bit 8 is clear. */
  | { kind: 'lvt'; mask: bigint }
  /** The x2APIC spurious-vector register: clearing bit 8 (software disable) masks every LVT entry. */
  | { kind: 'svr'; mask: bigint }
  | { kind: 'fail'; code: FailCode; why: string };

export interface MsrAccessRule<T> {
  gates?: Gate[];
  do: T;
  values?: ValueRule[];
}

export interface MsrDefinition {
  index: number;
  name: string;
  meaning: string;
  group:
    | 'architectural'
    | 'mtrr'
    | 'mca'
    | 'x2apic'
    | 'kvm-pv'
    | 'hyper-v'
    | 'amd'
    | 'syscall'
    | 'speculation'
    | 'power';
  reset?: bigint;
  read: MsrAccessRule<ReadValue>;
  write: MsrAccessRule<WriteEffect>;
  /** Host-initiated accesses that differ from the guest's (KVM_GET_MSRS / KVM_SET_MSRS). */
  hostRead?: MsrAccessRule<ReadValue>;
  hostWrite?: MsrAccessRule<WriteEffect>;
  /** Another MSR whose state this one shares (KVM keeps one variable for both): reads and writes go there. */
  storage?: number;
  /** The value changes without a write (the TSC); differential tests do not compare it. */
  volatile?: boolean;
  /** VMX or SVM can pass guest accesses through to hardware; a denying filter forces interception. */
  passthrough?: boolean;
}
