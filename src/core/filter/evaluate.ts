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
 * kvm_msr_allowed(): the first installed range that contains the index and whose flags include the access type
 * decides by its bit; otherwise the default action. With `trace`, records every step of the walk.
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
  const { base, end, flags, offset, bits } = f;
  for (let k = 0; k < f.count; k++) {
    const b = base[k];
    if (index >= b && index < end[k]) {
      if ((flags[k] & typeFlag) === 0) {
        trace?.push({
          stage: 'filter',
          text: `ranges[${f.source[k]}] covers it but allows only ${flagName(flags[k])}: skipped`,
          range: f.source[k],
          tone: 'neutral',
        });
        continue;
      }
      const bit = index - b;
      const allowed = (bits[offset[k] + (bit >>> 3)] >>> (bit & 7)) & 1;
      if (trace) {
        trace.push({
          stage: 'filter',
          text: `ranges[${f.source[k]}] bit ${bit} (MSR ${hex32(index)}) is ${allowed} → ${allowed ? 'allowed' : 'denied'} (first match decides)`,
          range: f.source[k],
          bit,
          tone: allowed ? 'allow' : 'deny',
        });
      }
      return ((k + 1) << 1) | allowed;
    }
  }
  if (trace) {
    const text = profile.hasDefaultAction
      ? `no range claims it: default action ${f.defaultAllow ? 'DEFAULT_ALLOW → allowed' : 'DEFAULT_DENY → denied'}`
      : 'no range covers it: the allow list denies it';
    trace.push({ stage: 'filter', text, tone: f.defaultAllow ? 'allow' : 'deny' });
  }
  return f.defaultAllow ? 1 : 0;
}

export function accessTypeFlag(type: AccessType): number {
  return type === 'read' ? 1 : 2;
}

/** The policy range index behind a packed decision, or null. */
export function decidingPolicyRange(f: InstalledFilter | null, d: PackedDecision): number | null {
  const k = decisionRange(d);
  return f && k >= 0 ? f.source[k] : null;
}
