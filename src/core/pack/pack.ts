import {
  type AccessType,
  KVM_MSR_FILTER_DEFAULT_DENY,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
  X2APIC_FIRST,
  X2APIC_LAST,
} from '../constants';
import { diffIntervals } from '../effective/compare';
import { MSR_SPACE_END, type PolicyInterval } from '../effective/effective-policy';
import { comparePolicies, effectiveView } from '../effective/policy-effects';
import { validatePolicy } from '../filter/validate';
import { hex32 } from '../numbers';
import type { FilterPolicy, FilterRange } from '../policy/types';
import type { KernelProfile } from '../profiles/types';
import {
  clipSpan,
  containsIndex,
  intervalsSize,
  type MsrInterval,
  normalizeIntervals,
  removeSpan,
  sameIntervals,
} from './intervals';
import { bestMixedCover, coverSegments } from './mixed-cover';
import {
  addCost,
  bestPartialCovers,
  cheapestCover,
  compareCost,
  type PackCost,
  rangeCost,
  type Span,
  ZERO_COST,
} from './optimal-ranges';

/** What a pack is asked for: per access type, the MSRs that must get the opposite of the default action. */
export interface PackTargets {
  /** The filter's default: `deny` for an allow-list, `allow` for a deny-list. */
  defaultAction: 'allow' | 'deny';
  read: MsrInterval[];
  write: MsrInterval[];
}

export interface PackResult {
  /** The policy, or null when nothing valid could be built. */
  policy: FilterPolicy | null;
  cost: PackCost;
  /** The policy decides exactly the targets (false for a "nearest that fits"). */
  exact: boolean;
  /** Ranges the exact policy needs (may exceed the profile's limit). */
  rangesNeeded: number;
  /** Target MSRs (per type) the nearest-fit policy leaves at the default action. */
  leftOut: { read: MsrInterval[]; write: MsrInterval[] };
  notes: string[];
  /** The targets the policy decides: the input's, less what no filter can decide (x2APIC, 0xffffffff). */
  targets: PackTargets;
}

const X2APIC_END = X2APIC_LAST + 1;

/** The largest nmsrs whose BITS_TO_LONGS(nmsrs) * 8 bytes fit in the profile's bitmap limit. */
export function maxRangeMsrs(profile: KernelProfile): number {
  return Math.floor(profile.maxBitmapBytes / 8) * 64;
}

/** The kernel-side cost of a policy's ranges (ranges with nmsrs 0 are skipped by merged kernels). */
export function policyCost(policy: FilterPolicy): PackCost {
  let c = ZERO_COST;
  for (const r of policy.ranges) if (r.nmsrs > 0) c = addCost(c, rangeCost(r.nmsrs));
  return c;
}

function fmtSpan([s, e]: MsrInterval): string {
  return e - s === 1 ? hex32(s) : `${hex32(s)}-${hex32(e - 1)}`;
}

export function describeIntervals(list: readonly MsrInterval[], max = 8): string {
  const parts = list.slice(0, max).map(fmtSpan);
  if (list.length > max) parts.push(`… (${list.length - max} more)`);
  return parts.join(', ');
}

/** Spans per layer: READ ranges, WRITE ranges, READ|WRITE ranges. */
type Layers = [Span[], Span[], Span[]];

/** States the mixed-type packer may visit, and pieces it takes, before it packs each access type on its own. */
const STATE_LIMIT = 2_000_000;
const SEGMENT_LIMIT = 1500;

const LAYER_FLAGS = [KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE, KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE];

function subtractIntervals(a: readonly MsrInterval[], b: readonly MsrInterval[]): MsrInterval[] {
  let out = [...a];
  for (const [s, e] of b) out = removeSpan(out, s, e);
  return out;
}

/**
 * The ranges of a three-layer cover, with their bitmaps. READ and WRITE ranges come first when a READ|WRITE range
 * overlaps them, so they decide their type there and the READ|WRITE range's bit decides the other type; without
 * such overlaps the ranges are in base order. x2APIC bits read as allowed on profiles that never filter them.
 */
