import { describe, expect, it } from 'vitest';
import type { AccessType } from '../constants';
import type { FilterPolicy } from '../policy/types';
import { PROFILE_IDS, PROFILES } from '../profiles/profiles';
import type { ProfileId } from '../profiles/types';
import { DEFAULT_DENY, policy, R, RW, range, W } from '../test-support/builders';
import { accessTypeFlag, decidingPolicyRange, decisionAllowed, filterDecision } from './evaluate';
import { installPolicy } from './install';

function decide(profileId: ProfileId, p: FilterPolicy | null, index: number, type: AccessType) {
  const profile = PROFILES[profileId];
  const installed = p === null ? null : installPolicy(profile, null, p);
  if (installed?.errno) throw new Error(`policy refused: ${installed.errno}`);
  const f = installed?.installed ?? null;
  const d = filterDecision(profile, f, index, accessTypeFlag(type));
  return { allowed: decisionAllowed(d), range: decidingPolicyRange(f, d) };
}

const MERGED: ProfileId[] = ['linux-5.10', 'linux-5.12', 'linux-5.13', 'linux-5.19', 'linux-6.12'];

// kvm-msr-filter.md section 5, T6: derived conformance vectors E1-E10, for every merged-API profile.
describe.each(MERGED)('evaluation vectors E1-E10 (%s)', (profile) => {
  it('E1: no filter installed allows any access', () => {
    for (const i of [0, 0x10, 0xc0000080, 0xffffffff]) expect(decide(profile, null, i, 'read').allowed).toBe(true);
  });
  it('E2: DEFAULT_DENY with an all-allow 0..0x3000 range denies 0xC0000080 (no range)', () => {
    const p = policy(DEFAULT_DENY, [range(RW, 0, 0x3000, { all: true })]);
    expect(decide(profile, p, 0xc0000080, 'read')).toEqual({ allowed: false, range: null });
    expect(decide(profile, p, 0x10, 'read')).toEqual({ allowed: true, range: 0 });
  });
  it('E3: x2APIC EOI 0x80B is allowed even under DEFAULT_DENY with an all-deny range', () => {
    const p = policy(DEFAULT_DENY, [range(RW, 0, 0x3000)]);
    expect(decide(profile, p, 0x80b, 'read')).toEqual({ allowed: true, range: null });
    expect(decide(profile, p, 0x7ff, 'read')).toEqual({ allowed: false, range: 0 });
  });
  it('E4: the first matching range wins', () => {
    const p = policy(0, [range(RW, 0x10, 1, { allow: [0] }), range(RW, 0x10, 1)]);
    expect(decide(profile, p, 0x10, 'write')).toEqual({ allowed: true, range: 0 });
  });
  it('E5: a READ-only range does not claim a write: default allow', () => {
    expect(decide(profile, policy(0, [range(R, 0x10, 1)]), 0x10, 'write')).toEqual({ allowed: true, range: null });
  });
  it('E6: a READ-only range does not claim a write: default deny', () => {
    const p = policy(DEFAULT_DENY, [range(R, 0x10, 1, { allow: [0] })]);
    expect(decide(profile, p, 0x10, 'write')).toEqual({ allowed: false, range: null });
  });
  it('E7: a WRITE-only range is skipped for a read; the next range denies', () => {
    const p = policy(0, [range(W, 0x10, 1, { allow: [0] }), range(RW, 0x10, 1)]);
    expect(decide(profile, p, 0x10, 'read')).toEqual({ allowed: false, range: 1 });
  });
  it('E8: a range that wraps past 0xffffffff never matches', () => {
    expect(decide(profile, policy(0, [range(RW, 0xffffffff, 1)]), 0xffffffff, 'read')).toEqual({
      allowed: true,
      range: null,
    });
  });
  it('E9: ranges are half-open: base + nmsrs is outside', () => {
    const p = policy(0, [range(RW, 0, 10)]);
    expect(decide(profile, p, 0xa, 'read').allowed).toBe(true);
    expect(decide(profile, p, 0x9, 'read')).toEqual({ allowed: false, range: 0 });
  });
  it('E10: a range covering x2APIC MSRs is ignored for them', () => {
    expect(decide(profile, policy(0, [range(R, 0x800, 0x100)]), 0x802, 'read')).toEqual({ allowed: true, range: null });
  });
});

