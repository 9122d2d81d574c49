import type { AccessType } from '../constants';
import { definitionOf } from '../host/effective-model';
import { hex64 } from '../numbers';
import { MTRR_WINDOW_REFUSED, X2APIC_LVTS, X2APIC_SVR, X2APIC_WINDOW } from './catalogue';
import type {
  Condition,
  FailCode,
  Gate,
  MsrAccessRule,
  MsrDefinition,
  ReadValue,
  WriteEffect,
} from './catalogue-types';
import type { VcpuModel } from './models';
import type { VcpuState } from './state';
import { APIC_BASE_EN, APIC_BASE_EXTD, EFER_LMA, runValueCheck } from './value-checks';

/** KVM's verdict on an access the filter let through: `ok` (with the value for reads), `err` (1) or `unsupported`. */
export interface MsrOutcome {
  code: 'ok' | 'err' | 'unsupported';
  value?: bigint;
  why: string;
}

const U64 = 0xffff_ffff_ffff_ffffn;
const TSC_STEP = 0x10000n;

function holds(c: Condition, model: VcpuModel, state: VcpuState): boolean {
  if ('feature' in c) return model.features.has(c.feature);
  if ('anyFeature' in c) return c.anyFeature.some((f) => model.features.has(f));
  if ('lapic' in c) return model.lapicInKernel;
  if ('never' in c) return false;
  if ('msrBits' in c) {
    const { index, mask } = c.msrBits;
    const def = definitionOf(model, index);
    return ((def ? storedValue(def, model, state) : (state.values.get(index) ?? 0n)) & mask) === mask;
  }
  return (
    model.lapicInKernel &&
    ((state.values.get(0x1b) ?? model.apicBaseReset) & (APIC_BASE_EN | APIC_BASE_EXTD)) ===
      (APIC_BASE_EN | APIC_BASE_EXTD)
  );
}

/** `absent` is UNSUPPORTED on kernels that split the codes; the catalogue is the newest kernel's, so it is here. */
function failure(code: FailCode, why: string, state: VcpuState): MsrOutcome {
  if (code === 'absent') return { code: state.absentCode, why };
  return { code, why };
}

function failedGate(gates: Gate[] | undefined, model: VcpuModel, state: VcpuState, host: boolean): MsrOutcome | null {
  if (!gates) return null;
  for (const g of gates) {
    if (host && g.guestOnly) continue;
    if (!holds(g.unless, model, state)) return failure(g.code, g.why, state);
  }
  return null;
}

/** is_noncanonical_msr_address(): the host's virtual width (max_host_virt_addr_bits), whatever the guest's CR4. */
function canonical(v: bigint, model: VcpuModel): boolean {
  const bits = BigInt(model.virtAddrBits);
  const top = v >> (bits - 1n);
  return top === 0n || top === U64 >> (bits - 1n);
}

function canonicalize(v: bigint, model: VcpuModel): bigint {
  const bits = BigInt(model.virtAddrBits);
  const low = (1n << bits) - 1n;
  return v & (1n << (bits - 1n)) ? v | (U64 ^ low) : v & low;
}

function storedValue(def: MsrDefinition, model: VcpuModel, state: VcpuState): bigint {
  const v = state.values.get(def.storage ?? def.index);
  if (v !== undefined) return v;
  if (def.index === 0x1b) return model.apicBaseReset;
  if (def.index === 0xc0000080) return model.longMode ? 0xd01n : 0n;
  return def.reset ?? 0n;
}

