import {
  type AccessType,
  KVM_MSR_EXIT_REASON_FILTER,
  KVM_MSR_FILTER_DEFAULT_DENY,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
  X2APIC_FIRST,
  X2APIC_LAST,
} from '../constants';
import { comparePolicies, effectiveView } from '../effective/policy-effects';
import { rangeWraps, validatePolicy } from '../filter/validate';
import { PASSTHROUGH_MSRS } from '../learn/passthrough';
import { hex32 } from '../numbers';
import { type MsrInterval, normalizeIntervals, removeSpan } from '../pack/intervals';
import { describeIntervals } from '../pack/pack';
import { testBit } from '../policy/bitmap';
import type { FilterPolicy } from '../policy/types';
import { PROFILE_IDS, PROFILES } from '../profiles/profiles';
import type { KernelProfile } from '../profiles/types';
import { msrName } from '../vcpu/catalogue';
import { LINUX_BOOT_MSRS, LINUX_BOOT_MSRS_ORIGIN } from './linux-boot-msrs';

export type LintSeverity = 'info' | 'warning' | 'error';
export const LINT_SEVERITIES: readonly LintSeverity[] = ['info', 'warning', 'error'];

export type LintRuleId =
  | 'kernel-refuses'
  | 'x2apic-range'
  | 'shadowed-range'
  | 'deny-without-exit'
  | 'denies-boot-msr'
  | 'unfilterable-access'
  | 'profile-difference'
  | 'short-bitmap-buffer';

export interface LintFinding {
  /** The rule's stable id (e.g. `shadowed-range`). */
  rule: LintRuleId;
  severity: LintSeverity;
  /** One line naming the range and the rule. */
  message: string;
  /** The policy range concerned (index into `ranges`), or null for the whole filter. */
  range: number | null;
  /** The first bit concerned in that range, when there is one. */
  bit: number | null;
}

export interface LintContext {
  /** The KVM_CAP_X86_USER_SPACE_MSR mask, when known (a scenario's `exits`); undefined: a bare policy. */
  exits?: bigint | null;
}

export const LINT_RULES: Readonly<Record<LintRuleId, { severity: LintSeverity; summary: string }>> = {
  'kernel-refuses': { severity: 'error', summary: 'the profile’s kernel refuses the filter (errno, range, rule)' },
  'x2apic-range': {
    severity: 'warning',
    summary: 'a range denies x2APIC MSRs (0x800-0x8ff), which merged kernels never filter',
  },
  'shadowed-range': { severity: 'warning', summary: 'earlier ranges decide every MSR of a range for its access types' },
  'deny-without-exit': {
    severity: 'warning',
    summary: 'the filter denies but no FILTER exit is enabled: the guest gets #GP, the VMM never hears',
  },
  'denies-boot-msr': {
    severity: 'warning',
    summary: 'a DEFAULT_DENY filter denies MSRs a 64-bit Linux guest touches at boot',
  },
  'unfilterable-access': {
    severity: 'info',
    summary: 'a denied MSR is still reached by paths the filter does not stop',
  },
  'profile-difference': { severity: 'warning', summary: 'the policy behaves differently on another kernel profile' },
  'short-bitmap-buffer': {
    severity: 'error',
    summary: 'an exported bitmap buffer is shorter than the BITS_TO_LONGS(nmsrs) * 8 bytes the kernel copies',
  },
};

const finding = (
  rule: LintRuleId,
  message: string,
  range: number | null = null,
  bit: number | null = null,
  severity = LINT_RULES[rule].severity,
): LintFinding => ({ rule, severity, message, range, bit });

const at = (i: number | null) => (i === null ? 'filter' : `ranges[${i}]`);
const typesOf = (flags: number): AccessType[] =>
  [flags & KVM_MSR_FILTER_READ ? 'read' : null, flags & KVM_MSR_FILTER_WRITE ? 'write' : null].filter(
    Boolean,
  ) as AccessType[];
const named = (i: number) => (msrName(i) ? `${hex32(i)} ${msrName(i)}` : hex32(i));