function buildRanges(layers: Layers, t: PackTargets, defaultAllow: boolean, x2apicExempt: boolean): FilterRange[] {
  const allowedAt = (type: AccessType, m: number) => containsIndex(t[type], m) !== defaultAllow;
  const ranges: FilterRange[] = [];
  let overlaps = false;
  layers.forEach((spans, layer) => {
    for (const [s, e] of spans) {
      const n = e - s;
      const bitmap = new Uint8Array(Math.ceil(n / 8));
      for (let m = s; m < e; m++) {
        let type: AccessType = layer === 1 ? 'write' : 'read';
        if (layer === 2) {
          const byRead = containsIndex(layers[0], m);
          const byWrite = containsIndex(layers[1], m);
          if (byRead || byWrite) overlaps = true;
          // the type no earlier single-type range decides is this range's to decide
          if (byRead && !byWrite) type = 'write';
        }
        const inX2 = x2apicExempt && m >= X2APIC_FIRST && m < X2APIC_END;
        if (inX2 || allowedAt(type, m)) bitmap[(m - s) >>> 3] |= 1 << ((m - s) & 7);
      }
      ranges.push({ flags: LAYER_FLAGS[layer], base: s, nmsrs: n, bitmap });
    }
  });
  ranges.sort((a, b) => a.base - b.base || a.flags - b.flags);
  if (overlaps) {
    const both = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
    return [...ranges.filter((r) => r.flags !== both), ...ranges.filter((r) => r.flags === both)];
  }
  return ranges;
}

/** The fallback: each access type packed on its own (READ|WRITE ranges when both types want the same MSRs). */
function perTypeLayers(t: PackTargets, maxLen: number): Layers {
  if (sameIntervals(t.read, t.write)) return [[], [], cheapestCover(t.read, maxLen).spans];
  return [cheapestCover(t.read, maxLen).spans, cheapestCover(t.write, maxLen).spans, []];
}

function perTypePartial(
  t: PackTargets,
  maxLen: number,
  maxRanges: number,
): { layers: Layers; leftOut: { read: MsrInterval[]; write: MsrInterval[] } } {
  const rest = (list: readonly MsrInterval[], spans: readonly Span[]) =>
    spans.reduce<MsrInterval[]>((acc, [s, e]) => removeSpan(acc, s, e), [...list]);
  if (sameIntervals(t.read, t.write)) {
    const spans = bestPartialCovers(t.read, maxLen, maxRanges)[maxRanges].spans;
    return { layers: [[], [], spans], leftOut: { read: rest(t.read, spans), write: rest(t.write, spans) } };
  }
  const pr = bestPartialCovers(t.read, maxLen, maxRanges);
  const pw = bestPartialCovers(t.write, maxLen, maxRanges);
  let split = 0;
  for (let k = 0; k <= maxRanges; k++)
    if (pr[k].covered + pw[maxRanges - k].covered > pr[split].covered + pw[maxRanges - split].covered) split = k;
  const r = pr[split].spans;
  const w = pw[maxRanges - split].spans;
  return { layers: [r, w, []], leftOut: { read: rest(t.read, r), write: rest(t.write, w) } };
}

/** The effective intervals that exactly these targets should give, for checking a packed policy. */
export function expectedIntervals(
  profile: KernelProfile,
  targets: readonly MsrInterval[],
  defaultAllow: boolean,
): PolicyInterval[] {
  const out: PolicyInterval[] = [];
  let at = 0;
  const push = (start: number, end: number, allowed: boolean) => {
    if (end <= start) return;
    const last = out[out.length - 1];
    if (last && last.allowed === allowed) last.end = end;
    else out.push({ start, end, allowed, range: null, cause: 'default' });
  };
  const all = profile.x2apicExempt
    ? normalizeIntervals([...targets.map(([s, e]) => [s, e] as MsrInterval)])
    : [...targets];
  for (const [s, e] of all) {
    if (profile.x2apicExempt && s < X2APIC_END && e > X2APIC_FIRST) {
      // never happens: targets exclude x2APIC on exempt profiles
    }
    push(at, s, defaultAllow);
    push(s, e, !defaultAllow);
    at = e;
  }
  push(at, MSR_SPACE_END, defaultAllow);
  if (!profile.x2apicExempt) return out;
  // overlay the x2APIC exemption
  const res: PolicyInterval[] = [];
  const pushRes = (start: number, end: number, allowed: boolean) => {
    if (end <= start) return;
    const last = res[res.length - 1];
    if (last && last.allowed === allowed && last.end === start) last.end = end;
    else res.push({ start, end, allowed, range: null, cause: 'default' });
  };
  for (const iv of out) {
    pushRes(iv.start, Math.min(iv.end, X2APIC_FIRST), iv.allowed);
    pushRes(Math.max(iv.start, X2APIC_FIRST), Math.min(iv.end, X2APIC_END), true);
    pushRes(Math.max(iv.start, X2APIC_END), iv.end, iv.allowed);
  }
  return res;
}