function read(
  def: MsrDefinition,
  rule: MsrAccessRule<ReadValue>,
  model: VcpuModel,
  state: VcpuState,
  host: boolean,
  explain: boolean,
): MsrOutcome {
  const gate = failedGate(rule.gates, model, state, host);
  if (gate) return gate;
  const r = rule.do;
  switch (r.kind) {
    case 'fail':
      return failure(r.code, r.why, state);
    case 'constant':
      return { code: 'ok', value: r.value, why: explain ? `${def.name} reads as the constant ${hex64(r.value)}` : '' };
    case 'tsc':
      state.tsc += TSC_STEP;
      return {
        code: 'ok',
        value: state.tsc & U64,
        why: 'the guest TSC (host TSC scaled plus offset): it counts on its own',
      };
    case 'stored':
      return {
        code: 'ok',
        value: storedValue(def, model, state),
        why: explain ? `${def.name} returns its stored value` : '',
      };
  }
}

function write(
  def: MsrDefinition,
  rule: MsrAccessRule<WriteEffect>,
  model: VcpuModel,
  state: VcpuState,
  value: bigint,
  host: boolean,
  explain: boolean,
): MsrOutcome {
  const gate = failedGate(rule.gates, model, state, host);
  if (gate) return gate;
  const effect = rule.do;
  if (effect.kind === 'fail') return failure(effect.code, effect.why, state);
  for (const v of rule.values ?? []) {
    if (host && v.guestOnly) continue;
    if ('reserved' in v) {
      if (value & v.reserved) return { code: 'err', why: v.why };
    } else if ('canonical' in v) {
      if (!canonical(value, model))
        return { code: 'err', why: explain ? `${hex64(value)} is not a canonical address` : '' };
    } else if ('zeroOnly' in v) {
      if (value !== 0n) return { code: 'err', why: v.why };
    } else if ('equals' in v) {
      if (value !== v.equals) return { code: 'err', why: v.why };
    } else if ('needs' in v) {
      if (!holds(v.needs, model, state)) return { code: 'err', why: v.why };
    } else {
      const bad = runValueCheck(v.check, value, model, state, def.index, host);
      if (bad) return { code: 'err', why: bad };
    }
  }
  switch (effect.kind) {
    case 'ignore':
      return { code: 'ok', why: effect.why };
    case 'store':
      state.values.set(def.storage ?? def.index, value);
      return { code: 'ok', why: explain ? `${def.name} := ${hex64(value)}` : '' };
    case 'canonicalize':
      state.values.set(def.storage ?? def.index, canonicalize(value, model));
      return {
        code: 'ok',
        why: explain ? `${def.name} := ${hex64(canonicalize(value, model))} (made canonical, no #GP)` : '',
      };
    case 'masked':
      state.values.set(def.storage ?? def.index, value & effect.mask);
      return {
        code: 'ok',
        why: explain ? `${def.name} := ${hex64(value & effect.mask)} (bits outside ${hex64(effect.mask)} dropped)` : '',
      };
    case 'lvt':
      return writeLvt(def, effect.mask, model, state, value, explain);
    case 'svr':
      return writeSvr(def, effect.mask, model, state, value, explain);
    case 'low32':
      state.values.set(def.storage ?? def.index, value & 0xffff_ffffn);
      return { code: 'ok', why: explain ? `${def.name} := ${hex64(value & 0xffff_ffffn)} (upper half dropped)` : '' };
    case 'tsc': {
      // Measured on 6.18: the guest TSC keeps counting; a guest write moves IA32_TSC_ADJUST by the difference
      // (whatever the CPUID says), a host write changes neither.
      if (!host) state.values.set(0x3b, ((state.values.get(0x3b) ?? 0n) + value - state.tsc) & U64);
      const why = host
        ? 'accepted; the TSC keeps counting'
        : 'accepted; the TSC keeps counting and IA32_TSC_ADJUST takes the difference';
      return { code: 'ok', why: explain ? why : '' };
    }
    case 'tsc-adjust':
      if (!model.features.has('tsc_adjust'))
        return { code: 'ok', why: 'no TSC_ADJUST in CPUID: the write is silently ignored' };
      state.values.set(def.storage ?? def.index, value);
      return { code: 'ok', why: explain ? `${def.name} := ${hex64(value)}` : '' };
    case 'efer': {
      const old = storedValue(def, model, state);
      const next = (value & ~EFER_LMA) | (old & EFER_LMA);
      state.values.set(def.storage ?? def.index, next);
      return { code: 'ok', why: explain ? `EFER := ${hex64(next)} (LMA is kept by KVM)` : '' };
    }
  }
}

