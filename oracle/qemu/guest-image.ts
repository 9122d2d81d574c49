/**
 * The guest image of the svm-6.1 backend, made at first use in a cache directory outside the repository
 * ($MSRFILTER_CACHE or ~/.cache/msrfilter/svm-6.1): Debian 12's kernel resolved through `linux-image-amd64`, fetched
 * with `apt-get download` and unpacked with `dpkg-deb -x` (never installed); its vmlinux decompressed once with `xz`
 * (PVH boot skips ~5 s of XZ decompression under TCG); an initramfs of guest-init.c and kvm-oracle.c (gcc -static)
 * and the four modules kvm_amd needs, in load order.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ORACLE_DIR } from '../helper-process';
import type { GuestImage } from './qemu-session';

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

/** The package of the running Debian kernel ABI, e.g. linux-image-6.1.0-57-amd64. */
function resolvePackage(): string {
  const out = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
  const m = /Depends: (linux-image-[^\s]+)/.exec(out);
  if (!m) throw new Error('apt-cache depends linux-image-amd64 names no kernel package');
  return m[1];
}

/** Makes (or reuses) the image; throws with a plain message when a step fails. */
export function ensureGuestImage(dir = cacheDir()): GuestImage & { release: string } {
  mkdirSync(dir, { recursive: true });
  const pkg = resolvePackage();
  const release = pkg.replace(/^linux-image-/, '');
  const root = join(dir, 'kroot');
  const mods = join(root, 'lib', 'modules', release, 'kernel');
  if (!existsSync(mods)) {
    if (!readdirSync(dir).some((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb')))
      execFileSync('apt-get', ['download', pkg], { cwd: dir, stdio: 'ignore' });
    const deb = readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
    execFileSync('dpkg-deb', ['-x', join(dir, deb), root]);
  }
  const vmlinux = join(dir, `vmlinux-${release}`);
  if (!existsSync(vmlinux)) {
    const bz = readFileSync(join(root, 'boot', `vmlinuz-${release}`));
    const at = bz.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
    if (at < 0) throw new Error(`vmlinuz-${release} holds no XZ payload`);
    // xz stops with an error at the trailing bytes after the stream; the decompressed ELF is complete by then.
    const r = spawnSync('xz', ['-dc', '--single-stream'], { input: bz.subarray(at), maxBuffer: 1 << 28 });
    if (!r.stdout || r.stdout.length < 1 << 20) throw new Error('xz could not decompress the kernel');
    writeFileSync(vmlinux, r.stdout);
  }
  const initrd = join(dir, `initrd-${release}.cpio.gz`);
  const tree = join(dir, 'initrd');
  rmSync(tree, { recursive: true, force: true });
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'lib/modules']) mkdirSync(join(tree, d), { recursive: true });
  const cc = (src: string, out: string) =>
    execFileSync('gcc', ['-static', '-O2', '-Wall', '-o', join(tree, out), join(ORACLE_DIR, src)], { stdio: 'pipe' });
  cc('qemu/guest-init.c', 'init');
  cc('kvm-oracle.c', 'bin/kvm-oracle');
  const names = MODULES.map((m) => m.split('/').pop() as string);
  MODULES.forEach((m, i) => {
    writeFileSync(join(tree, 'lib', 'modules', names[i]), readFileSync(join(mods, m)));
  });
  writeFileSync(join(tree, 'modules.list'), `${names.join('\n')}\n`);
  execFileSync('sh', ['-c', `cd '${tree}' && find . | cpio -o -H newc 2>/dev/null | gzip -1 > '${initrd}'`]);
  return { vmlinux, initrd, consoleLog: join(dir, 'console.log'), release };
}
