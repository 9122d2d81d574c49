import { describe, expect, it } from 'vitest';
import { rangeSummary } from './RangeRow';

describe('the line under a range', () => {
  it('names the MSRs covered and how many are allowed', () => {
    expect(rangeSummary({ base: 0xc0000080, nmsrs: 64 }, 11)).toMatch(
      /^MSRs 0x0*c0000080–0x0*c00000bf \(64 MSRs\), 11 allowed$/,
    );
    expect(rangeSummary({ base: 0xfffffe00, nmsrs: 0x100 }, 3)).toMatch(/–0x0*fffffeff \(256 MSRs\), 3 allowed$/);
  });

  it('says so for a range that wraps past 0xffffffff, one too large for the bitmap, and nmsrs 0', () => {
    expect(rangeSummary({ base: 0xffffffff, nmsrs: 512 }, 507)).toMatch(
      /^512 MSRs from 0x0*ffffffff: .*matches nothing$/,
    );
    // ending exactly at 0x100000000 wraps too: the kernel's end is a u32
    expect(rangeSummary({ base: 0xffffff00, nmsrs: 0x100 }, 256)).toMatch(/reaches 0x100000000.*matches nothing$/);
    expect(rangeSummary({ base: 0, nmsrs: 0x3001 }, null)).toMatch(/\(12289 MSRs\): more than the bitmap can hold$/);
    expect(rangeSummary({ base: 0x10, nmsrs: 0 }, 0)).toBe('No MSRs (nmsrs 0): the kernel skips this range');
  });
});
