import { KVM_MSR_FILTER_DEFAULT_DENY, KVM_MSR_FILTER_READ, KVM_MSR_FILTER_WRITE } from '../constants';
import { hex32 } from '../numbers';
import type { FilterPolicy, FilterRange } from '../policy/types';
import {
  bitmapWordCount,
  bitmapWords,
  checkRepresentable,
  commentText,
  describeExitMask,
  describeRange,
  type ExportOptions,
  hex64Word,
  nonZeroRuns,
  verdictLines,
} from './common';

const ERRNO_NAMES = [
  'EPERM',
  'ENOENT',
  'EINTR',
  'EIO',
  'ENXIO',
  'E2BIG',
  'EBADF',
  'EAGAIN',
  'ENOMEM',
  'EACCES',
  'EFAULT',
  'EBUSY',
  'EEXIST',
  'ENODEV',
  'EINVAL',
  'ENFILE',
  'EMFILE',
  'ENOTTY',
  'ENOSPC',
  'ERANGE',
  'ENOSYS',
  'EOPNOTSUPP',
];

export function cRangeFlags(flags: number): string {
  if (flags === KVM_MSR_FILTER_READ) return 'KVM_MSR_FILTER_READ';
  if (flags === KVM_MSR_FILTER_WRITE) return 'KVM_MSR_FILTER_WRITE';
  if (flags === (KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE)) return 'KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE';
  return `0x${(flags >>> 0).toString(16)}u`;
}

export function cFilterFlags(flags: number): string {
  if (flags === 0) return 'KVM_MSR_FILTER_DEFAULT_ALLOW';
  if (flags === KVM_MSR_FILTER_DEFAULT_DENY) return 'KVM_MSR_FILTER_DEFAULT_DENY';
  return `0x${(flags >>> 0).toString(16)}u`;
}

export function cExitMask(mask: bigint): string {
  if (mask !== 0n && (mask & ~7n) === 0n) {
    const names: string[] = [];
    if (mask & 1n) names.push('KVM_MSR_EXIT_REASON_INVAL');
    if (mask & 2n) names.push('KVM_MSR_EXIT_REASON_UNKNOWN');
    if (mask & 4n) names.push('KVM_MSR_EXIT_REASON_FILTER');
    return names.join(' | ');
  }
  return `0x${mask.toString(16)}ULL`;
}