/** Where a policy's effective verdicts differ from what the targets ask (empty: it decides exactly them). */
export function targetDifferences(profile: KernelProfile, policy: FilterPolicy, t: PackTargets) {
  const view = effectiveView(profile, policy);
  if (view.error) return null;
  const defaultAllow = t.defaultAction === 'allow';
  return (['read', 'write'] as AccessType[]).flatMap((type) =>
    diffIntervals(type, view[type], expectedIntervals(profile, t[type], defaultAllow)),
  );
}

/**
 * Packs targets into the smallest valid policy for the profile: fewest ranges, then fewest bitmap bytes, each
 * range at most the profile's bitmap limit. x2APIC MSRs are not filtered on merged kernels: they are dropped from
 * the targets (with a note) and ranges may run across them. Reads and writes are packed together over READ, WRITE
 * and READ|WRITE ranges (mixed-cover.ts): the count is the fewest over all three kinds with the kernel's first match
 * per access type, not the sum of two separate packings. When it needs more ranges than the profile takes, the
 * nearest policy that fits leaves the fewest (MSR, type) targets at the default.
 */
export function packTargets(input: PackTargets, profile: KernelProfile): PackResult {
  const notes: string[] = [];
  const maxLen = maxRangeMsrs(profile);
  let defaultAction = input.defaultAction;
  const t: PackTargets = {
    defaultAction,
    read: normalizeIntervals(input.read),
    write: normalizeIntervals(input.write),
  };
  if (profile.x2apicExempt) {
    for (const type of ['read', 'write'] as AccessType[]) {
      const inX2 = clipSpan(t[type], X2APIC_FIRST, X2APIC_END);
      if (inX2.length) {
        notes.push(
          `${type}: ${describeIntervals(inX2)} ${inX2.length === 1 && inX2[0][1] - inX2[0][0] === 1 ? 'is' : 'are'} x2APIC: ${profile.id} never filters 0x800-0x8ff, so ${defaultAction === 'deny' ? 'they are allowed anyway' : 'they cannot be denied'}`,
        );
        t[type] = removeSpan(t[type], X2APIC_FIRST, X2APIC_END);
      }
    }
  }
  for (const type of ['read', 'write'] as AccessType[]) {
    if (t[type].length && t[type][t[type].length - 1][1] === MSR_SPACE_END) {
      notes.push(
        `${type}: MSR 0xffffffff cannot be in any range (base + nmsrs is a u32 and wraps to 0): it keeps the default`,
      );
      t[type] = removeSpan(t[type], MSR_SPACE_END - 1, MSR_SPACE_END);
    }
  }
  if (!profile.hasDefaultAction && defaultAction === 'allow') {
    // the seed series denies whatever no range covers: a deny-list must cover everything else
    const complement = (list: readonly MsrInterval[]) => {
      const out: MsrInterval[] = [];
      let at = 0;
      for (const [s, e] of list) {
        if (s > at) out.push([at, s]);
        at = e;
      }
      if (at < MSR_SPACE_END) out.push([at, MSR_SPACE_END]);
      return out;
    };
    if (t.read.length === 0 && t.write.length === 0) {
      return {
        policy: { flags: 0, ranges: [] },
        cost: ZERO_COST,
        exact: true,
        rangesNeeded: 0,
        leftOut: { read: [], write: [] },
        notes: [...notes, `${profile.id}: with no ranges everything is allowed`],
        targets: t,
      };
    }
    notes.push(`${profile.id} has no default action: a deny-list becomes an allow-list of everything else`);
    t.read = complement(t.read);
    t.write = complement(t.write);
    defaultAction = 'deny';
    t.defaultAction = 'deny';
  }
  const defaultAllow = defaultAction === 'allow';
  const maxRanges = profile.maxRanges;
  const strict = profile.rangeRules.includes('overlap-shared-flag');
  // Exact covers: impossible up front when the targets cannot fit in maxRanges full-size ranges at all.
  const tooBig = intervalsSize(t.read) > maxRanges * maxLen * 4 || intervalsSize(t.write) > maxRanges * maxLen * 4;
  if (tooBig) {
    const rangesNeeded = Math.ceil(Math.max(intervalsSize(t.read), intervalsSize(t.write)) / maxLen);
    return {
      policy: null,
      cost: ZERO_COST,
      exact: false,
      rangesNeeded,
      leftOut: { read: t.read, write: t.write },
      notes: [
        ...notes,
        `the list needs at least ${rangesNeeded} ranges of ${maxLen} MSRs; ${profile.id} takes ${maxRanges}: far too large to fit, so no nearest policy is offered`,
      ],
      targets: t,
    };
  }
  const seg = coverSegments(t.read, t.write, maxLen);
  const best =
    seg.cls.length <= SEGMENT_LIMIT ? bestMixedCover({ ...seg, maxLen, strict, stateLimit: STATE_LIMIT }) : null;
  let layers: Layers;
  let rangesNeeded: number;
  if (best) {
    layers = best.layers;
    rangesNeeded = best.cost.ranges;
  } else {
    notes.push(
      `the list has too many pieces to pack reads and writes together (${seg.cls.length} segments): each access type is packed on its own`,
    );
    layers = perTypeLayers(t, maxLen);
    rangesNeeded = layers.reduce((n, l) => n + l.length, 0);
  }
  let exact = true;
  const leftOut = { read: [] as MsrInterval[], write: [] as MsrInterval[] };
  if (rangesNeeded > maxRanges) {
    exact = false;
    const near = best ? bestMixedCover({ ...seg, maxLen, strict, budget: maxRanges, stateLimit: STATE_LIMIT }) : null;
    if (near) {
      layers = near.layers;
      leftOut.read = near.dropped.read;
      leftOut.write = near.dropped.write;
    } else {
      const p = perTypePartial(t, maxLen, maxRanges);
      layers = p.layers;
      leftOut.read = p.leftOut.read;
      leftOut.write = p.leftOut.write;
    }
    notes.push(
      `the exact policy needs ${rangesNeeded} ranges; ${profile.id} takes ${maxRanges}: this is the nearest that fits, ` +
        `which leaves ${intervalsSize(leftOut.read)} read and ${intervalsSize(leftOut.write)} write target MSR(s) at the default (${defaultAction})`,
    );
  }
  const met: PackTargets = {
    defaultAction,
    read: subtractIntervals(t.read, leftOut.read),
    write: subtractIntervals(t.write, leftOut.write),
  };
  const ranges = buildRanges(layers, met, defaultAllow, profile.x2apicExempt);
  const policy: FilterPolicy = { flags: defaultAllow ? 0 : KVM_MSR_FILTER_DEFAULT_DENY, ranges };
  if (!defaultAllow && ranges.length === 0) {
    // DEFAULT_DENY with no range is refused (EINVAL), and the seed series allows all with no range: one 1-MSR
    // range that denies MSR 0 says "deny everything"
    policy.ranges.push({
      flags: KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
      base: 0,
      nmsrs: 1,
      bitmap: new Uint8Array(1),
      comment: 'DEFAULT_DENY needs one range',
    });
    notes.push('nothing to allow: one 1-MSR deny range, because a filter with no range would not deny anything');
  }
  const v = validatePolicy(policy, profile);
  if (v.error) {
    return {
      policy: null,
      cost: ZERO_COST,
      exact: false,
      rangesNeeded,
      leftOut,
      notes: [...notes, `internal: ${v.error.message}`],
      targets: t,
    };
  }
  return { policy, cost: policyCost(policy), exact, rangesNeeded, leftOut, notes, targets: t };
}

