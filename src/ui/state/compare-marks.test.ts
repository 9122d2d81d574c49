import { describe, expect, it } from 'vitest';
import { fillBits, KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE } from '../../core/index';
import { firstVisitDocument } from '../first-visit';
import { compareMarks, marksOf } from './compare-marks';
import type { CompareState } from './view-slice';

const base: CompareState = {
  mode: 'policies',
  b: null,
  profileA: 'linux-5.10',
  profileB: 'linux-6.12',
  hostA: 'pvm-amd',
  hostB: 'svm',
};

describe('the compare painted on the grid', () => {
  it('marks nothing while there is no B', () => {
    const doc = firstVisitDocument();
    expect(compareMarks(doc.policy, doc.profile, base)).toEqual([]);
  });

  it('marks the bits of the ranges where A and B differ, per access type, and nothing outside the ranges', () => {
    const doc = firstVisitDocument();
    const b = structuredClone(doc.policy);
    // B allows reads of 0xc0010000..0xc0010003 (ranges[2], READ only) and of 0x35 (ranges[0], READ|WRITE)
    fillBits(b.ranges[2].bitmap, 0, 4, true);
    fillBits(b.ranges[0].bitmap, 0x35, 0x36, true);
    const marks = compareMarks(doc.policy, doc.profile, { ...base, b: { label: 'B', policy: b } });
    expect(marks).toEqual(
      expect.arrayContaining([
        { range: 2, from: 0, to: 4 },
        { range: 0, from: 0x35, to: 0x36 },
      ]),
    );
    // 0x35 differs for reads and writes: marked once
    expect(marks.filter((m) => m.range === 0)).toHaveLength(1);
  });

  it('skips a range that does not filter the access type that differs', () => {
    const policy = {
      flags: 0,
      ranges: [{ flags: KVM_MSR_FILTER_WRITE, base: 0x10, nmsrs: 8, bitmap: new Uint8Array(1) }],
    };
    const read = {
      type: 'read' as const,
      start: 0x10,
      end: 0x12,
      a: { allowed: true, cause: 'default' as const, range: null },
      b: { allowed: false, cause: 'default' as const, range: null },
    };
    expect(marksOf(policy, [read])).toEqual([]);
    expect(marksOf({ ...policy, ranges: [{ ...policy.ranges[0], flags: KVM_MSR_FILTER_READ }] }, [read])).toEqual([
      { range: 0, from: 0, to: 2 },
    ]);
  });
});
