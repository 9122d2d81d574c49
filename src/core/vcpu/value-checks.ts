import type { ValueCheckId } from './catalogue-types';
import type { VcpuModel } from './models';
import type { VcpuState } from './state';

/** A value check: null when KVM accepts the value, else the reason it returns 1 (#GP). */
type Check = (value: bigint, model: VcpuModel, state: VcpuState, index: number, host: boolean) => string | null;

const VALID_MEMTYPES = new Set([0n, 1n, 4n, 5n, 6n]);

/**
 * The guest memory both vCPU models run with (the oracle's VM: one 2 MiB slot at GPA 0). KVM validates some PV
 * structures' guest-physical addresses with kvm_gfn_to_hva_cache_init(), which fails (-EFAULT) outside every memslot.
 */
export const GUEST_MEMORY_BYTES = 0x20_0000n;
const inGuestMemory = (gpa: bigint, len: bigint) => gpa + len <= GUEST_MEMORY_BYTES;
const ASYNC_PF_ENABLED_AS_INT = 0x9n; // KVM_ASYNC_PF_ENABLED | KVM_ASYNC_PF_DELIVERY_AS_INT

function physReserved(model: VcpuModel): bigint {
  return ~((1n << BigInt(model.maxPhysAddr)) - 1n) & 0xffff_ffff_ffff_ffffn;
}

export const APIC_BASE_EXTD = 1n << 10n;
export const APIC_BASE_EN = 1n << 11n;

function apicMode(v: bigint): 'disabled' | 'xapic' | 'x2apic' | 'invalid' {
  const en = (v & APIC_BASE_EN) !== 0n;
  const extd = (v & APIC_BASE_EXTD) !== 0n;
  if (!en) return extd ? 'invalid' : 'disabled';
  return extd ? 'x2apic' : 'xapic';
}

export const EFER_SCE = 1n;
export const EFER_LME = 1n << 8n;
export const EFER_LMA = 1n << 10n;
export const EFER_NX = 1n << 11n;
export const EFER_SVME = 1n << 12n;
export const EFER_FFXSR = 1n << 14n;
export const EFER_AUTOIBRS = 1n << 21n;