/** Comma-separated items wrapped into lines of at most ~110 columns, each line indented by one tab. */
function wrapItems(items: string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line} ${item},` : `${item},`;
    if (line && next.length > 104) {
      lines.push(`\t${line}`);
      line = `${item},`;
    } else line = next;
  }
  if (line) lines.push(`\t${line}`);
  return lines.join('\n');
}

function bitmapDefinition(r: FilterRange, i: number): string {
  const count = bitmapWordCount(r);
  const lines = [`/* ${describeRange(r, i)} */`];
  if (count === 0) {
    lines.push('/* nmsrs is 0: the kernel skips this range and never reads its bitmap (NULL below). */');
    return lines.join('\n');
  }
  const kernelBytes = Math.ceil(r.nmsrs / 64) * 8;
  if (count * 8 !== kernelBytes) {
    lines.push(
      `/* The kernel refuses nmsrs 0x${r.nmsrs.toString(16)} (EINVAL) before it reads the bitmap, so only the */`,
      '/* bytes the policy holds are given here. */',
    );
  }
  const words = bitmapWords(r, count);
  const runs = nonZeroRuns(words);
  const name = `bitmap_${i}`;
  if (runs.length === 0) {
    lines.push(`static uint64_t ${name}[${count}]; /* all zero: every MSR of the range denied */`);
  } else if (runs.length * 2 > count) {
    lines.push(`static uint64_t ${name}[${count}] = {`, wrapItems(words.map((w) => `${hex64Word(w)}ULL`)), '};');
  } else {
    const items = runs.map((run) =>
      run.first === run.last
        ? `[${run.first}] = ${hex64Word(run.value)}ULL`
        : `[${run.first} ... ${run.last}] = ${hex64Word(run.value)}ULL`,
    );
    lines.push(`static uint64_t ${name}[${count}] = {`, wrapItems(items), '};');
  }
  return lines.join('\n');
}

/**
 * A complete C program that installs the policy with KVM_X86_SET_MSR_FILTER on a new VM (after enabling
 * KVM_CAP_X86_USER_SPACE_MSR with the exit mask, when there is one) and prints "ok" or the kernel's errno.
 * Exit status: 0 installed, 1 the kernel refused (KVM_ENABLE_CAP or KVM_X86_SET_MSR_FILTER), 3 no usable /dev/kvm.
 * Compiles with `gcc -Wall -Wextra -Werror -std=gnu11` against the system's <linux/kvm.h> (x86-64). Throws
 * ExportError for more than 16 ranges, which struct kvm_msr_filter cannot hold.
 */
export function policyToC(policy: FilterPolicy, opts: ExportOptions = {}): string {
  checkRepresentable(policy);
  const name = opts.name ?? policy.name;
  const exits = opts.exits ?? null;
  const out: string[] = [];
  out.push('/*');
  out.push(
    ` * MSR filter${name !== undefined ? ` "${commentText(name)}"` : ''} for KVM_X86_SET_MSR_FILTER, written by MSR Filter Playground.`,
  );
  out.push(' *');
  out.push(' * Build: gcc -Wall -Wextra -Werror -std=gnu11 -o msr-filter msr-filter.c');
  out.push(' * Run:   ./msr-filter');
  out.push(
    exits !== null
      ? ` * It creates a VM on /dev/kvm, enables KVM_CAP_X86_USER_SPACE_MSR with exit reasons ${describeExitMask(exits)},`
      : ' * It creates a VM on /dev/kvm (KVM_CAP_X86_USER_SPACE_MSR is not enabled: no exit reasons),',
  );
  out.push(
    ' * installs the filter and prints "ok", or the kernel\'s errno. Exit status: 0 installed, 1 refused by the',
  );
  out.push(' * kernel, 3 no usable /dev/kvm.');
  out.push(' *');
  for (const line of verdictLines(policy, opts.profile, opts.hostModel)) out.push(` * ${line}`);
  out.push(' *');
  out.push(" * Bitmaps: bit i (least significant first) of a range's bitmap allows MSR base + i; 0 denies. Each array");
  out.push(' * holds the BITS_TO_LONGS(nmsrs) * 8 bytes the kernel copies, as little-endian 64-bit words (x86-64);');
  out.push(' * "[a ... b] = v" is GNU C for "words a to b are v". Words not listed are 0.');
  out.push(' */');
  out.push('#include <errno.h>');
  out.push('#include <fcntl.h>');
  out.push('#include <stdint.h>');
  out.push('#include <stdio.h>');
  out.push('#include <string.h>');
  out.push('#include <sys/ioctl.h>');
  out.push('#include <unistd.h>');
  out.push('#include <linux/kvm.h>');
  out.push('');
  policy.ranges.forEach((r, i) => {
    out.push(bitmapDefinition(r, i));
    out.push('');
  });
  out.push('static struct kvm_msr_filter filter = {');
  out.push(`\t.flags = ${cFilterFlags(policy.flags)},`);
  if (policy.ranges.length) {
    out.push('\t.ranges = {');
    policy.ranges.forEach((r, i) => {
      const bitmap = bitmapWordCount(r) ? `(__u8 *)bitmap_${i}` : 'NULL';
      out.push(
        `\t\t[${i}] = { .flags = ${cRangeFlags(r.flags)}, .nmsrs = 0x${r.nmsrs.toString(16)}, .base = ${hex32(r.base)}, .bitmap = ${bitmap} },`,
      );
    });
    out.push('\t},');
  }
  out.push('};');
  out.push('');
  out.push('static const char *errno_name(int e)');
  out.push('{');
  out.push('\tswitch (e) {');
  for (const n of ERRNO_NAMES) out.push(`\tcase ${n}: return "${n}";`);
  out.push('\tdefault: return "errno";');
  out.push('\t}');
  out.push('}');
  out.push('');
  out.push('/* Prints "what: ENAME (strerror)" on stderr and returns status. */');
  out.push('static int fail(int status, const char *what)');
  out.push('{');
  out.push('\tint e = errno;');
  out.push('');
  out.push('\tfprintf(stderr, "%s: %s (%s)\\n", what, errno_name(e), strerror(e));');
  out.push('\treturn status;');
  out.push('}');
  out.push('');
  out.push('int main(void)');
  out.push('{');
  out.push('\tint kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);');
  out.push('');
  out.push('\tif (kvm < 0)');
  out.push('\t\treturn fail(3, "open /dev/kvm");');
  out.push('\tif (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER) <= 0) {');
  out.push('\t\tfprintf(stderr, "KVM_CAP_X86_MSR_FILTER: not supported by this kernel\\n");');
  out.push('\t\treturn 3;');
  out.push('\t}');
  if (exits !== null) {
    out.push('\tif (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_X86_USER_SPACE_MSR) <= 0) {');
    out.push('\t\tfprintf(stderr, "KVM_CAP_X86_USER_SPACE_MSR: not supported by this kernel\\n");');
    out.push('\t\treturn 3;');
    out.push('\t}');
  }
  out.push('');
  out.push('\tint vm = ioctl(kvm, KVM_CREATE_VM, 0);');
  out.push('');
  out.push('\tif (vm < 0)');
  out.push('\t\treturn fail(3, "KVM_CREATE_VM");');
  if (exits !== null) {
    out.push('');
    out.push(`\t/* Exit reasons: ${describeExitMask(exits)}. */`);
    out.push('\tstruct kvm_enable_cap cap = {');
    out.push('\t\t.cap = KVM_CAP_X86_USER_SPACE_MSR,');
    out.push(`\t\t.args = { ${cExitMask(exits)} },`);
    out.push('\t};');
    out.push('');
    out.push('\tif (ioctl(vm, KVM_ENABLE_CAP, &cap) < 0)');
    out.push('\t\treturn fail(1, "KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR)");');
  }
  out.push('\tif (ioctl(vm, KVM_X86_SET_MSR_FILTER, &filter) < 0)');
  out.push('\t\treturn fail(1, "KVM_X86_SET_MSR_FILTER");');
  out.push('\tprintf("ok\\n");');
  out.push('\tclose(vm);');
  out.push('\tclose(kvm);');
  out.push('\treturn 0;');
  out.push('}');
  return `${out.join('\n')}\n`;
}