/** MSRs (per type) the policy denies, excluding the x2APIC exemption; null when the kernel refuses it. */
function deniedSets(profile: KernelProfile, policy: FilterPolicy) {
  const view = effectiveView(profile, policy);
  if (view.error) return null;
  const pick = (t: AccessType) => view[t].filter((iv) => !iv.allowed).map((iv) => [iv.start, iv.end] as MsrInterval);
  return { read: pick('read'), write: pick('write') };
}

function isDenied(list: readonly MsrInterval[], index: number) {
  return list.some(([s, e]) => index >= s && index < e);
}

/** Ranges of which their access types are all decided by earlier ranges (geometry, independent of the sweep). */
export function shadowedRanges(
  profile: KernelProfile,
  policy: FilterPolicy,
): { range: number; types: AccessType[]; wraps: boolean; x2apic: boolean }[] {
  const v = validatePolicy(policy, profile);
  const accepted = v.error ? [] : v.accepted;
  // x2apic: what earlier ranges leave of it is x2APIC MSRs only, which the profile never filters
  const out: { range: number; types: AccessType[]; wraps: boolean; x2apic: boolean }[] = [];
  const covered: Record<AccessType, MsrInterval[]> = { read: [], write: [] };
  for (const i of accepted) {
    const r = policy.ranges[i];
    // the kernel's end is a u32: a range that reaches 0x100000000 wraps and matches nothing
    const end = (r.base + r.nmsrs) >>> 0;
    const wraps = rangeWraps(r);
    const span: MsrInterval = [r.base, wraps ? r.base : end];
    const shadowedTypes: AccessType[] = [];
    let x2apic = false;
    for (const t of typesOf(r.flags)) {
      let rest: MsrInterval[] = wraps ? [] : [span];
      for (const [s, e] of covered[t]) rest = removeSpan(rest, s, e);
      const beforeX2apic = rest.length;
      if (profile.x2apicExempt) rest = removeSpan(rest, X2APIC_FIRST, X2APIC_LAST + 1);
      if (rest.length === 0) {
        shadowedTypes.push(t);
        if (beforeX2apic > 0) x2apic = true;
      }
    }
    if (shadowedTypes.length) out.push({ range: i, types: shadowedTypes, wraps, x2apic });
    for (const t of typesOf(r.flags)) covered[t] = normalizeIntervals([...covered[t], span]);
  }
  return out;
}