describe('allowlist-v4: the seed series', () => {
  const profile = PROFILES['allowlist-v4'];
  const install = (p: FilterPolicy) => installPolicy(profile, null, p);

  it('the 11th range gets E2BIG and the first ten stay installed', () => {
    const ranges = Array.from({ length: 11 }, (_, i) => range(RW, i * 0x10, 1, { all: true }));
    const out = install(policy(0, ranges));
    expect(out.errno).toBe('E2BIG');
    expect(out.error?.range).toBe(10);
    expect(out.installed?.count).toBe(10);
  });
  it('ranges that overlap and share a flag are refused with EINVAL', () => {
    const out = install(policy(0, [range(RW, 0x10, 0x10), range(R, 0x18, 4)]));
    expect(out.errno).toBe('EINVAL');
    expect(out.error?.rule).toBe('overlap-shared-flag');
    expect(out.error?.message).toContain('ranges[0]');
  });
  it('a READ-only and a WRITE-only range over the same MSRs are accepted', () => {
    const out = install(policy(0, [range(R, 0x10, 0x10), range(W, 0x10, 0x10, { all: true })]));
    expect(out.errno).toBeNull();
    expect(out.installed?.count).toBe(2);
  });
  it('no ranges allows everything', () => {
    const f = install(policy(0, [])).installed;
    expect(decisionAllowed(filterDecision(profile, f, 0x10, 1))).toBe(true);
    expect(decisionAllowed(filterDecision(profile, f, 0xc0000080, 2))).toBe(true);
  });
  it('an MSR no range covers is denied once any range exists', () => {
    const f = install(policy(0, [range(RW, 0x10, 1, { all: true })])).installed;
    expect(decisionAllowed(filterDecision(profile, f, 0x10, 1))).toBe(true);
    expect(decisionAllowed(filterDecision(profile, f, 0x11, 1))).toBe(false);
  });
  it('a denied access is -ENOENT, which exits with the UNKNOWN reason (there is no FILTER reason yet)', () => {
    expect(profile.deniedCode).toBe('-ENOENT');
    expect(profile.deniedExitReason).toBe('unknown');
  });
  it('x2APIC MSRs are not exempt before 5.10', () => {
    const f = install(policy(0, [range(RW, 0x10, 1, { all: true })])).installed;
    expect(decisionAllowed(filterDecision(profile, f, 0x80b, 1))).toBe(false);
  });
  it('bitmaps larger than 0x600 bytes are refused with EINVAL', () => {
    expect(install(policy(0, [range(R, 0, 0x3001)])).errno).toBe('EINVAL');
    expect(install(policy(0, [range(R, 0, 0x3000)])).errno).toBeNull();
  });
});

