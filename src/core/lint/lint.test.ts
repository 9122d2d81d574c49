import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveView } from '../effective/policy-effects';
import { policyToC, policyToRust } from '../export/index';
import { validatePolicy } from '../filter/validate';
import type { FilterPolicy, FilterRange } from '../policy/types';
import { PROFILES } from '../profiles/profiles';
import { policyArb } from '../test-support/arbitraries';
import { lintExportedSource } from './export-buffers';
import { type LintRuleId, lintPolicy, shadowedRanges } from './lint';
import { LINUX_BOOT_MSRS_ORIGIN } from './linux-boot-msrs';

const p612 = PROFILES['linux-6.12'];
const range = (base: number, nmsrs: number, flags = 3, allow = true): FilterRange => ({
  flags,
  base,
  nmsrs,
  bitmap: new Uint8Array(Math.ceil(nmsrs / 8)).fill(allow ? 0xff : 0),
});
const rules = (policy: FilterPolicy, profile = p612, exits?: bigint | null) =>
  lintPolicy(policy, profile, exits === undefined ? {} : { exits }).map((f) => `${f.rule}:${f.severity}:${f.range}`);
const has = (list: string[], rule: LintRuleId, severity?: string) =>
  list.some((r) => r.startsWith(`${rule}:${severity ?? ''}`));

