import { KVM_MSR_FILTER_MAX_RANGES } from '../constants';
import { rangeWraps, validatePolicy } from '../filter/validate';
import { getHostModel, type HostModelId, PROVENANCE_WORD } from '../host/host-models';
import { hex32 } from '../numbers';
import { MAX_BITMAP_BYTES_READ } from '../policy/policy-json';
import type { FilterPolicy, FilterRange } from '../policy/types';
import { getProfile, NEWEST_PROFILE } from '../profiles/profiles';
import type { ProfileId } from '../profiles/types';

/** A policy that cannot be written as code: more ranges than struct kvm_msr_filter has room for. */
export class ExportError extends Error {
  constructor(
    readonly place: string,
    readonly reason: string,
  ) {
    super(`${place}: ${reason}`);
    this.name = 'ExportError';
  }
}

export interface ExportOptions {
  /** The KVM_CAP_X86_USER_SPACE_MSR exit-reason mask to enable first; null or absent: the capability is left off. */
  exits?: bigint | null;
  /** A title for the header comment; default the policy's name. */
  name?: string;
  /** The profile whose verdict the header comment states; default the newest. */
  profile?: ProfileId;
  /** The host model the document was simulated on, named in the header comment; absent: none is named. */
  hostModel?: HostModelId;
}

export function checkRepresentable(policy: FilterPolicy): void {
  if (policy.ranges.length > KVM_MSR_FILTER_MAX_RANGES) {
    throw new ExportError(
      `ranges[${KVM_MSR_FILTER_MAX_RANGES}]`,
      `struct kvm_msr_filter has room for ${KVM_MSR_FILTER_MAX_RANGES} ranges; this policy has ` +
        `${policy.ranges.length}, and a 17th cannot be passed to the kernel`,
    );
  }
}

/**
 * How many 64-bit words to emit for a range's bitmap: the BITS_TO_LONGS(nmsrs) * sizeof(long) bytes the kernel
 * copies; none for nmsrs 0 (the kernel skips the range and never reads the pointer). A count so large that the
 * kernel refuses it before reading the bitmap (past 0x10000 bytes) gets only the bytes the policy holds.
 */
export function bitmapWordCount(r: FilterRange): number {
  if (r.nmsrs === 0) return 0;
  const kernelWords = Math.ceil(r.nmsrs / 64);
  if (kernelWords * 8 <= MAX_BITMAP_BYTES_READ) return kernelWords;
  return Math.max(1, Math.ceil(Math.min(r.bitmap.length, MAX_BITMAP_BYTES_READ) / 8));
}

/** The bitmap as little-endian 64-bit words (x86-64's view of the bytes), `count` of them. */
export function bitmapWords(r: FilterRange, count: number): bigint[] {
  const limit = Math.min(r.bitmap.length, Math.ceil(r.nmsrs / 8), count * 8);
  const words: bigint[] = new Array(count).fill(0n);
  for (let i = 0; i < limit; i++) {
    if (r.bitmap[i]) words[i >> 3] |= BigInt(r.bitmap[i]) << BigInt((i & 7) * 8);
  }
  return words;
}

export interface WordRun {
  first: number;
  last: number;
  value: bigint;
}

/** Runs of equal non-zero words (zero words are left to static zero-initialisation). */
export function nonZeroRuns(words: readonly bigint[]): WordRun[] {
  const runs: WordRun[] = [];
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j + 1 < words.length && words[j + 1] === words[i]) j++;
    if (words[i] !== 0n) runs.push({ first: i, last: j, value: words[i] });
    i = j + 1;
  }
  return runs;
}

export function hex64Word(v: bigint): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}

/** Characters that end a line of source: flattened to one space. */
const LINE_BREAK = /^[\t\n\v\f\r\u0085\u2028\u2029]$/u;
/**
 * Characters a reader cannot see or that change how the text around them is shown: every control (C0, DEL, C1) and
 * format character (among them the bidi controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C, the
 * zero-width ones and U+FEFF), unpaired surrogates, unassigned code points and noncharacters. A bidi control in a
 * comment can make code read other than it compiles (CVE-2021-42574): gcc's -Wbidi-chars warns and rustc refuses it.
 */
