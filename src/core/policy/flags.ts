import {
  EXIT_REASON_BIT,
  type ExitReason,
  KVM_MSR_FILTER_DEFAULT_DENY,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
} from '../constants';
import { InputError } from '../errors';
import { parseU32, parseU64 } from '../numbers';

const RANGE_FLAG_NAMES: Record<string, number> = { READ: KVM_MSR_FILTER_READ, WRITE: KVM_MSR_FILTER_WRITE };
const FILTER_FLAG_NAMES: Record<string, number> = { DEFAULT_ALLOW: 0, DEFAULT_DENY: KVM_MSR_FILTER_DEFAULT_DENY };

/** A `|`-joined string with at least one name in it (a plain number, even in hex, is not symbolic). */
function isSymbolic(v: unknown): v is string {
  return typeof v === 'string' && (v.includes('|') || (/[A-Za-z_]/.test(v) && !/^0[xX][0-9a-fA-F]+$/.test(v.trim())));
}

/** One part of a `|`-joined value written as a number ("READ|0x4"): raw bits stay representable. */
function isNumericPart(raw: string): boolean {
  return /^\s*(?:[0-9]+|0[xX][0-9a-fA-F]+)\s*$/.test(raw);
}

function parseSymbolic(v: unknown, place: string, names: Record<string, number>): number {
  if (isSymbolic(v)) {
    let out = 0;
    for (const raw of v.split('|')) {
      if (isNumericPart(raw)) {
        out |= parseU32(raw, place, 'a 32-bit flags value');
        continue;
      }
      const name = raw
        .trim()
        .toUpperCase()
        .replace(/^KVM_MSR_FILTER_/, '');
      if (!Object.hasOwn(names, name)) {
        throw new InputError(
          place,
          `unknown flag ${JSON.stringify(raw.trim())} (known: ${Object.keys(names).join(', ')})`,
        );
      }
      out |= names[name];
    }
    return out >>> 0;
  }
  return parseU32(v, place, 'a 32-bit flags value');
}

export function parseRangeFlags(v: unknown, place: string): number {
  return parseSymbolic(v, place, RANGE_FLAG_NAMES);
}

export function parseFilterFlags(v: unknown, place: string): number {
  return parseSymbolic(v, place, FILTER_FLAG_NAMES);
}

export function rangeFlagsToString(flags: number): string | number {
  if (flags === KVM_MSR_FILTER_READ) return 'READ';
  if (flags === KVM_MSR_FILTER_WRITE) return 'WRITE';
  if (flags === (KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE)) return 'READ|WRITE';
  return flags;
}

export function filterFlagsToString(flags: number): string | number {
  if (flags === 0) return 'DEFAULT_ALLOW';
  if (flags === KVM_MSR_FILTER_DEFAULT_DENY) return 'DEFAULT_DENY';
  return flags;
}

/**
 * Exit reasons: an array of names (`filter`, `unknown`, `inval`), a `|`-joined string, or a number.
 * A bigint, because KVM_ENABLE_CAP's args[0] is 64 bits wide and the kernel checks all of them.
 */
export function parseExitMask(v: unknown, place: string): bigint {
  if (Array.isArray(v)) {
    let out = 0n;
    v.forEach((item, i) => {
      out |= parseExitMask(item, `${place}[${i}]`);
    });
    return out;
  }
  if (isSymbolic(v)) {
    let out = 0n;
    for (const raw of v.split('|')) {
      if (isNumericPart(raw)) {
        out |= parseU64(raw, place);
        continue;
      }
      const name = raw
        .trim()
        .toLowerCase()
        .replace(/^kvm_msr_exit_reason_/, '');
      if (!Object.hasOwn(EXIT_REASON_BIT, name)) {
        throw new InputError(
          place,
          `unknown exit reason ${JSON.stringify(raw.trim())} (known: filter, unknown, inval)`,
        );
      }
      out |= BigInt(EXIT_REASON_BIT[name as ExitReason]);
    }
    return out;
  }
  return parseU64(v, place);
}

export function exitMaskToNames(mask: bigint): ExitReason[] | string {
  if (mask & ~7n) return `0x${mask.toString(16)}`;
  return (Object.keys(EXIT_REASON_BIT) as ExitReason[]).filter((r) => (Number(mask) & EXIT_REASON_BIT[r]) !== 0);
}