const CHECKS: Record<ValueCheckId, Check> = {
  pat: (v) => {
    for (let i = 0n; i < 64n; i += 8n) {
      const t = (v >> i) & 0xffn;
      if (t > 7n || t === 2n || t === 3n) return `byte ${i / 8n} is ${t}: PAT types are 0, 1, 4, 5, 6 or 7`;
    }
    return null;
  },
  'mtrr-def-type': (v) => {
    if (v & ~0xcffn) return 'reserved bits set (only type 7:0, FE bit 10 and E bit 11 exist)';
    return VALID_MEMTYPES.has(v & 0xffn) ? null : `default type ${v & 0xffn} is not a valid memory type`;
  },
  'mtrr-fixed': (v) => {
    for (let i = 0n; i < 64n; i += 8n) {
      if (!VALID_MEMTYPES.has((v >> i) & 0xffn)) return `byte ${i / 8n} is not a valid memory type (0, 1, 4, 5, 6)`;
    }
    return null;
  },
  'mtrr-phys-base': (v, m) => {
    if (!VALID_MEMTYPES.has(v & 0xffn)) return `type ${v & 0xffn} is not a valid memory type`;
    if (v & (physReserved(m) | 0xf00n)) return `reserved bits set (bits 11:8 or at/above MAXPHYADDR ${m.maxPhysAddr})`;
    return null;
  },
  'mtrr-phys-mask': (v, m) =>
    v & (physReserved(m) | 0x7ffn) ? `reserved bits set (bits 10:0 or at/above MAXPHYADDR ${m.maxPhysAddr})` : null,
  'apic-base': (v, m, s, _i, host) => {
    const reserved = physReserved(m) | 0x2ffn | (m.features.has('x2apic') ? 0n : APIC_BASE_EXTD);
    if (v & reserved) return 'reserved bits set (bits 7:0, 9, above MAXPHYADDR, or EXTD without x2APIC in CPUID)';
    const next = apicMode(v);
    if (next === 'invalid') return 'EXTD set with EN clear is an invalid APIC mode';
    if (!host) {
      const old = apicMode(s.values.get(0x1b) ?? m.apicBaseReset);
      if (old === 'x2apic' && next === 'xapic') return 'x2APIC to xAPIC directly is not allowed (disable first)';
      if (old === 'disabled' && next === 'x2apic')
        return 'disabled to x2APIC directly is not allowed (enable xAPIC first)';
    }
    return null;
  },
  'efer-reserved': (v) => {
    const known = EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | EFER_SVME | EFER_FFXSR | EFER_AUTOIBRS;
    return v & ~known ? 'bits KVM does not support are set' : null;
  },
  efer: (v, m, s) => {
    if (v & EFER_NX && !m.features.has('nx')) return 'NXE without NX in CPUID';
    if (v & (EFER_LME | EFER_LMA) && !m.features.has('lm')) return 'LME/LMA without LM in CPUID';
    if (v & EFER_SVME && !m.features.has('svm')) return 'SVME without SVM in CPUID';
    if (v & EFER_FFXSR && !m.features.has('fxsr_opt')) return 'FFXSR without FXSR_OPT in CPUID';
    if (v & EFER_AUTOIBRS && !m.features.has('autoibrs')) return 'AUTOIBRS without AutoIBRS in CPUID';
    const old = s.values.get(0xc0000080) ?? (m.longMode ? 0xd01n : 0n);
    if (s.cr0Paging && (old & EFER_LME) !== (v & EFER_LME)) return 'LME cannot change while paging is on';
    return null;
  },
  'misc-enable': (v, _m, s) => {
    const ro = (1n << 11n) | (1n << 12n);
    const old = s.values.get(0x1a0) ?? 0x1800n;
    return (old ^ v) & ro ? 'BTS_UNAVAIL (bit 11) and PEBS_UNAVAIL (bit 12) are read-only' : null;
  },
  'mcg-ctl': (v) => (v !== 0n && v !== 0xffff_ffff_ffff_ffffn ? 'only 0 or all ones may be written' : null),
  'mci-ctl': (v) =>
    v !== 0n && (v | (1n << 10n) | 1n) !== 0xffff_ffff_ffff_ffffn
      ? 'MCi_CTL takes 0 or all ones (bits 0 and 10 aside)'
      : null,
  'mci-status': (v, _m, s) =>
    v !== 0n && ((s.values.get(0xc0010015) ?? 0n) & (1n << 18n)) === 0n
      ? 'a non-zero MCi_STATUS needs HWCR.McStatusWrEn (bit 18)'
      : null,
  hwcr: (v) => {
    const valid = (1n << 18n) | (1n << 24n) | (1n << 3n) | (1n << 6n) | (1n << 8n);
    return v & ~valid ? 'only McStatusWrEn (18) and TscFreqSel (24) may be set (bits 3, 6, 8 ignored)' : null;
  },
  'misc-features': (v) => (v & ~1n ? 'only CPUID_FAULT (bit 0) exists' : null),
  'async-pf-en': (v, m) => (v !== 0n && !m.lapicInKernel ? 'async page faults need an in-kernel LAPIC' : null),
  // kvm_pv_enable_async_pf() stores msr_en_val *before* it maps the GPA: a refused value is kept (measured on 6.18).
  'async-pf-gpa': (v, _m, s, index) => {
    if ((v & ASYNC_PF_ENABLED_AS_INT) !== ASYNC_PF_ENABLED_AS_INT || inGuestMemory(v & ~0x3fn, 8n)) return null;
    s.values.set(index, v);
    return 'the async PF area is outside guest memory (KVM keeps the value but fails the write)';
  },
  // kvm_lapic_set_pv_eoi(): with bit 0 set the byte at the GPA must be guest memory; nothing is stored otherwise.
  'pv-eoi-gpa': (v) => (v & 1n && !inGuestMemory(v & ~1n, 1n) ? 'the PV EOI byte is outside guest memory' : null),
  'tsc-aux': (v, m) =>
    !m.amdCompatible && v >> 32n !== 0n ? 'bits 63:32 must be 0 on an Intel-compatible vCPU' : null,
  // Linux 6.1 kvm_set_msr_common: `guest_cpuid_is_intel(vcpu) && (data >> 32) != 0` (later kernels refuse unless the
  // vCPU is AMD-compatible): a vCPU without CPUID is not Intel, so it keeps the low half.
  'tsc-aux-intel': (v, m) =>
    m.cpuidFromHost && m.host?.vendor === 'intel' && v >> 32n !== 0n ? 'bits 63:32 must be 0 on an Intel vCPU' : null,
  // vmx.c is_vmx_feature_control_msr_valid() for a guest write: refused once the lock bit (0) is set; otherwise only
  // msr_ia32_feature_control_valid_bits, which is FEAT_CTL_LOCKED alone for a vCPU without VMX, SGX or LMCE in CPUID
  'feature-control': (v, _m, s, index) => {
    if ((s.values.get(index) ?? 0n) & 1n) return 'IA32_FEATURE_CONTROL is locked (bit 0): the guest may not write it';
    return v & ~1n ? 'only the lock bit (0) is valid without VMX, SGX or LMCE in CPUID' : null;
  },
  // kvm_hv_set_msr HV_X64_MSR_VP_INDEX: (u32)data must be below KVM_MAX_VCPUS (1024 in 6.1)
  'hv-vp-index': (v) => ((v & 0xffff_ffffn) >= 1024n ? 'the VP index must be below KVM_MAX_VCPUS (1024)' : null),
  // HV_X64_MSR_VP_ASSIST_PAGE with the enable bit: the page is mapped (kvm_gfn_to_hva_cache_init) and must be memory
  'hv-assist-gpa': (v) =>
    v & 1n && !inGuestMemory(v & ~0xfffn & 0xffff_ffff_ffff_ffffn, 0x1000n)
      ? 'the assist page is outside guest memory'
      : null,
  // page_address_valid(): page-aligned and below MAXPHYADDR.
  'page-gpa': (v, m) =>
    v & 0xfffn || v & physReserved(m) ? `not a page-aligned address below MAXPHYADDR ${m.maxPhysAddr}` : null,
};

export function runValueCheck(
  id: ValueCheckId,
  value: bigint,
  model: VcpuModel,
  state: VcpuState,
  index: number,
  host: boolean,
): string | null {
  return CHECKS[id](value, model, state, index, host);
}
