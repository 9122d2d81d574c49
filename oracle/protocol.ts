/**
 * The line protocol of oracle/kvm-oracle.c (oracle/README.md): building command lines and reading responses.
 * Pure: no processes, no files.
 */
import type { FilterPolicy, VmmReply } from '../src/core/index';

/** The kernel's struct kvm_msr_filter holds this many ranges; a policy with more cannot be passed. */
export const KERNEL_MAX_RANGES = 16;
/** The largest bitmap the helper hands the kernel per range (it rejects more than 0x600 before copying). */
const HELPER_BITMAP_CAP = 0x700;

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** `error` or `data:0x...`: how the helper answers a user-space exit that is in the user's mask. */
export function replyArg(reply: VmmReply): string {
  return reply.error ? 'error' : `data:${hex(reply.data)}`;
}

function bitmapArg(bitmap: Uint8Array, nmsrs: number): string {
  const need = Math.min(bitmap.length, Math.ceil(Math.min(nmsrs, HELPER_BITMAP_CAP * 8) / 8));
  let end = need;
  while (end > 0 && bitmap[end - 1] === 0) end--;
  if (end === 0) return '-';
  let out = '';
  for (let i = 0; i < end; i++) out += bitmap[i].toString(16).padStart(2, '0');
  return out;
}

/** The lines of one `filter` command (a block), or `filter none` for null. At most 16 ranges. */
export function filterLines(policy: FilterPolicy | null): string[] {
  if (policy === null) return ['filter none'];
  if (policy.ranges.length > KERNEL_MAX_RANGES) throw new Error('more than 16 ranges cannot be passed to the kernel');
  return [
    `filter ${hex(policy.flags >>> 0)}`,
    ...policy.ranges.map(
      (r) => `range ${hex(r.flags >>> 0)} ${hex(r.base >>> 0)} ${hex(r.nmsrs >>> 0)} ${bitmapArg(r.bitmap, r.nmsrs)}`,
    ),
    'end',
  ];
}

export const rdmsrLine = (index: number, reply: VmmReply) => `rdmsr ${hex(index >>> 0)} ${replyArg(reply)}`;
export const wrmsrLine = (index: number, value: bigint, reply: VmmReply) =>
  `wrmsr ${hex(index >>> 0)} ${hex(value)} ${replyArg(reply)}`;
export const hostrdLine = (index: number) => `hostrd ${hex(index >>> 0)}`;
export const hostwrLine = (index: number, value: bigint) => `hostwr ${hex(index >>> 0)} ${hex(value)}`;
export const exitsLine = (mask: bigint) => `exits ${hex(mask)}`;

export type KernelReason = 'none' | 'filter' | 'unknown' | 'inval' | 'ignored';
export type KernelExit = 'none' | 'filter' | 'unknown' | 'inval';

export interface GuestResponse {
  exit: KernelExit;
  kreason: KernelReason;
  result: 'ok' | 'gp';
  value: bigint | null;
}

export interface HostResponse {
  result: 'ok' | 'error';
  value: bigint | null;
}

export class ProtocolError extends Error {}

function fields(line: string, head: string): Map<string, string> {
  const parts = line.trim().split(/\s+/);
  if (parts[0] !== head) throw new ProtocolError(`expected a \`${head}\` response, got ${JSON.stringify(line)}`);
  const out = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new ProtocolError(`malformed field ${JSON.stringify(p)} in ${JSON.stringify(line)}`);
    out.set(p.slice(0, eq), p.slice(eq + 1));
  }
  return out;
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], line: string): T {
  if (v !== undefined && (allowed as readonly string[]).includes(v)) return v as T;
  throw new ProtocolError(`unexpected value ${JSON.stringify(v)} in ${JSON.stringify(line)}`);
}

function value(v: string | undefined, line: string): bigint | null {
  if (v === '-' || v === undefined) return null;
  if (!/^0x[0-9a-f]{1,16}$/.test(v))
    throw new ProtocolError(`bad value ${JSON.stringify(v)} in ${JSON.stringify(line)}`);
  return BigInt(v);
}

const EXITS = ['none', 'filter', 'unknown', 'inval'] as const;
const REASONS = ['none', 'filter', 'unknown', 'inval', 'ignored'] as const;

/** `rdmsr exit=E kreason=K result=R value=V` / `wrmsr exit=E kreason=K result=R`. */
export function parseGuestResponse(op: 'rdmsr' | 'wrmsr', line: string): GuestResponse {
  const f = fields(line, op);
  return {
    exit: oneOf(f.get('exit'), EXITS, line),
    kreason: oneOf(f.get('kreason'), REASONS, line),
    result: oneOf(f.get('result'), ['ok', 'gp'] as const, line),
    value: op === 'rdmsr' ? value(f.get('value'), line) : null,
  };
}

/** `hostrd result=ok value=0x…` / `hostrd result=error` / `hostwr result=ok|error`. */
export function parseHostResponse(op: 'hostrd' | 'hostwr', line: string): HostResponse {
  const f = fields(line, op);
  const result = oneOf(f.get('result'), ['ok', 'error'] as const, line);
  return { result, value: op === 'hostrd' && result === 'ok' ? value(f.get('value'), line) : null };
}

/** `errno 0` → null; `errno EINVAL` → 'EINVAL'. */
export function parseErrno(line: string): string | null {
  const m = /^errno (\S+)$/.exec(line.trim());
  if (!m) throw new ProtocolError(`expected \`errno ...\`, got ${JSON.stringify(line)}`);
  return m[1] === '0' ? null : m[1];
}

export function expectOk(line: string): void {
  if (line.trim() !== 'ok') throw new ProtocolError(`expected \`ok\`, got ${JSON.stringify(line)}`);
}