describe('lint rules', () => {
  it('kernel-refuses: names the errno and range', () => {
    const f = lintPolicy({ flags: 0, ranges: [range(0x10, 0x4000)] }, p612);
    expect(f[0]).toMatchObject({ rule: 'kernel-refuses', severity: 'error', range: 0 });
    expect(f[0].message).toMatch(/^ranges\[0\]: EINVAL/);
  });

  it('x2apic-range: a range that denies x2APIC MSRs is a warning with the bit; allowing them only info', () => {
    const deny = lintPolicy({ flags: 0, ranges: [range(0x800, 16, 3, false)] }, p612);
    expect(deny.find((f) => f.rule === 'x2apic-range')).toMatchObject({ severity: 'warning', range: 0, bit: 0 });
    expect(has(rules({ flags: 0, ranges: [range(0x7f0, 32, 3, true)] }), 'x2apic-range', 'info')).toBe(true);
    expect(
      has(rules({ flags: 0, ranges: [range(0x800, 16, 3, false)] }, PROFILES['allowlist-v4']), 'x2apic-range'),
    ).toBe(false);
    expect(has(rules({ flags: 0, ranges: [range(0x10, 16, 3, false)] }), 'x2apic-range')).toBe(false);
  });

  it('shadowed-range: a range whose MSRs earlier ranges already decide', () => {
    const policy = { flags: 0, ranges: [range(0x10, 64, 3, false), range(0x20, 8, 1, true)] };
    expect(lintPolicy(policy, p612).find((f) => f.rule === 'shadowed-range')).toMatchObject({
      range: 1,
      severity: 'warning',
    });
    // a range of x2APIC MSRs only decides nothing either, and says why
    const x2 = lintPolicy({ flags: 0, ranges: [range(0x800, 64, 2, false)] }, p612).find(
      (f) => f.rule === 'shadowed-range',
    );
    expect(x2?.message).toMatch(
      /^ranges\[0\]: decides nothing for WRITE: what earlier ranges leave of it is x2APIC MSRs/,
    );
    // a READ range earlier does not shadow a WRITE range over the same MSRs
    expect(has(rules({ flags: 0, ranges: [range(0x10, 64, 1), range(0x20, 8, 2)] }), 'shadowed-range')).toBe(false);
  });

  it('deny-without-exit: a warning when the exit mask lacks FILTER, info for a bare policy, nothing with it', () => {
    const policy = { flags: 0, ranges: [range(0x10, 1, 3, false)] };
    expect(has(rules(policy, p612, null), 'deny-without-exit', 'warning')).toBe(true);
    expect(has(rules(policy, p612, 2n), 'deny-without-exit', 'warning')).toBe(true);
    expect(has(rules(policy), 'deny-without-exit', 'info')).toBe(true);
    expect(has(rules(policy, p612, 4n), 'deny-without-exit')).toBe(false);
  });

  it('denies-boot-msr: DEFAULT_DENY that misses boot MSRs, not once they are allowed', () => {
    const narrow = { flags: 1, ranges: [range(0x10, 1)] };
    const f = lintPolicy(narrow, p612).find((x) => x.rule === 'denies-boot-msr');
    expect(f?.message).toMatch(/0x0000001b/);
    // the message says which list it used and where it comes from
    expect(f?.message).toContain(`(list: ${LINUX_BOOT_MSRS_ORIGIN})`);
    expect(LINUX_BOOT_MSRS_ORIGIN).toMatch(/recorded boots .*oracle\/trace\/fixtures/);
    const wide = {
      flags: 1,
      ranges: [range(0, 0x3000), range(0xc0000000, 0x3000), range(0xc0010000, 0x3000), range(0x4b564d00, 64)],
    };
    expect(has(rules(wide), 'denies-boot-msr')).toBe(false);
  });

  it('unfilterable-access: TSC_AUX via RDTSCP, host accesses, nested VM-entry lists on 6.0', () => {
    const tscAux = { flags: 0, ranges: [range(0xc0000103, 1, 1, false)] };
    const msgs = lintPolicy(tscAux, p612)
      .filter((f) => f.rule === 'unfilterable-access')
      .map((f) => f.message)
      .join('\n');
    expect(msgs).toMatch(/RDTSCP/);
    expect(msgs).toMatch(/host-initiated/);
    expect(msgs).not.toMatch(/load\/store lists/);
    const on60 = lintPolicy(tscAux, PROFILES['linux-5.19'])
      .map((f) => f.message)
      .join('\n');
    expect(on60).toMatch(/load\/store lists bypass the filter/);
    expect(has(rules({ flags: 0, ranges: [range(0x10, 1, 3, true)] }), 'unfilterable-access')).toBe(false);
    // nested VM-entry/VM-exit load EFER and PAT through VMCS/VMCB fields, whatever the filter says
    const efer = lintPolicy({ flags: 0, ranges: [range(0xc0000080, 1, 2, false)] }, p612)
      .filter((x) => x.rule === 'unfilterable-access')
      .map((x) => x.message)
      .join('\n');
    expect(efer).toMatch(/denies WRMSR of 0xc0000080 EFER, which nested VM-entry\/VM-exit loads/);
    expect(efer).not.toMatch(/TSC_DEADLINE/);
    // kvm_intel's VM-exit fastpath writes TSC_DEADLINE past the filter; reads are filtered
    const deadline = (flags: number) =>
      lintPolicy({ flags: 0, ranges: [range(0x6e0, 1, flags, false)] }, p612)
        .map((x) => x.message)
        .join('\n');
    expect(deadline(2)).toMatch(/denies WRMSR of 0x6e0 IA32_TSC_DEADLINE, but on kvm_intel the VM-exit fastpath/);
    expect(deadline(1)).not.toMatch(/TSC_DEADLINE/);
  });

  it('profile-difference: flags another kernel refuses', () => {
    const policy = { flags: 2, ranges: [range(0x10, 1, 3, false)] };
    const f = lintPolicy(policy, PROFILES['linux-5.10']).filter((x) => x.rule === 'profile-difference');
    expect(f.map((x) => x.message).join('\n')).toMatch(/linux-5\.19 refuses/);
    expect(has(rules({ flags: 0, ranges: [range(0x10, 1, 3, false)] }), 'profile-difference', 'warning')).toBe(false);
  });

  it('profile-difference: names the profiles and the MSRs that behave differently', () => {
    // DEFAULT_DENY with x2APIC MSRs in it: linux-6.12 never filters 0x800-0x8ff, the allow-list series does
    const policy = { flags: 1, ranges: [range(0x10, 1), range(0x800, 8, 3, false)] };
    const f = lintPolicy(policy, p612).filter((x) => x.rule === 'profile-difference');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'info', range: 1, bit: 0 });
    expect(f[0].message).toMatch(
      /^ranges\[1\]: linux-6\.12 and allowlist-v4 differ on 4 span\(s\): READ 0x00000800-0x00000807 allowed \(x2apic\) on linux-6\.12, denied \(ranges\[1\]\) on allowlist-v4; READ 0x00000808-0x000008ff allowed \(x2apic\) on linux-6\.12, denied \(default\) on allowlist-v4; /,
    );
    // and the merged kernels agree with one another on it: no warning
    expect(lintPolicy(policy, p612).some((x) => x.rule === 'profile-difference' && x.severity === 'warning')).toBe(
      false,
    );
  });

  it('short-bitmap-buffer: a 1-byte buffer for a 1-MSR range (hyperlight), not our own exports', () => {
    const c =
      'static __u8 deny[1] = {0};\nstruct kvm_msr_filter f = { .ranges = { [0] = { .flags = 1, .nmsrs = 1, .base = 0x10, .bitmap = deny } } };';
    expect(lintExportedSource(c)).toMatchObject([{ rule: 'short-bitmap-buffer', severity: 'error', range: 0 }]);
    const rust =
      'let bitmap = [0u8; 1];\nlet r = kvm_msr_filter_range { flags: 1, nmsrs: 1, base: 0x10, bitmap: bitmap.as_ptr() as *mut u8 };';
    expect(lintExportedSource(rust)).toHaveLength(1);
    const policy = { flags: 0, ranges: [range(0x10, 1, 3, false), range(0xc0000080, 100, 1, false)] };
    for (const src of [policyToC(policy), policyToRust(policy)]) {
      expect(typeof src).toBe('string');
      expect(lintExportedSource(src)).toEqual([]);
    }
  });
});

describe('lint shadowing agrees with the effective policy', () => {
  it('a range is flagged for a type exactly when no MSR of that type is decided by it', () => {
    fc.assert(
      fc.property(policyArb({ validOnly: true }), (policy) => {
        if (validatePolicy(policy, p612).error) return;
        const view = effectiveView(p612, policy);
        const shadowed = shadowedRanges(p612, policy);
        policy.ranges.forEach((r, i) => {
          for (const type of ['read', 'write'] as const) {
            if (!(r.flags & (type === 'read' ? 1 : 2))) continue;
            const decides = view[type].some((iv) => iv.range === i);
            const flagged = shadowed.some((s) => s.range === i && s.types.includes(type));
            expect(flagged).toBe(!decides);
          }
        });
      }),
      { numRuns: 300, seed: 21 },
    );
  });
});
