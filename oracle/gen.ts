/**
 * Random scenarios for the differential test, as fast-check arbitraries (seeded, reproducible, shrinkable).
 * A generated scenario is symbolic (an index "at the edge of range 2", a value "what the MSR holds now");
 * `materialize` turns it into a plain msr-scenario/1 Scenario for one vCPU model.
 */
import fc from 'fast-check';
import {
  type FilterPolicy,
  type FilterRange,
  type HostModelId,
  MSR_LIST,
  NEWEST_PROFILE,
  type ProfileId,
  runStep,
  type Scenario,
  SimulatedVm,
  type Step,
  type VcpuModelId,
  type VmmReply,
} from '../src/core/index';
import { NOT_SIMULATED } from '../src/core/vcpu/survey-agreement';

export type GIndex =
  | { k: 'msr'; i: number }
  | { k: 'edge'; r: number; which: number }
  | { k: 'inside'; r: number; offset: number }
  | { k: 'raw'; v: number }
  | { k: 'x2apic'; v: number };
export type GValue = { k: 'const'; v: bigint } | { k: 'current' };
export type GBase = { k: 'msr'; i: number; delta: number } | { k: 'prev'; delta: number } | { k: 'abs'; v: number };
export interface GRange {
  flags: number;
  base: GBase;
  nmsrs: number;
  head: Uint8Array;
  fill: number;
}
export interface GPolicy {
  flags: number;
  ranges: GRange[];
}
export type GStep =
  | { op: 'access'; write: boolean; index: GIndex; value: GValue; host: boolean; reply: VmmReply | null }
  | { op: 'set-filter'; policy: GPolicy | null }
  | { op: 'set-exits'; mask: number }
  | { op: 'apic-base'; value: bigint; host: boolean };
export interface GScenario {
  exits: number | null;
  ignoreMsrs: boolean;
  filter: GPolicy | null;
  vmm: { read: VmmReply; write: VmmReply };
  steps: GStep[];
}

const U64 = (1n << 64n) - 1n;
/** Write values worth trying: zero, one, all ones, bit 63, bit 47 (canonical checks), APIC base values. */
export const INTERESTING_VALUES: readonly bigint[] = [
  0n,
  1n,
  U64,
  1n << 63n,
  0x8000_0000_0000n,
  0xfee0_0d00n,
  0xfee0_0900n,
  0xfee0_0000n,
  0xffn,
];

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const msrPos = fc.nat({ max: MSR_LIST.length - 1 });

const value64: fc.Arbitrary<bigint> = fc.oneof(
  w(4, fc.constantFrom(...INTERESTING_VALUES)),
  w(2, fc.bigInt({ min: 0n, max: U64 })),
  w(1, fc.bigInt({ min: 0n, max: 0xffffn })),
);

const gValue: fc.Arbitrary<GValue> = fc.oneof(
  w(
    5,
    value64.map((v) => ({ k: 'const' as const, v })),
  ),
  w(2, fc.constant({ k: 'current' as const })),
);

const gReply: fc.Arbitrary<VmmReply> = fc.oneof(
  w(1, fc.constant({ error: true as const })),
  w(
    1,
    value64.map((data) => ({ error: false as const, data })),
  ),
);

/** MSRs with state worth revisiting: APIC base and x2APIC registers, TSC and TSC_ADJUST, kvmclock, EFER. */
export const HOT_MSRS: readonly number[] = [
  0x10, 0x11, 0x12, 0x1b, 0x3b, 0xce, 0x1a0, 0x277, 0x2ff, 0x4b564d00, 0x4b564d01, 0x4b564d02, 0x4b564d04, 0x4b564d06,
  0x802, 0x803, 0x808, 0x80a, 0x80b, 0x80d, 0x80f, 0x810, 0x820, 0x828, 0x830, 0x832, 0x838, 0x839, 0x83e, 0x83f,
  0xc0000080, 0xc0000103, 0xc0000104,
];

const gIndex: fc.Arbitrary<GIndex> = fc.oneof(
  w(
    5,
    msrPos.map((i) => ({ k: 'msr' as const, i })),
  ),
  w(
    2,
    fc.constantFrom(...HOT_MSRS).map((v) => ({ k: 'raw' as const, v })),
  ),
  w(5, fc.record({ k: fc.constant('edge' as const), r: fc.nat({ max: 15 }), which: fc.nat({ max: 3 }) })),
  w(6, fc.record({ k: fc.constant('inside' as const), r: fc.nat({ max: 15 }), offset: fc.nat({ max: 0x3000 }) })),
  w(
    1,
    u32.map((v) => ({ k: 'raw' as const, v })),
  ),
  w(
    1,
    fc.integer({ min: 0x800, max: 0x8ff }).map((v) => ({ k: 'x2apic' as const, v })),
  ),
);

