import {
  comparePolicies,
  type FilterPolicy,
  getProfile,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
  type PolicyDifference,
  type ProfileId,
} from '../../core/index';
import type { CompareState, GridSelection } from './view-slice';

/** At most this many spans are outlined on the grid (the differences table lists them all). */
export const MAX_MARKS = 4000;

/** What is compared, as ComparePanel sets it up: the current policy against B, or under two profiles. */
function sides(policy: FilterPolicy, profile: ProfileId, compare: CompareState) {
  // two hosts run the same policy: the filter's bits decide the same; the table names the accesses that differ
  if (compare.mode === 'hosts') return null;
  if (compare.mode === 'profiles')
    return { a: { profile: compare.profileA, policy }, b: { profile: compare.profileB, policy } };
  return compare.b ? { a: { profile, policy }, b: { profile, policy: compare.b.policy } } : null;
}

/**
 * The bits of the current policy's ranges where A and B decide differently: for each difference, the part of it
 * that each range covering it for that access type holds (MSRs outside every range are not on the grid).
 */
export function marksOf(policy: FilterPolicy, differences: readonly PolicyDifference[]): GridSelection[] {
  const out: GridSelection[] = [];
  const seen = new Set<string>();
  for (const d of differences) {
    const flag = d.type === 'read' ? KVM_MSR_FILTER_READ : KVM_MSR_FILTER_WRITE;
    policy.ranges.forEach((r, range) => {
      if (!(r.flags & flag) || out.length >= MAX_MARKS) return;
      const base = r.base >>> 0;
      const from = Math.max(d.start, base);
      const to = Math.min(d.end, base + (r.nmsrs >>> 0));
      if (to <= from) return;
      const key = `${range}:${from}:${to}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ range, from: from - base, to: to - base });
    });
  }
  return out;
}

let last: { policy: FilterPolicy; profile: ProfileId; compare: CompareState; marks: GridSelection[] } | null = null;

/** The compare's differences as spans of the grid (none when nothing is compared or a side is refused). */
export function compareMarks(policy: FilterPolicy, profile: ProfileId, compare: CompareState): GridSelection[] {
  if (last && last.policy === policy && last.profile === profile && last.compare === compare) return last.marks;
  const s = sides(policy, profile, compare);
  const marks = s
    ? marksOf(
        policy,
        comparePolicies(getProfile(s.a.profile), s.a.policy, getProfile(s.b.profile), s.b.policy).differences,
      )
    : [];
  last = { policy, profile, compare, marks };
  return marks;
}