const HIDDEN = /^[\p{Cc}\p{Cf}\p{Cs}\p{Cn}]$/u;

const codePointName = (c: number) => `<U+${c.toString(16).toUpperCase().padStart(4, '0')}>`;

/**
 * User text (a name, a comment) as the inside of a one-line comment in C or Rust: line breaks become one space,
 * controls and invisible or direction-changing characters are written as <U+XXXX>, and no comment delimiter or
 * trigraph is left.
 */
export function commentText(s: string): string {
  let flat = '';
  let inBreak = false;
  for (const ch of s) {
    const isBreak = LINE_BREAK.test(ch);
    if (isBreak) {
      if (!inBreak) flat += ' ';
    } else if (HIDDEN.test(ch)) {
      flat += codePointName(ch.codePointAt(0) ?? 0);
    } else {
      flat += ch;
    }
    inBreak = isBreak;
  }
  return flat
    .replace(/\/\*/g, '/ *')
    .replace(/\*\//g, '* /')
    .replace(/\?(?=\?)/g, '? ');
}

/**
 * JSON text (JSON.stringify with `indent`) in which every character commentText would escape is written as a
 * \uXXXX escape: the same value when parsed, but nothing invisible or direction-changing in the file.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Cn}\u2028\u2029]/gu, (ch) => {
    if (ch === '\n') return ch; // the layout's own line breaks (a string's are escaped already)
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

const FLAG_NAMES: Record<number, string> = { 1: 'READ', 2: 'WRITE', 3: 'READ|WRITE' };

/** One line naming a range: its index, flags, span and comment. */
export function describeRange(r: FilterRange, i: number): string {
  const flags = FLAG_NAMES[r.flags] ?? `flags 0x${(r.flags >>> 0).toString(16)}`;
  const comment = r.comment ? ` "${commentText(r.comment)}"` : '';
  if (r.nmsrs === 0) return `ranges[${i}]${comment}: ${flags}, base ${hex32(r.base)}, nmsrs 0 (ignored by the kernel)`;
  const last = r.base + r.nmsrs - 1;
  const span = rangeWraps(r)
    ? `MSRs ${hex32(r.base)} and up (base + nmsrs wraps past 0xffffffff)`
    : r.nmsrs === 1
      ? `MSR ${hex32(r.base)}`
      : `MSRs ${hex32(r.base)}-${hex32(last)}`;
  return `ranges[${i}]${comment}: ${flags}, ${span}, nmsrs 0x${r.nmsrs.toString(16)}`;
}

/** What the profile's kernel will answer, and the notes worth knowing, as comment lines. */
export function verdictLines(
  policy: FilterPolicy,
  profileId: ProfileId = NEWEST_PROFILE,
  hostModel?: HostModelId,
): string[] {
  const profile = getProfile(profileId);
  const v = validatePolicy(policy, profile);
  const lines = [
    v.error
      ? `Expected on ${profile.label}: refused with ${v.error.errno}: ${commentText(v.error.message)}`
      : `Expected on ${profile.label}: accepted (${v.accepted.length} active range${v.accepted.length === 1 ? '' : 's'}).`,
  ];
  for (const note of v.notes) lines.push(`Note: ${commentText(note)}`);
  if (hostModel !== undefined) {
    const host = getHostModel(hostModel);
    lines.push(
      `Simulated on host model ${host.id} (${commentText(host.label)}; ${PROVENANCE_WORD[host.provenance.kind]}). ` +
        'The kernel checks the filter alike on every host; what KVM does with the MSRs it lets through differs.',
    );
  }
  return lines;
}

export function describeExitMask(mask: bigint): string {
  const names: string[] = [];
  if (mask & 1n) names.push('INVAL');
  if (mask & 2n) names.push('UNKNOWN');
  if (mask & 4n) names.push('FILTER');
  const unknown = mask & ~7n;
  if (unknown) names.push(`unknown bits 0x${unknown.toString(16)}`);
  return names.length ? names.join(' | ') : 'none';
}