const gBase: fc.Arbitrary<GBase> = fc.oneof(
  w(5, fc.record({ k: fc.constant('msr' as const), i: msrPos, delta: fc.integer({ min: -4, max: 4 }) })),
  w(2, fc.record({ k: fc.constant('prev' as const), delta: fc.integer({ min: -16, max: 16 }) })),
  w(
    1,
    fc.integer({ min: 0x7c0, max: 0x900 }).map((v) => ({ k: 'abs' as const, v })),
  ), // x2APIC-covering
  w(
    1,
    fc.integer({ min: 0xffff_f000, max: 0xffff_ffff }).map((v) => ({ k: 'abs' as const, v })),
  ), // wrapping
  w(
    1,
    fc.constantFrom(0, 0xc000_0000, 0xc001_0000, 0x4b56_4d00, 0x4000_0000).map((v) => ({ k: 'abs' as const, v })),
  ),
  w(
    1,
    u32.map((v) => ({ k: 'abs' as const, v })),
  ),
);

const gNmsrs: fc.Arbitrary<number> = fc.oneof(
  w(16, fc.integer({ min: 1, max: 16 })),
  w(12, fc.integer({ min: 1, max: 0x400 })),
  w(4, fc.constantFrom(0x100, 0x2000, 0x3000)),
  w(1, fc.constantFrom(0, 0x3001, 0x1_0000)), // skipped / too big (EINVAL)
);

const gRangeFlags: fc.Arbitrary<number> = fc.oneof(w(40, fc.constantFrom(1, 2, 3)), w(1, fc.constantFrom(0, 4)));

const gRange: fc.Arbitrary<GRange> = fc.record({
  flags: gRangeFlags,
  base: gBase,
  nmsrs: gNmsrs,
  head: fc.uint8Array({ maxLength: 8 }),
  fill: fc.oneof(w(3, fc.constantFrom(0x00, 0xff, 0xaa, 0x55)), w(1, fc.integer({ min: 0, max: 255 }))),
});

export const gPolicy: fc.Arbitrary<GPolicy> = fc.record({
  flags: fc.oneof(w(25, fc.constantFrom(0, 1)), w(1, fc.constant(2))),
  ranges: fc.oneof(
    w(12, fc.array(gRange, { maxLength: 5, size: 'max' })),
    w(1, fc.array(gRange, { minLength: 10, maxLength: 16 })),
  ),
});

const gMask = fc.oneof(w(10, fc.nat({ max: 7 })), w(1, fc.constant(8)));

const gStep: fc.Arbitrary<GStep> = fc.oneof(
  w(
    14,
    fc.record({
      op: fc.constant('access' as const),
      write: fc.boolean(),
      index: gIndex,
      value: gValue,
      host: fc.oneof(w(5, fc.constant(false)), w(1, fc.constant(true))),
      reply: fc.option(gReply, { freq: 2 }),
    }),
  ),
  w(1, fc.record({ op: fc.constant('set-filter' as const), policy: fc.option(gPolicy, { freq: 8 }) })),
  w(1, fc.record({ op: fc.constant('set-exits' as const), mask: gMask })),
  // x2APIC on (0xd00), xAPIC, disabled: the in-kernel LAPIC's modes (linux64), refused or ignored in bare.
  w(
    1,
    fc.record({
      op: fc.constant('apic-base' as const),
      value: fc.constantFrom(0xfee0_0d00n, 0xfee0_0900n, 0xfee0_0000n, 0xfee0_0c00n),
      host: fc.boolean(),
    }),
  ),
);

export const gScenario: fc.Arbitrary<GScenario> = fc.record({
  exits: fc.oneof(w(1, fc.constant(null)), w(8, gMask)),
  ignoreMsrs: fc.oneof(w(4, fc.constant(false)), w(1, fc.constant(true))),
  filter: fc.option(gPolicy, { freq: 6 }),
  vmm: fc.record({ read: gReply, write: gReply }),
  steps: fc.array(gStep, { minLength: 1, maxLength: 40, size: 'max' }),
});

// --- materialization -----------------------------------------------------------------------------------------------

/** MSRs whose value is a guest-physical address KVM writes to (kvmclock, steal time, PV EOI, async PF). */
const GPA_MSRS = new Set([0x11, 0x12, 0x4b56_4d00, 0x4b56_4d01, 0x4b56_4d02, 0x4b56_4d03, 0x4b56_4d04]);
const GUEST_CODE_END = 0x20_0000n;

/**
 * Keeps the helper's guest alive, and the scenario inside what the simulator models:
 * - a GPA MSR is never pointed into the guest's page tables, stubs or stack (0x1000-0x1fffff; KVM would write its
 *   structures there);
 * - HV_X64_MSR_RESET is never written with bit 0 set (a reset of the VM where KVM has Hyper-V, as on kvm_amd 6.1);
 * - an x2APIC ICR write (or Hyper-V's, 0x40000071) never sends an NMI, INIT, SIPI or SMI to the only vCPU (delivery mode forced to fixed);
 * - the x2APIC stays software-disabled (SVR bit 8 clear): KVM then drops fixed IPIs and keeps every LVT entry masked,
 *   so no interrupt ever becomes pending. The simulator has no interrupt state (IRR/ISR/TMR): with the APIC enabled,
 *   a SELF_IPI sets an IRR bit that the simulator does not show (reported, not modelled).
 */
