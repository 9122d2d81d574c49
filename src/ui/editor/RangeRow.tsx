import { memo, useMemo } from 'react';
import {
  type FilterRange,
  hexShort,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
  msrName,
  rangeWraps,
} from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { usePerform } from '../actions/hooks';
import { parseMsrText, parseU32Text } from '../state/parse';
import { setRangeAccess } from '../state/policy-edit';
import { allowedCount, fmtDec, fmtHex } from './format';
import { ParsedField } from './ParsedField';

interface Props {
  index: number;
  range: FilterRange;
  /** The kernel's complaint about this range, if it is the one that fails validation. */
  error: string | null;
}

const VALID_RANGE_FLAGS = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;

/** One range of the policy: base, nmsrs, READ/WRITE, raw flags, comment, and the buttons that move or copy it. */
export const RangeRow = memo(function RangeRow({ index, range, error }: Props) {
  const run = usePerform();
  const name = `ranges[${index}]`;
  const setAccess = (bit: number, on: boolean) =>
    run('range.setFlags', { index, flags: setRangeAccess(range.flags, bit, on) });
  const allowed = useMemo(() => (range.nmsrs <= 0x3000 ? allowedCount(range) : null), [range]);
  const extraFlags = range.flags & ~VALID_RANGE_FLAGS;
  const errorId = `range-${index}-error`;
  return (
    <li className={`range-row${error ? ' range-invalid' : ''}`}>
      <fieldset aria-describedby={error ? errorId : undefined}>
        <legend>{name}</legend>
        <div className="range-fields">
          <ParsedField
            label="Base"
            value={range.base}
            format={fmtHex}
            parse={parseMsrText}
            list="msr-names"
            onCommit={(base) => run('range.setBase', { index, base })}
            hint={(v) => msrName(v) ?? null}
          />
          <ParsedField
            label="nmsrs"
            value={range.nmsrs}
            format={fmtDec}
            parse={(t) => parseU32Text(t, 'a 32-bit count')}
            onCommit={(nmsrs) => run('range.setNmsrs', { index, nmsrs })}
          />
          <div className="range-access">
            <label>
              <input
                type="checkbox"
                checked={(range.flags & KVM_MSR_FILTER_READ) !== 0}
                onChange={(e) => setAccess(KVM_MSR_FILTER_READ, e.target.checked)}
              />
              READ
            </label>
            <label>
              <input
                type="checkbox"
                checked={(range.flags & KVM_MSR_FILTER_WRITE) !== 0}
                onChange={(e) => setAccess(KVM_MSR_FILTER_WRITE, e.target.checked)}
              />
              WRITE
            </label>
          </div>
          <ParsedField
            label="Flags"
            className="field-narrow"
            value={range.flags}
            format={fmtHex}
            parse={(t) => parseU32Text(t, 'a 32-bit flags value')}
            onCommit={(flags) => run('range.setFlags', { index, flags })}
            hint={() => (extraFlags ? `bits ${hexShort(extraFlags)} are not READ/WRITE` : null)}
          />
          <div className="field field-wide">
            <label htmlFor={`range-${index}-comment`}>Comment</label>
            <input
              id={`range-${index}-comment`}
              type="text"
              value={range.comment ?? ''}
              onChange={(e) => run('range.setComment', { index, comment: e.target.value })}
            />
          </div>
        </div>
        <p className="range-summary">{rangeSummary(range, allowed)}</p>
        {error ? (
          <p id={errorId} className="range-error">
            <span aria-hidden="true">✗ </span>
            Refused: {error}
          </p>
        ) : null}
        <div className="range-buttons">
          <ActionButton action="range.moveUp" params={{ index }} label={`Move ${name} up`}>
            ↑
          </ActionButton>
          <ActionButton action="range.moveDown" params={{ index }} label={`Move ${name} down`}>
            ↓
          </ActionButton>
          <ActionButton action="range.duplicate" params={{ index }} label={`Duplicate ${name}`}>
            Duplicate
          </ActionButton>
          <ActionButton action="range.fill" params={{ index, op: 'allow' }} label={`Allow all MSRs of ${name}`}>
            Allow all
          </ActionButton>
          <ActionButton action="range.fill" params={{ index, op: 'deny' }} label={`Deny all MSRs of ${name}`}>
            Deny all
          </ActionButton>
          <ActionButton action="range.remove" params={{ index }} label={`Remove ${name}`} className="danger">
            Remove
          </ActionButton>
        </div>
      </fieldset>
    </li>
  );
});

/**
 * One line under a range: the MSRs it covers and how many its bitmap allows. A range that reaches 0x100000000 never
 * matches (the kernel's u32 end wraps), and one past the bitmap limit is refused: neither has such a line.
 */
export function rangeSummary(range: { base: number; nmsrs: number }, allowed: number | null): string {
  const count = `${range.nmsrs} MSR${range.nmsrs === 1 ? '' : 's'}`;
  if (range.nmsrs === 0) return 'No MSRs (nmsrs 0): the kernel skips this range';
  if (rangeWraps(range)) {
    return `${count} from ${fmtHex(range.base)}: reaches 0x100000000, so the kernel's u32 end wraps; matches nothing`;
  }
  const span = `MSRs ${fmtHex(range.base)}–${fmtHex(range.base + range.nmsrs - 1)} (${count})`;
  return allowed === null ? `${span}: more than the bitmap can hold` : `${span}, ${allowed} allowed`;
}
