import { type AccessType, KVM_MSR_EXIT_REASON_FILTER, KVM_MSR_FILTER_DEFAULT_DENY } from '../constants';
import {
  accessTypeFlag,
  decidingPolicyRange,
  decisionAllowed,
  decisionRange,
  filterDecision,
} from '../filter/evaluate';
import { installPolicy } from '../filter/install';
import type { MsrInterval } from '../pack/intervals';
import { type PackResult, packTargets } from '../pack/pack';
import type { FilterPolicy } from '../policy/types';
import type { KernelProfile } from '../profiles/types';
import { PASSTHROUGH_MSRS } from './passthrough';
import { type DistinctAccess, distinctAccesses, type RecordedAccess } from './trace-parser';

export type ReplayVerdict = 'allowed' | 'exit' | 'gp';

/** One distinct recorded access replayed against a policy. */
export interface ReplayedAccess extends DistinctAccess {
  /** allowed: the filter lets it through; exit: denied, to the VMM (FILTER exit enabled); gp: denied, #GP. */
  verdict: ReplayVerdict;
  range: number | null;
  bit: number | null;
}

export interface ReplayOptions {
  /** KVM_MSR_EXIT_REASON_FILTER is enabled: a denied access exits to the VMM instead of #GP. */
  filterExit: boolean;
}

/** Whether a KVM_CAP_X86_USER_SPACE_MSR mask (null: the capability is off) has the FILTER exit: ReplayOptions. */
export function filterExitEnabled(exits: bigint | null): boolean {
  return exits !== null && (exits & BigInt(KVM_MSR_EXIT_REASON_FILTER)) !== 0n;
}

/**
 * Which of the recorded accesses the policy would deny, and whether as a user-space exit or a #GP; and `unseen`:
 * the pass-through MSRs (which no trace shows, though a Linux guest touches them) that the policy denies.
 */
export function replayAccesses(
  profile: KernelProfile,
  policy: FilterPolicy | null,
  accesses: readonly RecordedAccess[],
  opts: ReplayOptions,
): { replayed: ReplayedAccess[]; error: string | null; unseen: UnseenAccess[] } {
  const out = installPolicy(profile, null, policy);
  const f = out.installed;
  const replayed = distinctAccesses(accesses).map((d) => {
    const dec = filterDecision(profile, f, d.index, accessTypeFlag(d.op));
    const allowed = decisionAllowed(dec);
    const k = decisionRange(dec);
    const range = decidingPolicyRange(f, dec);
    return {
      ...d,
      verdict: allowed ? 'allowed' : opts.filterExit ? 'exit' : 'gp',
      range,
      bit: f && k >= 0 ? d.index - f.base[k] : null,
    } satisfies ReplayedAccess;
  });
  // what the guest also touches but no trace shows: the pass-through MSRs, where the policy denies them
  const unseen: UnseenAccess[] = [];
  const seen = new Set(replayed.map((r) => `${r.op}:${r.index}`));
  for (const p of PASSTHROUGH_MSRS) {
    for (const op of (p.access === 'rw' ? ['read', 'write'] : [p.access]) as AccessType[]) {
      if (seen.has(`${op}:${p.index}`)) continue;
      const dec = filterDecision(profile, f, p.index, accessTypeFlag(op));
      if (!decisionAllowed(dec)) unseen.push({ op, index: p.index, name: p.name, range: decidingPolicyRange(f, dec) });
    }
  }
  return { replayed, error: out.error ? `${out.error.errno}: ${out.error.message}` : null, unseen };
}

/** A pass-through MSR access (one a trace cannot show) that the replayed policy denies. */
export interface UnseenAccess {
  op: AccessType;
  index: number;
  name: string;
  range: number | null;
}

export interface LearnOptions {
  /** Also allow the MSRs that KVM passes through without an intercept (the trace cannot show them). Default true. */
  passthrough?: boolean;
}

export interface LearnResult extends PackResult {
  /** The accesses the policy was learned from (distinct). */
  learned: DistinctAccess[];
  /** Pass-through MSRs added because a trace cannot show them (empty with passthrough: false). */
  added: { index: number; name: string; access: AccessType }[];
}

/**
 * The smallest DEFAULT_DENY policy (through pack) that allows every recorded access, #GP ones included (KVM still
 * refuses those itself, as it did in the recording), plus by default the pass-through MSRs a trace cannot show.
 */
export function learnPolicy(
  profile: KernelProfile,
  accesses: readonly RecordedAccess[],
  opts: LearnOptions = {},
): LearnResult {
  const learned = distinctAccesses(accesses);
  const read: MsrInterval[] = [];
  const write: MsrInterval[] = [];
  for (const d of learned) (d.op === 'read' ? read : write).push([d.index, d.index + 1]);
  const added: LearnResult['added'] = [];
  if (opts.passthrough ?? true) {
    const seen = new Set(learned.map((d) => `${d.op}:${d.index}`));
    for (const p of PASSTHROUGH_MSRS) {
      for (const op of (p.access === 'rw' ? ['read', 'write'] : [p.access]) as AccessType[]) {
        if (seen.has(`${op}:${p.index}`)) continue;
        (op === 'read' ? read : write).push([p.index, p.index + 1]);
        added.push({ index: p.index, name: p.name, access: op });
      }
    }
  }
  const packed = packTargets({ defaultAction: 'deny', read, write }, profile);
  if (packed.policy) {
    packed.policy.name = 'learned from a recorded guest';
    packed.policy.flags = profile.hasDefaultAction ? KVM_MSR_FILTER_DEFAULT_DENY : 0;
  }
  const notes = [...packed.notes];
  if (added.length) {
    notes.push(
      `added ${added.length} pass-through access(es) a kvm_msr trace cannot show (KVM lets the guest touch them ` +
        'without an intercept, but keeps the intercept where the filter denies): ' +
        [...new Set(added.map((a) => a.name))].join(', '),
    );
  }
  notes.push('not in any trace: host-initiated KVM_GET/SET_MSRS (never filtered) and accesses your VMM handles itself');
  return { ...packed, notes, learned, added };
}