// Section 5, ioctl validation V1-V12 for the newest kernel, and the brackets for older ones.
describe('validation vectors V1-V12', () => {
  const errnoOf = (profile: ProfileId, p: FilterPolicy) => installPolicy(PROFILES[profile], null, p).errno;
  const empty = (flags: number) => policy(flags, []);
  it('V1: DEFAULT_DENY with every nmsrs 0 is EINVAL (all merged profiles)', () => {
    for (const p of MERGED) expect(errnoOf(p, empty(DEFAULT_DENY))).toBe('EINVAL');
    for (const p of MERGED) expect(errnoOf(p, policy(DEFAULT_DENY, [range(0xff, 0, 0)]))).toBe('EINVAL');
  });
  it('V2: DEFAULT_ALLOW with every nmsrs 0 is accepted and filters nothing', () => {
    for (const p of MERGED) {
      expect(errnoOf(p, empty(0))).toBeNull();
      expect(decide(p, empty(0), 0x10, 'read').allowed).toBe(true);
    }
  });
  it('V3: filter flags 0x2 is EINVAL from 6.0, accepted (as allow) before', () => {
    const p = policy(2, [range(R, 0x10, 1)]);
    expect(errnoOf('linux-6.12', p)).toBe('EINVAL');
    expect(errnoOf('linux-5.19', p)).toBe('EINVAL');
    expect(errnoOf('linux-5.12', p)).toBeNull();
    expect(errnoOf('linux-5.10', p)).toBeNull();
    expect(decide('linux-5.10', p, 0x11, 'read').allowed).toBe(true);
  });
  it('V4/V5: range flags 0 or 0x4 are EINVAL', () => {
    for (const p of MERGED) {
      expect(errnoOf(p, policy(0, [range(0, 0x10, 1)]))).toBe('EINVAL');
      expect(errnoOf(p, policy(0, [range(4, 0x10, 1)]))).toBe('EINVAL');
    }
  });
  it('V6: a range with nmsrs 0 and garbage flags is ignored', () => {
    for (const p of MERGED) expect(errnoOf(p, policy(0, [range(0xff, 0x123, 0), range(R, 0x10, 1)]))).toBeNull();
  });
  it('V7/V8: nmsrs 0x3000 is accepted, 0x3001 is EINVAL', () => {
    for (const p of MERGED) {
      expect(errnoOf(p, policy(0, [range(R, 0, 0x3000)]))).toBeNull();
      expect(errnoOf(p, policy(0, [range(R, 0, 0x3001)]))).toBe('EINVAL');
    }
  });
  it('V10: ranges[1] invalid: 5.12+ keep the previous filter; 5.10 installs the default action and ranges[0]', () => {
    const old = policy(0, [range(RW, 0x20, 1)]);
    const bad = policy(DEFAULT_DENY, [range(RW, 0x10, 1, { all: true }), range(4, 0x30, 1)]);
    for (const id of ['linux-5.12', 'linux-5.19', 'linux-6.12'] as ProfileId[]) {
      const profile = PROFILES[id];
      const first = installPolicy(profile, null, old).installed;
      const out = installPolicy(profile, first, bad);
      expect(out.errno).toBe('EINVAL');
      expect(out.installed).toBe(first);
    }
    const p510 = PROFILES['linux-5.10'];
    const first = installPolicy(p510, null, old).installed;
    const out = installPolicy(p510, first, bad);
    expect(out.errno).toBe('EINVAL');
    expect(out.installed?.count).toBe(1);
    expect(out.installed?.defaultAllow).toBe(false);
    expect(decisionAllowed(filterDecision(p510, out.installed, 0x20, 1))).toBe(false);
    expect(decisionAllowed(filterDecision(p510, out.installed, 0x10, 1))).toBe(true);
  });
  it('V10 in 5.10: when ranges[0] itself fails, count 0 means everything is allowed', () => {
    const p510 = PROFILES['linux-5.10'];
    const out = installPolicy(p510, null, policy(DEFAULT_DENY, [range(4, 0x30, 1)]));
    expect(out.errno).toBe('EINVAL');
    expect(decisionAllowed(filterDecision(p510, out.installed, 0x99, 1))).toBe(true);
  });
  it('V11: a 17th range cannot be passed', () => {
    const ranges = Array.from({ length: 17 }, (_, i) => range(R, i, 1));
    const out = installPolicy(PROFILES['linux-6.12'], null, policy(0, ranges));
    expect(out.errno).not.toBeNull();
    expect(out.error?.range).toBe(16);
  });
  it('V12: overlapping ranges with the same flags are accepted; first wins', () => {
    const p = policy(0, [range(RW, 0x10, 0x10, { all: true }), range(RW, 0x10, 0x10)]);
    for (const id of MERGED) {
      expect(errnoOf(id, p)).toBeNull();
      expect(decide(id, p, 0x15, 'read')).toEqual({ allowed: true, range: 0 });
    }
  });
  it('a range with bad flags and a bad size: 5.10-5.12 refuse its size, 5.13 on (aca352886ebd) its flags', () => {
    const both = policy(0, [range(4, 0, 0x3001)]);
    const rule = (id: ProfileId) => installPolicy(PROFILES[id], null, both).error?.rule;
    expect(rule('linux-5.10')).toBe('bitmap-size');
    expect(rule('linux-5.12')).toBe('bitmap-size');
    for (const id of ['linux-5.13', 'linux-5.19', 'linux-6.12'] as ProfileId[])
      expect(rule(id), id).toBe('flags-valid');
    for (const id of MERGED) expect(errnoOf(id, both)).toBe('EINVAL');
  });
  it('every error names its range and rule', () => {
    const out = installPolicy(PROFILES['linux-6.12'], null, policy(0, [range(R, 0, 1), range(R, 0, 0x3001)]));
    expect(out.error?.message).toMatch(/^ranges\[1\]: nmsrs 12289/);
    expect(out.error?.rule).toBe('bitmap-size');
  });
});

describe('profiles are data', () => {
  it('every profile id resolves', () => {
    for (const id of PROFILE_IDS) expect(PROFILES[id].id).toBe(id);
  });
});