export function safeWriteValue(index: number, v: bigint): bigint {
  if (GPA_MSRS.has(index)) {
    const gpa = v & 0x000f_ffff_ffff_f000n;
    if (gpa >= 0x1000n && gpa < GUEST_CODE_END) return v | 0x4000_0000n;
  }
  if (index === 0x830 || index === 0x4000_0071) return v & ~0x700n;
  // HV_X64_MSR_RESET: a host write of 1 resets the VM where KVM has Hyper-V (kvm_amd 6.1); never ask for it
  if (index === 0x4000_0003) return v & ~1n;
  if (index === 0x80f) return v & ~0x100n;
  return v;
}

function byte(head: Uint8Array, fill: number, i: number): number {
  return i < head.length ? head[i] : fill;
}

function materializePolicy(g: GPolicy): FilterPolicy {
  const ranges: FilterRange[] = [];
  for (const r of g.ranges) {
    const prev = ranges[ranges.length - 1]?.base ?? MSR_LIST[0].index;
    const raw =
      r.base.k === 'msr'
        ? MSR_LIST[r.base.i].index + r.base.delta
        : r.base.k === 'prev'
          ? prev + r.base.delta
          : r.base.v;
    const size = Math.min(Math.ceil(r.nmsrs / 8), 0x700);
    const bitmap = new Uint8Array(size);
    for (let i = 0; i < size; i++) bitmap[i] = byte(r.head, r.fill, i);
    ranges.push({ flags: r.flags, base: raw >>> 0, nmsrs: r.nmsrs, bitmap });
  }
  return { flags: g.flags, ranges };
}

/**
 * This host's kernel has local MSRs the simulator deliberately does not model (NOT_SIMULATED: 0x4b564d10-13 and
 * 0x4b564dff; writing some of them kills the guest): an access there goes 0x100 higher, to an index KVM does not know.
 */
function resolveIndex(g: GIndex, policy: FilterPolicy | null): number {
  const index = rawIndex(g, policy);
  return NOT_SIMULATED.has(index) ? index + 0x100 : index;
}

function rawIndex(g: GIndex, policy: FilterPolicy | null): number {
  switch (g.k) {
    case 'msr':
      return MSR_LIST[g.i].index;
    case 'raw':
    case 'x2apic':
      return g.v;
    case 'edge':
    case 'inside': {
      const ranges = policy?.ranges ?? [];
      const which = g.k === 'edge' ? g.which : g.offset;
      if (ranges.length === 0) return MSR_LIST[(g.r * 7 + which) % MSR_LIST.length].index;
      const r = ranges[g.r % ranges.length];
      if (g.k === 'inside') return (r.base + (r.nmsrs ? g.offset % r.nmsrs : 0)) >>> 0;
      return [r.base - 1, r.base, r.base + r.nmsrs - 1, r.base + r.nmsrs][g.which] >>> 0;
    }
  }
}

/**
 * A plain scenario for `vcpu`. Steps are resolved in order against a simulated VM: an edge index uses the policy
 * most recently given; a `current` write value is what the simulator says the MSR holds at that point.
 */
export function materialize(
  g: GScenario,
  vcpu: VcpuModelId,
  hostModel?: HostModelId,
  profile: ProfileId = NEWEST_PROFILE,
): Scenario {
  const filter = g.filter ? materializePolicy(g.filter) : null;
  const base: Scenario = {
    profile,
    vcpu,
    ...(hostModel ? { hostModel } : {}),
    exits: g.exits === null ? null : BigInt(g.exits),
    ignoreMsrs: g.ignoreMsrs,
    vmm: g.vmm,
    filter,
    steps: [],
  };
  const vm = new SimulatedVm(base);
  if (base.exits !== null) vm.setExits(base.exits);
  if (filter) vm.setFilter(filter);
  let lastPolicy = filter;
  g.steps.forEach((gs, i) => {
    let step: Step;
    if (gs.op === 'set-filter') {
      step = { op: 'set-filter', filter: gs.policy ? materializePolicy(gs.policy) : null };
      if (step.filter) lastPolicy = step.filter;
    } else if (gs.op === 'set-exits') {
      step = { op: 'set-exits', exits: BigInt(gs.mask) };
    } else if (gs.op === 'apic-base') {
      step = { op: 'wrmsr', index: 0x1b, value: gs.value, host: gs.host && !g.ignoreMsrs };
    } else {
      const index = resolveIndex(gs.index, lastPolicy);
      // The helper cannot emulate kvm.ignore_msrs for host accesses: never combine them.
      const host = gs.host && !g.ignoreMsrs;
      const reply = gs.reply ?? undefined;
      if (!gs.write) step = reply ? { op: 'rdmsr', index, host, reply } : { op: 'rdmsr', index, host };
      else {
        const now = vm.access({ type: 'read', index, host: true }, false);
        const raw = gs.value.k === 'current' ? (now.value ?? 0n) : gs.value.v;
        const value = safeWriteValue(index, raw);
        step = reply ? { op: 'wrmsr', index, value, host, reply } : { op: 'wrmsr', index, value, host };
      }
    }
    runStep(vm, step, i, false);
    base.steps.push(step);
  });
  return base;
}
