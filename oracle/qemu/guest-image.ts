/**
 * The guest image of the svm-6.1 backend, made at first use in a cache directory outside the repository
 * ($MSRFILTER_CACHE or ~/.cache/msrfilter/svm-6.1): Debian 12's kernel resolved through `linux-image-amd64`, fetched
 * with `apt-get download` and unpacked with `dpkg-deb -x` (never installed); its vmlinux decompressed once with `xz`
 * (PVH boot skips ~5 s of XZ decompression under TCG); an initramfs of guest-init.c and kvm-oracle.c (gcc -static)
 * and the four modules kvm_amd needs, in load order. Every step runs as a child process (nothing blocks the event
 * loop: the playground's server keeps answering meanwhile).
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ORACLE_DIR } from '../helper-process';
import type { GuestImage } from './qemu-session';

const run = promisify(execFile);

/** kvm_amd's dependencies in load order (modinfo -F depends: kvm → irqbypass, kvm-amd → kvm, ccp). */
const MODULES = [
  'virt/lib/irqbypass.ko',
  'arch/x86/kvm/kvm.ko',
  'drivers/crypto/ccp/ccp.ko',
  'arch/x86/kvm/kvm-amd.ko',
];

export const INSTALL_HINT =
  'install them with `apt-get install qemu-system-x86 gcc libc6-dev linux-libc-dev cpio xz-utils` ' +
  '(Debian 12; the kernel, linux-image-amd64, is fetched at first use with apt-get download)';

export function cacheDir(): string {
  return process.env.MSRFILTER_CACHE ?? join(homedir(), '.cache', 'msrfilter', 'svm-6.1');
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why the image cannot be made here (null: it can). */
export function missingTools(): string | null {
  const need = ['qemu-system-x86_64', 'gcc', 'cpio', 'xz', 'apt-get', 'apt-cache', 'dpkg-deb'].filter((c) => !has(c));
  return need.length ? `${need.join(', ')} not found` : null;
}

let resolved: Promise<string> | null = null;

/** The package of the running Debian kernel ABI, e.g. linux-image-6.1.0-57-amd64 (looked up once per process). */
function resolvePackage(): Promise<string> {
  resolved ??= (async () => {
    const { stdout } = await run('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
    const m = /Depends: (linux-image-[^\s]+)/.exec(stdout);
    if (!m) throw new Error('apt-cache depends linux-image-amd64 names no kernel package');
    return m[1];
  })();
  resolved.catch(() => {
    resolved = null; // tried again next time (apt-get update may have run meanwhile)
  });
  return resolved;
}

const debOf = (dir: string, pkg: string) =>
  existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb')) : undefined;
const modulesDir = (dir: string, release: string) => join(dir, 'kroot', 'lib', 'modules', release, 'kernel');

/** Whether the image can be made here, and whether that needs a download. */
export type GuestImageState =
  | { kind: 'cached'; package: string }
  | { kind: 'download'; package: string; bytes: number | null }
  | { kind: 'unavailable'; reason: string };

/** Looks without fetching anything (apt-cache reads the local package lists only). */
export async function guestImageState(dir = cacheDir()): Promise<GuestImageState> {
  const missing = missingTools();
  if (missing) return { kind: 'unavailable', reason: `${missing}; ${INSTALL_HINT}` };
  let pkg: string;
  try {
    pkg = await resolvePackage();
  } catch (e) {
    return {
      kind: 'unavailable',
      reason: `the guest kernel package cannot be resolved (${(e as Error).message.split('\n')[0]}); run apt-get update`,
    };
  }
  const release = pkg.replace(/^linux-image-/, '');
  if (existsSync(modulesDir(dir, release)) || debOf(dir, pkg)) return { kind: 'cached', package: pkg };
  let bytes: number | null = null;
  try {
    const { stdout } = await run('apt-cache', ['show', pkg], { encoding: 'utf8' });
    const size = /^Size: (\d+)$/m.exec(stdout);
    bytes = size ? Number(size[1]) : null;
  } catch {
    // the size is only for the message
  }
  return { kind: 'download', package: pkg, bytes };
}

/** xz over `input` (the XZ payload of a bzImage); resolves with what it decompressed. */
function unxz(input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('xz', ['-dc', '--single-stream'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stdin.on('error', () => {}); // xz stops reading at the trailing bytes after the stream
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out)));
    child.stdin.end(input);
  });
}

export interface EnsureOptions {
  /** May the kernel package be downloaded (apt-get download, ~70 MB) when it is not cached? Default true. */
  download?: boolean;
}

/** Makes (or reuses) the image; throws with a plain message when a step fails. */
export async function ensureGuestImage(
  dir = cacheDir(),
  opts: EnsureOptions = {},
): Promise<GuestImage & { release: string }> {
  mkdirSync(dir, { recursive: true });
  const pkg = await resolvePackage();
  const release = pkg.replace(/^linux-image-/, '');
  const root = join(dir, 'kroot');
  const mods = modulesDir(dir, release);
  if (!existsSync(mods)) {
    if (!debOf(dir, pkg)) {
      if (opts.download === false) throw new Error(`${pkg} is not in ${dir} and may not be downloaded here`);
      await run('apt-get', ['download', pkg], { cwd: dir, maxBuffer: 16 << 20 });
    }
    const deb = debOf(dir, pkg);
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
    await run('dpkg-deb', ['-x', join(dir, deb), root]);
  }
  const vmlinux = join(dir, `vmlinux-${release}`);
  if (!existsSync(vmlinux)) {
    const bz = await readFile(join(root, 'boot', `vmlinuz-${release}`));
    const at = bz.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
    if (at < 0) throw new Error(`vmlinuz-${release} holds no XZ payload`);
    // xz stops with an error at the trailing bytes after the stream; the decompressed ELF is complete by then.
    const elf = await unxz(bz.subarray(at));
    if (elf.length < 1 << 20) throw new Error('xz could not decompress the kernel');
    await writeFile(vmlinux, elf);
  }
  const initrd = join(dir, `initrd-${release}.cpio.gz`);
  // built in a directory of its own and renamed into place: several processes may share the cache
  const tree = await mkdtemp(join(dir, 'initrd-'));
  const built = `${tree}.cpio.gz`;
  try {
    for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'lib/modules']) mkdirSync(join(tree, d), { recursive: true });
    const cc = (src: string, out: string) =>
      run('gcc', ['-static', '-O2', '-Wall', '-o', join(tree, out), join(ORACLE_DIR, src)]);
    await Promise.all([cc('qemu/guest-init.c', 'init'), cc('kvm-oracle.c', 'bin/kvm-oracle')]);
    const names = MODULES.map((m) => m.split('/').pop() as string);
    await Promise.all(
      MODULES.map(async (m, i) => writeFile(join(tree, 'lib', 'modules', names[i]), await readFile(join(mods, m)))),
    );
    await writeFile(join(tree, 'modules.list'), `${names.join('\n')}\n`);
    await run('sh', ['-c', `cd '${tree}' && find . | cpio -o -H newc 2>/dev/null | gzip -1 > '${built}'`]);
    await rename(built, initrd);
  } finally {
    await rm(tree, { recursive: true, force: true });
    await rm(built, { force: true });
  }
  return { vmlinux, initrd, consoleLog: join(dir, 'console.log'), release };
}