const LVT_MASKED = 1n << 16n;
const SVR_APIC_ENABLED = 1n << 8n;

function storedAt(index: number, model: VcpuModel, state: VcpuState): bigint {
  const def = definitionOf(model, index);
  return def ? storedValue(def, model, state) : (state.values.get(index) ?? 0n);
}

/** kvm_lapic_reg_write(): LVT writes while the APIC is software-disabled keep the entry masked. */
function writeLvt(
  def: MsrDefinition,
  mask: bigint,
  model: VcpuModel,
  state: VcpuState,
  value: bigint,
  explain: boolean,
) {
  const disabled = (storedAt(X2APIC_SVR, model, state) & SVR_APIC_ENABLED) === 0n;
  const next = (value & mask) | (disabled ? LVT_MASKED : 0n);
  state.values.set(def.index, next);
  const why = `${def.name} := ${hex64(next)}${disabled ? ' (masked: the APIC is software-disabled, SVR bit 8 clear)' : ''}`;
  return { code: 'ok' as const, why: explain ? why : '' };
}

/** APIC_SPIV: software-disabling the APIC (bit 8 clear) sets the mask bit of every LVT entry. */
function writeSvr(
  def: MsrDefinition,
  mask: bigint,
  model: VcpuModel,
  state: VcpuState,
  value: bigint,
  explain: boolean,
) {
  const next = value & mask;
  state.values.set(def.index, next);
  const disabling = (next & SVR_APIC_ENABLED) === 0n;
  if (disabling) for (const lvt of X2APIC_LVTS) state.values.set(lvt, storedAt(lvt, model, state) | LVT_MASKED);
  const why = `${def.name} := ${hex64(next)}${disabling ? '; APIC software-disabled: every LVT entry masked' : ''}`;
  return { code: 'ok' as const, why: explain ? why : '' };
}

const inWindow = (index: number, [lo, hi]: readonly [number, number]) => index >= lo && index <= hi;

/**
 * An index the catalogue does not list: refused inside KVM's x2APIC and MTRR windows (and the windows the host's
 * KVM routes to code that refuses it), unknown elsewhere.
 */
function uncatalogued(model: VcpuModel, index: number): MsrOutcome {
  if (inWindow(index, X2APIC_WINDOW))
    return { code: 'err', why: "KVM's x2APIC code handles 0x800-0x8ff and refuses this register" };
  if (MTRR_WINDOW_REFUSED.some((w) => inWindow(index, w))) {
    return { code: 'err', why: "inside KVM's MTRR window (0x200-0x2ff) but not an MTRR: refused" };
  }
  const routed = model.host?.refusedWindows?.find((w) => inWindow(index, w.range));
  if (routed) return { code: 'err', why: routed.why };
  return { code: 'unsupported', why: 'KVM does not know this MSR (KVM_MSR_RET_UNSUPPORTED)' };
}

/**
 * KVM's own handling of an MSR access that the filter allowed (or a host-initiated one, which the filter never
 * sees): the vendor and common get/set paths, driven by the catalogue's rules.
 */
export function emulateMsrAccess(
  model: VcpuModel,
  state: VcpuState,
  type: AccessType,
  index: number,
  value: bigint,
  host: boolean,
  explain = true,
): MsrOutcome {
  const def = definitionOf(model, index);
  if (!def) return uncatalogued(model, index);
  if (type === 'read') return read(def, (host && def.hostRead) || def.read, model, state, host, explain);
  return write(def, (host && def.hostWrite) || def.write, model, state, value, host, explain);
}