export interface RewriteResult {
  /** The smaller equivalent policy, or the input itself when nothing smaller exists. */
  policy: FilterPolicy;
  before: PackCost;
  after: PackCost;
  /** The rewrite was compared with the input over the whole 32-bit space for reads and writes: no difference. */
  provenEqual: boolean;
  notes: string[];
}

function targetsFromEffective(
  read: readonly PolicyInterval[],
  write: readonly PolicyInterval[],
  defaultAllow: boolean,
): PackTargets {
  const pick = (ivs: readonly PolicyInterval[]) =>
    normalizeIntervals(
      ivs
        .filter((iv) => iv.cause !== 'x2apic' && iv.allowed !== defaultAllow)
        .map((iv) => [iv.start, iv.end] as MsrInterval),
    );
  return { defaultAction: defaultAllow ? 'allow' : 'deny', read: pick(read), write: pick(write) };
}

/**
 * Rewrites a policy into an equivalent one with the fewest ranges, then bitmap bytes. The candidate is offered
 * only after the effective-policy comparison finds no difference with the input; otherwise the input is kept.
 */
export function rewritePolicy(policy: FilterPolicy, profile: KernelProfile): RewriteResult {
  const before = policyCost(policy);
  const view = effectiveView(profile, policy);
  if (view.error) {
    return {
      policy,
      before,
      after: before,
      provenEqual: false,
      notes: [`not rewritten: the kernel refuses it (${view.error.errno}: ${view.error.message})`],
    };
  }
  const defaults = profile.hasDefaultAction ? [false, true] : [false];
  let best: FilterPolicy | null = null;
  let bestCost = before;
  for (const defaultAllow of defaults) {
    const t = targetsFromEffective(view.read, view.write, defaultAllow);
    const limit = profile.maxRanges * maxRangeMsrs(profile);
    if (intervalsSize(t.read) > limit || intervalsSize(t.write) > limit) continue;
    const out = packTargets(t, profile);
    if (!out.exact || !out.policy) continue;
    if (compareCost(out.cost, bestCost) < 0) {
      best = out.policy;
      bestCost = out.cost;
    }
  }
  if (!best) return { policy, before, after: before, provenEqual: true, notes: ['already as small as it can be'] };
  if (policy.name !== undefined) best.name = policy.name;
  return offerRewrite(policy, best, profile);
}