/** Lints a policy for a profile: every rule, findings in rule order then range order. */
export function lintPolicy(policy: FilterPolicy, profile: KernelProfile, ctx: LintContext = {}): LintFinding[] {
  const out: LintFinding[] = [];
  const v = validatePolicy(policy, profile);
  if (v.error) {
    out.push(
      finding(
        'kernel-refuses',
        `${at(v.error.range)}: ${v.error.errno}: ${v.error.message} (kernel-refuses)`,
        v.error.range,
      ),
    );
  }
  const accepted = v.error ? [] : v.accepted;
  // x2APIC
  if (profile.x2apicExempt) {
    for (const i of accepted) {
      const r = policy.ranges[i];
      const lo = Math.max(r.base, X2APIC_FIRST);
      const hi = Math.min(r.base + r.nmsrs, X2APIC_LAST + 1);
      if (lo >= hi) continue;
      let firstDenied = -1;
      for (let m = lo; m < hi && firstDenied < 0; m++) if (!testBit(r.bitmap, m - r.base)) firstDenied = m;
      if (firstDenied >= 0) {
        out.push(
          finding(
            'x2apic-range',
            `ranges[${i}]: bit ${firstDenied - r.base} denies ${named(firstDenied)}, an x2APIC MSR: ${profile.id} never filters 0x800-0x8ff, so it stays allowed (x2apic-range)`,
            i,
            firstDenied - r.base,
          ),
        );
      } else {
        out.push(
          finding(
            'x2apic-range',
            `ranges[${i}]: covers x2APIC MSRs ${hex32(lo)}-${hex32(hi - 1)}, which ${profile.id} never filters (allowed there anyway) (x2apic-range)`,
            i,
            lo - r.base,
            'info',
          ),
        );
      }
    }
  }
  // shadowing
  for (const s of shadowedRanges(profile, policy)) {
    const r = policy.ranges[s.range];
    const all = s.types.length === typesOf(r.flags).length;
    if (s.wraps) {
      out.push(
        finding(
          'shadowed-range',
          `ranges[${s.range}]: base + nmsrs wraps past 0xffffffff, and the kernel's u32 end makes it match nothing (shadowed-range)`,
          s.range,
          0,
        ),
      );
      continue;
    }
    out.push(
      finding(
        'shadowed-range',
        `ranges[${s.range}]: decides nothing for ${s.types.join(' and ').toUpperCase()}: ${s.x2apic ? `what earlier ranges leave of it is x2APIC MSRs, which ${profile.id} never filters` : `earlier ranges claim every MSR it covers${all ? '' : ' for that type'}`} (shadowed-range)`,
        s.range,
        0,
        all ? 'warning' : 'info',
      ),
    );
  }
  if (v.error) return out;
  const denied = deniedSets(profile, policy);
  if (!denied) return out;
  const deniesSomething = denied.read.length > 0 || denied.write.length > 0;
  // deny without FILTER exit
  if (deniesSomething && profile.hasDefaultAction) {
    if (ctx.exits === undefined) {
      out.push(
        finding(
          'deny-without-exit',
          'filter: denies MSRs; unless the VMM enables KVM_CAP_X86_USER_SPACE_MSR with KVM_MSR_EXIT_REASON_FILTER, the guest gets #GP and the VMM never sees the access (deny-without-exit)',
          null,
          null,
          'info',
        ),
      );
    } else if (ctx.exits === null || (ctx.exits & BigInt(KVM_MSR_EXIT_REASON_FILTER)) === 0n) {
      out.push(
        finding(
          'deny-without-exit',
          `filter: denies MSRs but the exit mask ${ctx.exits === null ? '(capability not enabled)' : `0x${ctx.exits.toString(16)}`} has no FILTER bit: a denied access is a #GP in the guest, not an exit to the VMM (deny-without-exit)`,
        ),
      );
    }
  }
  // boot MSRs under DEFAULT_DENY (or the seed's implicit deny)
  if (policy.flags & KVM_MSR_FILTER_DEFAULT_DENY || !profile.hasDefaultAction) {
    const hits: string[] = [];
    const check = (index: number, t: AccessType) => {
      if (isDenied(denied[t], index)) hits.push(`${named(index)} ${t === 'read' ? 'RDMSR' : 'WRMSR'}`);
    };
    const boot: [number, AccessType][] = [];
    for (const [i, a] of LINUX_BOOT_MSRS)
      for (const t of (a === 'rw' ? ['read', 'write'] : [a]) as AccessType[]) boot.push([i, t]);
    for (const p of PASSTHROUGH_MSRS)
      for (const t of (p.access === 'rw' ? ['read', 'write'] : [p.access]) as AccessType[]) boot.push([p.index, t]);
    for (const [i, t] of boot) check(i, t);
    if (hits.length) {
      out.push(
        finding(
          'denies-boot-msr',
          `filter: DEFAULT_DENY denies ${hits.length} access(es) a 64-bit Linux guest makes at boot: ${hits.slice(0, 6).join(', ')}${hits.length > 6 ? ', …' : ''} (list: ${LINUX_BOOT_MSRS_ORIGIN}) (denies-boot-msr)`,
        ),
      );
    }
  }
  // accesses the filter cannot stop
  if (deniesSomething) {
    out.push(
      finding(
        'unfilterable-access',
        'filter: host-initiated KVM_GET_MSRS/KVM_SET_MSRS never meet the filter (x86.c: only the RDMSR/WRMSR paths call kvm_msr_allowed()) (unfilterable-access)',
      ),
    );
    if (isDenied(denied.read, 0xc0000103)) {
      out.push(
        finding(
          'unfilterable-access',
          'filter: denies RDMSR of 0xc0000103 TSC_AUX, but RDTSCP and RDPID still read it: the filter applies only to RDMSR/WRMSR (Documentation/virt/kvm/api.rst) (unfilterable-access)',
        ),
      );
    }
    if (isDenied(denied.write, 0x6e0)) {
      out.push(
        finding(
          'unfilterable-access',
          'filter: denies WRMSR of 0x6e0 IA32_TSC_DEADLINE, but on kvm_intel the VM-exit fastpath writes it before the filter is consulted (x86.c __handle_fastpath_wrmsr(), from 5.8 whenever the VMX preemption timer runs the APIC timer; since a 2025 change on every backend whose fastpath calls it; from source, host model vmx); PVM filters it (measured) (unfilterable-access)',
        ),
      );
    }
    if (profile.vmxMsrListsBypassFilter) {
      out.push(
        finding(
          'unfilterable-access',
          `filter: on ${profile.id}, MSRs in a nested guest's VMX VM-entry/VM-exit MSR load/store lists bypass the filter (ac8d6cad3c7b "KVM: x86: Only do MSR filtering when access MSR by rdmsr/wrmsr"; nested_vmx_load_msr() calls kvm_set_msr()) (unfilterable-access)`,
        ),
      );
    }
    const vmcsFields: [number, string][] = [
      [0xc0000080, 'EFER'],
      [0x277, 'PAT'],
      [0x1d9, 'DEBUGCTL'],
      [0x38f, 'PERF_GLOBAL_CTRL'],
      [0x174, 'SYSENTER_CS'],
      [0x175, 'SYSENTER_ESP'],
      [0x176, 'SYSENTER_EIP'],
    ];
    const hit = vmcsFields.filter(([i]) => isDenied(denied.write, i)).map(([i, n]) => `${hex32(i)} ${n}`);
    if (hit.length) {
      out.push(
        finding(
          'unfilterable-access',
          `filter: denies WRMSR of ${hit.join(', ')}, which nested VM-entry/VM-exit loads through dedicated VMCS/VMCB fields, never filtered (unfilterable-access)`,
        ),
      );
    }
  }
  // other profiles
  // kernels of the same API are the ones a VMM may meet with the same code: a difference there is a warning; the
  // allow-list series (one range per ioctl, no default action, x2APIC filtered) is compared for information
  for (const id of PROFILE_IDS) {
    const other = PROFILES[id];
    if (id === profile.id) continue;
    const sameApi = other.api === profile.api;
    const severity: LintSeverity = sameApi ? 'warning' : 'info';
    const cmp = comparePolicies(profile, policy, other, policy);
    if (cmp.b.error) {
      out.push(
        finding(
          'profile-difference',
          `${at(cmp.b.error.range)}: ${id} refuses this filter (${cmp.b.error.errno}: ${cmp.b.error.message}) (profile-difference)`,
          cmp.b.error.range,
          null,
          severity,
        ),
      );
      continue;
    }
    if (cmp.differences.length) {
      const d = cmp.differences[0];
      const verdict = (v: { allowed: boolean; range: number | null; cause: string }) =>
        `${v.allowed ? 'allowed' : 'denied'} (${v.range !== null ? `ranges[${v.range}]` : v.cause})`;
      const shown = cmp.differences
        .slice(0, 3)
        .map(
          (x) =>
            `${x.type.toUpperCase()} ${describeIntervals([[x.start, x.end]])} ${verdict(x.a)} on ${profile.id}, ${verdict(x.b)} on ${id}`,
        );
      if (cmp.differences.length > 3) shown.push(`… (${cmp.differences.length - 3} more)`);
      const r = d.a.range ?? d.b.range;
      out.push(
        finding(
          'profile-difference',
          `${at(r)}: ${profile.id} and ${id} differ on ${cmp.differences.length} span(s): ${shown.join('; ')} (profile-difference)`,
          r,
          r !== null ? Math.max(0, d.start - policy.ranges[r].base) : null,
          severity,
        ),
      );
    }
  }
  return out;
}

export function severityRank(s: LintSeverity): number {
  return LINT_SEVERITIES.indexOf(s);
}

export function isLintSeverity(v: unknown): v is LintSeverity {
  return typeof v === 'string' && (LINT_SEVERITIES as readonly string[]).includes(v);
}
