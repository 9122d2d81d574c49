import { type Errno, KVM_MSR_FILTER_DEFAULT_DENY, KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE } from '../constants';
import { hex32, hexShort } from '../numbers';
import type { FilterPolicy, FilterRange } from '../policy/types';
import type { FilterRuleId, KernelProfile, RangeRuleId } from '../profiles/types';

/** Why the kernel refuses a filter: its errno, the range (or null for the whole filter) and the rule. */
export interface ValidationError {
  errno: Errno;
  range: number | null;
  rule: FilterRuleId | RangeRuleId | 'too-many-ranges';
  message: string;
}

export interface ValidationResult {
  error: ValidationError | null;
  /** Indexes (into policy.ranges) of the ranges the kernel had accepted before the error, in order. */
  accepted: number[];
  /** Things worth knowing that are not errors (ignored ranges, x2APIC coverage, wrap-around). */
  notes: string[];
}

const RANGE_VALID_MASK = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
const FILTER_VALID_MASK = KVM_MSR_FILTER_DEFAULT_DENY;

function bitmapSizeBytes(nmsrs: number): number {
  // BITS_TO_LONGS(nmsrs) * sizeof(long) on a 64-bit host
  return Math.ceil(nmsrs / 64) * 8;
}

function rangeEnd(r: FilterRange): number {
  return (r.base + r.nmsrs) >>> 0;
}

/** A range that reaches 0x100000000: the kernel's u32 end wraps (to or past 0), so it never matches. */
export function rangeWraps(r: { base: number; nmsrs: number }): boolean {
  return r.nmsrs > 0 && (r.base + r.nmsrs) >>> 0 <= r.base;
}

function filterRule(rule: FilterRuleId, policy: FilterPolicy): ValidationError | null {
  switch (rule) {
    case 'filter-flags-valid':
      if (policy.flags & ~FILTER_VALID_MASK) {
        return {
          errno: 'EINVAL',
          range: null,
          rule,
          message: `flags ${hexShort(policy.flags >>> 0)} has bits outside KVM_MSR_FILTER_VALID_MASK (0x1, DEFAULT_DENY)`,
        };
      }
      return null;
    case 'empty-default-deny':
      if (policy.flags & KVM_MSR_FILTER_DEFAULT_DENY && policy.ranges.every((r) => r.nmsrs === 0)) {
        return {
          errno: 'EINVAL',
          range: null,
          rule,
          message: 'DEFAULT_DENY with no non-empty range would deny every MSR; the kernel refuses it',
        };
      }
      return null;
  }
}

/** Returns 'skip' when the range is ignored, an error, or null when this rule passes. */
function rangeRule(
  rule: RangeRuleId,
  r: FilterRange,
  i: number,
  policy: FilterPolicy,
  accepted: number[],
  profile: KernelProfile,
): ValidationError | 'skip' | null {
  const at = `ranges[${i}]`;
  switch (rule) {
    case 'skip-empty':
      return r.nmsrs === 0 ? 'skip' : null;
    case 'bitmap-size': {
      const size = bitmapSizeBytes(r.nmsrs);
      const tooBig = size > profile.maxBitmapBytes;
      const zero = profile.api === 'set-filter' && size === 0;
      if (tooBig || zero) {
        return {
          errno: 'EINVAL',
          range: i,
          rule,
          message: `${at}: nmsrs ${r.nmsrs} needs ${size} bitmap bytes; at most ${hexShort(profile.maxBitmapBytes)} (${profile.maxBitmapBytes * 8} MSRs) per range`,
        };
      }
      return null;
    }
    case 'flags-valid':
      if (r.flags & ~RANGE_VALID_MASK) {
        return {
          errno: 'EINVAL',
          range: i,
          rule,
          message: `${at}: flags ${hexShort(r.flags >>> 0)} has bits other than READ (0x1) and WRITE (0x2)`,
        };
      }
      return null;
    case 'flags-nonzero':
      if (r.flags === 0) {
        return {
          errno: 'EINVAL',
          range: i,
          rule,
          message: `${at}: flags is 0; a range must allow READ, WRITE or both`,
        };
      }
      return null;
    case 'range-count':
      if (accepted.length >= profile.maxRanges) {
        return {
          errno: 'E2BIG',
          range: i,
          rule,
          message: `${at}: already ${profile.maxRanges} ranges installed; the allow list holds at most ${profile.maxRanges}`,
        };
      }
      return null;
    case 'overlap-shared-flag': {
      for (const j of accepted) {
        const o = policy.ranges[j];
        const lo = Math.max(r.base, o.base);
        const hi = Math.min(rangeEnd(r), rangeEnd(o));
        if (lo < hi && (r.flags & o.flags) !== 0) {
          return {
            errno: 'EINVAL',
            range: i,
            rule,
            message: `${at}: overlaps ranges[${j}] at ${hex32(lo)} and both allow ${describeShared(r.flags & o.flags)}`,
          };
        }
      }
      return null;
    }
  }
}

function describeShared(flags: number): string {
  const names = [];
  if (flags & KVM_MSR_FILTER_READ) names.push('READ');
  if (flags & KVM_MSR_FILTER_WRITE) names.push('WRITE');
  return names.join(' and ');
}

function notesFor(policy: FilterPolicy, profile: KernelProfile): string[] {
  const notes: string[] = [];
  policy.ranges.forEach((r, i) => {
    if (r.nmsrs === 0 && profile.rangeRules.includes('skip-empty')) notes.push(`ranges[${i}]: nmsrs is 0, ignored`);
    if (rangeWraps(r)) {
      notes.push(`ranges[${i}]: base + nmsrs reaches 0x100000000; the kernel's u32 end wraps, so it never matches`);
    }
    if (profile.x2apicExempt && r.nmsrs > 0 && r.base <= 0x8ff && r.base + r.nmsrs > 0x800) {
      notes.push(`ranges[${i}]: covers x2APIC MSRs 0x800-0x8ff, which KVM never filters`);
    }
  });
  if (!profile.hasDefaultAction && policy.flags !== 0) {
    notes.push(
      `${profile.label} has no default action: flags are ignored; uncovered MSRs are denied once any range exists`,
    );
  }
  return notes;
}

/**
 * Validates a policy as the profile's kernel would, in the kernel's order, and reports the first error with its
 * errno, together with the ranges accepted before it (what a partial install keeps).
 */
export function validatePolicy(policy: FilterPolicy, profile: KernelProfile): ValidationResult {
  const notes = notesFor(policy, profile);
  const accepted: number[] = [];
  for (const rule of profile.filterRules) {
    const error = filterRule(rule, policy);
    if (error) return { error, accepted, notes };
  }
  const structSlots = profile.api === 'set-filter' ? profile.maxRanges : Number.POSITIVE_INFINITY;
  for (let i = 0; i < policy.ranges.length; i++) {
    if (i >= structSlots) {
      return {
        error: {
          errno: profile.errnoOverflow,
          range: i,
          rule: 'too-many-ranges',
          message: `ranges[${i}]: struct kvm_msr_filter has room for ${structSlots} ranges; a 17th cannot be passed to the kernel`,
        },
        accepted,
        notes,
      };
    }
    let skipped = false;
    for (const rule of profile.rangeRules) {
      const outcome = rangeRule(rule, policy.ranges[i], i, policy, accepted, profile);
      if (outcome === 'skip') {
        skipped = true;
        break;
      }
      if (outcome) return { error: outcome, accepted, notes };
    }
    if (!skipped) accepted.push(i);
  }
  return { error: null, accepted, notes };
}