/**
 * Offers a candidate rewrite of a policy only once the effective-policy comparison finds no difference between
 * them over the whole 32-bit space, for reads and writes; otherwise the input is kept (provenEqual false).
 */
export function offerRewrite(policy: FilterPolicy, candidate: FilterPolicy, profile: KernelProfile): RewriteResult {
  const before = policyCost(policy);
  const after = policyCost(candidate);
  const cmp = comparePolicies(profile, policy, profile, candidate);
  if (cmp.a.error || cmp.b.error || cmp.differences.length > 0) {
    const d = cmp.differences[0];
    return {
      policy,
      before,
      after: before,
      provenEqual: false,
      notes: [
        `not rewritten: the candidate was not equivalent${d ? ` (${d.type} ${describeIntervals([[d.start, d.end]])} differs)` : cmp.b.error ? ` (${cmp.b.error.errno}: ${cmp.b.error.message})` : ''}`,
      ],
    };
  }
  return {
    policy: candidate,
    before,
    after,
    provenEqual: true,
    notes: [
      `${before.ranges} → ${after.ranges} ranges, ${before.kernelBytes} → ${after.kernelBytes} bitmap bytes; ` +
        `no difference with the input over 0x0-0xffffffff for reads and writes (${profile.id})`,
    ],
  };
}
