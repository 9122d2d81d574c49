#!/usr/bin/env node
// Builds the real-KVM oracle helper: oracle/kvm-oracle.c -> oracle/build/kvm-oracle.
//
//   node oracle/build.mjs [--force]
//
// Rebuilds only when the source is newer than the binary (or with --force).
// Where the helper cannot be built (not Linux x86-64, no C compiler, no
// <linux/kvm.h> or one too old for the MSR filter API), it says so and exits 0:
// the rest of the project works without the oracle.
// A compile error in kvm-oracle.c itself exits 1.
// The compiler is $CC if set, else `cc`.

import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'kvm-oracle.c');
const outDir = join(here, 'build');
const bin = join(outDir, 'kvm-oracle');
const force = process.argv.includes('--force');
const cc = process.env.CC || 'cc';
const show = (p) => relative(process.cwd(), p) || p;

function skip(reason) {
  console.log(`oracle: not built (${reason}); the real-KVM oracle is unavailable, everything else works.`);
  process.exit(0);
}

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  skip(`needs Linux on x86-64, this is ${process.platform}/${process.arch}`);
}

const srcTime = mtime(src);
if (srcTime === null) {
  console.error(`oracle: ${show(src)} is missing`);
  process.exit(1);
}
const binTime = mtime(bin);
if (!force && binTime !== null && binTime >= srcTime) {
  console.log(`oracle: ${show(bin)} is up to date`);
  process.exit(0);
}

const version = spawnSync(cc, ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  skip(`no C compiler: \`${cc}\` ${version.error ? `could not be run (${version.error.code})` : 'failed'}`);
}

// The headers must be new enough to know the MSR filter API (Linux >= 5.10).
const probe = spawnSync(cc, ['-fsyntax-only', '-x', 'c', '-'], {
  encoding: 'utf8',
  input:
    '#include <linux/kvm.h>\n' +
    'int probe[] = { KVM_X86_SET_MSR_FILTER, KVM_EXIT_X86_RDMSR, KVM_CAP_X86_USER_SPACE_MSR, KVM_MSR_EXIT_REASON_FILTER };\n',
});
if (probe.status !== 0) {
  const first = (probe.stderr || '').split('\n').find((l) => l.includes('error')) || 'probe failed';
  skip(`<linux/kvm.h> is missing or lacks the MSR filter API: ${first.trim()}`);
}

mkdirSync(outDir, { recursive: true });
const tmp = `${bin}.tmp-${process.pid}`;
const args = ['-O2', '-Wall', '-Werror', '-o', tmp, src];
const res = spawnSync(cc, args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
if (res.status !== 0) {
  rmSync(tmp, { force: true });
  console.error(`oracle: compiling ${show(src)} failed (${cc} ${args.join(' ')})`);
  process.exit(1);
}
renameSync(tmp, bin);
console.log(`oracle: built ${show(bin)}`);
