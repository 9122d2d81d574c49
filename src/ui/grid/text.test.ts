import { describe, expect, it } from 'vitest';
import { KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE } from '../../core/index';
import { describeCell, describeSelection, headerText, resolveJump } from './text';

const ranges = [
  { flags: KVM_MSR_FILTER_READ, base: 0, nmsrs: 0x100, bitmap: Uint8Array.of(0, 0, 0b1) },
  { flags: KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE, base: 0, nmsrs: 0x2000, bitmap: new Uint8Array(0) },
  { flags: 8, base: 0xc000_0080, nmsrs: 4, bitmap: Uint8Array.of(0xf), comment: 'EFER and friends' },
];

describe('describeCell', () => {
  it('names the MSR, its range and bit, and its state in words', () => {
    expect(describeCell(ranges, 0, 16)).toBe('MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed');
    expect(describeCell(ranges, 0, 0x13)).toBe('MSR 0x00000013, range 0 bit 19, denied');
    expect(describeCell(ranges, 2, 0)).toBe('MSR 0xc0000080 IA32_EFER, range 2 bit 0, allowed');
    expect(describeCell(ranges, 9, 0)).toBe('');
  });

  it('sums up a selection', () => {
    expect(describeSelection(ranges, { range: 0, from: 16, to: 20 })).toBe(
      'selected 4 MSRs 0x00000010–0x00000013 in range 0, 1 allowed',
    );
  });
});

describe('headerText', () => {
  it('shows index, base–end, flags, size and comment', () => {
    expect(headerText(ranges[0], 0)).toBe('Range 0 · 0x00000000–0x000000ff · READ · 256 MSRs');
    expect(headerText(ranges[2], 2)).toBe(
      'Range 2 · 0xc0000080–0xc0000083 · flags 0x00000008 · 4 MSRs · EFER and friends',
    );
    expect(headerText({ flags: 1, base: 5, nmsrs: 0, bitmap: new Uint8Array() }, 1)).toBe(
      'Range 1 · 0x00000005 (empty) · READ · 0 MSRs',
    );
    expect(headerText({ flags: 1, base: 0, nmsrs: 0x4000, bitmap: new Uint8Array() }, 0)).toContain(
      'first 12288 shown',
    );
  });
});

describe('resolveJump', () => {
  it('takes names with or without the IA32_ prefix, hex and decimal', () => {
    expect(resolveJump(ranges, 'IA32_TSC')).toEqual({ ok: true, index: 0x10, range: 0, bit: 16, name: 'IA32_TSC' });
    expect(resolveJump(ranges, ' tsc ')).toMatchObject({ ok: true, index: 0x10 });
    expect(resolveJump(ranges, '0x10')).toMatchObject({ ok: true, index: 0x10, range: 0, bit: 16 });
    expect(resolveJump(ranges, '16')).toMatchObject({ ok: true, index: 16 });
    expect(resolveJump(ranges, 'efer')).toMatchObject({ ok: true, range: 2, bit: 0 });
  });

  it('uses the first range that covers the MSR', () => {
    expect(resolveJump(ranges, '0x1000')).toMatchObject({ ok: true, range: 1, bit: 0x1000 });
  });

  it('explains what it cannot find', () => {
    expect(resolveJump(ranges, '')).toMatchObject({ ok: false });
    expect(resolveJump(ranges, 'NOT_AN_MSR')).toEqual({ ok: false, error: 'No MSR is called "NOT_AN_MSR".' });
    expect(resolveJump(ranges, '0xc0000100')).toEqual({
      ok: false,
      error: 'MSR 0xc0000100 MSR_FS_BASE is not in any range.',
    });
    expect(resolveJump(ranges, '99999999999')).toMatchObject({ ok: false });
  });
});
