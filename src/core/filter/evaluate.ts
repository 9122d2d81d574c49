import { type AccessType, X2APIC_FIRST, X2APIC_LAST } from '../constants';
import { hex32 } from '../numbers';
import type { KernelProfile } from '../profiles/types';
import type { TraceStep } from '../trace';
import type { InstalledFilter } from './installed-filter';

/** The filter's verdict, packed: bit 0 = allowed; the rest = (installed range + 1), 0 when no range decided. */
export type PackedDecision = number;

export const decisionAllowed = (d: PackedDecision): boolean => (d & 1) === 1;
/** The installed range that decided, or -1 (default action, no filter, x2APIC exemption). */
export const decisionRange = (d: PackedDecision): number => (d >>> 1) - 1;

const FLAG_NAMES = ['none', 'READ', 'WRITE', 'READ|WRITE'];
const flagName = (f: number) => FLAG_NAMES[f] ?? `0x${f.toString(16)}`;

/**
 * The first installed range that contains the index and whose flags include the access type decides by its bit;
 * otherwise the default action. The walk over the ranges is precomputed per access type at install time
 * (InstalledFilter.segStart/segRange), so this is a binary search over the segments and one bit test.
 */
export function firstMatch(f: InstalledFilter, index: number, typeFlag: number): PackedDecision {
  const starts = f.segStart[typeFlag - 1];
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  const k = f.segRange[typeFlag - 1][lo];
  if (k < 0) return f.defaultAllow ? 1 : 0;
  const bit = index - f.base[k];
  return ((k + 1) << 1) | ((f.bits[f.offset[k] + (bit >>> 3)] >>> (bit & 7)) & 1);
}

/**
 * kvm_msr_allowed(): x2APIC exemption, no filter, then the first match. With `trace`, also records the path:
 * the exemption, every range that covered the index but was skipped for its type, and what decided.
 */
export function filterDecision(
  profile: KernelProfile,
  f: InstalledFilter | null,
  index: number,
  typeFlag: number,
  trace?: TraceStep[],
): PackedDecision {
  if (profile.x2apicExempt && index >= X2APIC_FIRST && index <= X2APIC_LAST) {
    trace?.push({ stage: 'filter', text: 'x2APIC MSR (0x800-0x8ff): never filtered', tone: 'allow' });
    return 1;
  }
  if (f === null) {
    trace?.push({ stage: 'filter', text: 'no filter installed: allowed', tone: 'allow' });
    return 1;
  }
  if (f.count === 0 && profile.countZeroAllowsAll) {
    trace?.push({ stage: 'filter', text: 'no ranges installed (count 0): filtering off, allowed', tone: 'allow' });
    return 1;
  }
  const d = firstMatch(f, index, typeFlag);
  if (trace) explainMatch(profile, f, index, d, trace);
  return d;
}

function explainMatch(
  profile: KernelProfile,
  f: InstalledFilter,
  index: number,
  d: PackedDecision,
  trace: TraceStep[],
) {
  const decided = decisionRange(d);
  const last = decided >= 0 ? decided : f.count;
  for (let k = 0; k < last; k++) {
    if (index >= f.base[k] && index < f.end[k]) {
      trace.push({
        stage: 'filter',
        text: `ranges[${f.source[k]}] covers it but allows only ${flagName(f.flags[k])}: skipped`,
        range: f.source[k],
        tone: 'neutral',
      });
    }
  }
  const allowed = d & 1;
  if (decided >= 0) {
    const bit = index - f.base[decided];
    trace.push({
      stage: 'filter',
      text: `ranges[${f.source[decided]}] bit ${bit} (MSR ${hex32(index)}) is ${allowed} → ${allowed ? 'allowed' : 'denied'} (first match decides)`,
      range: f.source[decided],
      bit,
      tone: allowed ? 'allow' : 'deny',
    });
    return;
  }
  const text = profile.hasDefaultAction
    ? `no range claims it: default action ${f.defaultAllow ? 'DEFAULT_ALLOW → allowed' : 'DEFAULT_DENY → denied'}`
    : 'no range covers it: the allow list denies it';
  trace.push({ stage: 'filter', text, tone: allowed ? 'allow' : 'deny' });
}

export function accessTypeFlag(type: AccessType): number {
  return type === 'read' ? 1 : 2;
}

/** The policy range index behind a packed decision, or null. */
export function decidingPolicyRange(f: InstalledFilter | null, d: PackedDecision): number | null {
  const k = decisionRange(d);
  return f && k >= 0 ? f.source[k] : null;
}
