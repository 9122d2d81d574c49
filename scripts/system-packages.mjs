#!/usr/bin/env node
// The Debian packages the test suite needs beyond Node.js, installed with apt-get where they are missing (this
// machine kind runs as root with Debian's registry): Chromium for the Playwright journeys; QEMU and a static
// toolchain for the svm-6.1 oracle backend (oracle/qemu/). `npm test` runs it first (pretest), `.ci/run` too.
// Without root or apt-get it says what is missing and exits 0: the suite then says plainly what it cannot run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const NEEDS = [
  { pkg: 'chromium', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { pkg: 'qemu-system-x86', present: () => has('qemu-system-x86_64') },
  { pkg: 'libc6-dev', present: () => existsSync('/usr/lib/x86_64-linux-gnu/libc.a') },
  { pkg: 'linux-libc-dev', present: () => existsSync('/usr/include/linux/kvm.h') },
  { pkg: 'gcc', present: () => has('gcc') },
  { pkg: 'cpio', present: () => has('cpio') },
  { pkg: 'xz-utils', present: () => has('xz') },
];

const missing = NEEDS.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.env.MSRFILTER_NO_APT || !root || !has('apt-get')) {
  console.error(
    `system packages: missing ${missing.join(', ')}; install them with apt-get (not done here: ${
      process.env.MSRFILTER_NO_APT ? 'MSRFILTER_NO_APT is set' : !root ? 'not root' : 'no apt-get'
    })`,
  );
  process.exit(0);
}
console.error(`system packages: installing ${missing.join(', ')} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
