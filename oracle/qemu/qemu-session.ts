/**
 * One QEMU boot of Debian's kvm_amd 6.1 kernel under TCG, serving many helper runs (oracle/qemu/guest-init.c).
 * `run(script)` sends `@@run N` + the script over the guest's ttyS1 (QEMU's stdio) and resolves with the helper's
 * output lines and exit status, in the shape of helper-process.ts's HelperRun. Runs are queued: one at a time.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import type { HelperRun } from '../helper-process';

export interface GuestImage {
  /** Decompressed ELF vmlinux (boots through its PVH note: no XZ decompression under TCG). */
  vmlinux: string;
  initrd: string;
  /** Where the guest's own console (ttyS0) goes. */
  consoleLog: string;
}

export interface BootInfo {
  kernel: string;
  cpu: string;
  params: Record<string, string>;
}

let setpriv: boolean | null = null;

/**
 * QEMU does not stop when its parent dies (a server killed with SIGKILL): where util-linux's setpriv is installed,
 * QEMU is started through `setpriv --pdeathsig KILL`, which the kernel turns into a SIGKILL when the parent goes.
 */
function launcher(): string[] {
  setpriv ??= spawnSync('setpriv', ['--pdeathsig', 'KILL', 'true']).status === 0;
  return setpriv ? ['setpriv', '--pdeathsig', 'KILL', 'qemu-system-x86_64'] : ['qemu-system-x86_64'];
}

export class QemuSession {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buffer = '';
  private waiters: ((line: string | null) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  info: BootInfo = { kernel: '?', cpu: '?', params: {} };

  constructor(
    private readonly image: GuestImage,
    private readonly cpu = 'EPYC,+svm',
  ) {}

  private nextLine(): Promise<string | null> {
    const nl = this.buffer.indexOf('\n');
    if (nl >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      return Promise.resolve(line);
    }
    if (!this.child) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    while (this.waiters.length && (this.buffer.includes('\n') || !this.child)) {
      const w = this.waiters.shift() as (l: string | null) => void;
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) {
        w(null);
        continue;
      }
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      w(line);
    }
  }

  /** Boots and waits for `@@ready`; throws with the guest's own words when kvm_amd does not load. */
  async boot(): Promise<BootInfo> {
    const args = [
      ...['-accel', 'tcg', '-cpu', this.cpu, '-smp', '1', '-m', '256', '-nodefaults', '-display', 'none'],
      ...['-no-reboot', '-nic', 'none', '-kernel', this.image.vmlinux, '-initrd', this.image.initrd],
      ...['-append', 'console=ttyS0 panic=-1 rdinit=/init quiet', '-serial', `file:${this.image.consoleLog}`],
      ...['-chardev', 'stdio,id=chan,signal=off', '-serial', 'chardev:chan'],
    ];
    const [cmd, ...pre] = launcher();
    const child = spawn(cmd, [...pre, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    child.stderr.resume();
    child.on('close', () => {
      this.child = null;
      this.wake();
    });
    child.on('error', () => {
      this.child = null;
      this.wake();
    });
    for (;;) {
      const line = await this.nextLine();
      if (line === null) throw new Error('qemu exited before the guest was ready');
      if (line === '@@ready') return this.info;
      if (line.startsWith('@@fail ')) throw new Error(`the guest could not load kvm_amd: ${line.slice(7)}`);
      const m = /^@@info (\w+) (.*)$/.exec(line);
      if (m?.[1] === 'kernel') this.info.kernel = m[2];
      if (m?.[1] === 'cpu') this.info.cpu = m[2];
      const p = m?.[1] === 'param' ? /^(\w+)=(.*)$/.exec(m[2]) : null;
      if (p) this.info.params[p[1]] = p[2];
    }
  }

  /** Runs the helper once in the guest (a fresh VM there) with `script` on its stdin. */
  run(script: string): Promise<HelperRun> {
    const go = async (): Promise<HelperRun> => {
      const child = this.child;
      if (!child) return { lines: [], code: 4, signal: null, stderr: 'the QEMU guest is not running', timedOut: false };
      child.stdin.write(`@@run ${Buffer.byteLength(script)}\n${script}`);
      const lines: string[] = [];
      for (;;) {
        const line = await this.nextLine();
        if (line === null) return { lines, code: 4, signal: null, stderr: 'the QEMU guest stopped', timedOut: false };
        const end = /^@@end (\d+)$/.exec(line);
        if (end) return { lines, code: Number(end[1]), signal: null, stderr: '', timedOut: false };
        lines.push(line);
      }
    };
    const result = this.queue.then(go);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Whether QEMU is still running. */
  get alive(): boolean {
    return this.child !== null;
  }

  /** Stops QEMU at once (a run that does not finish, the server going away): pending runs end with status 4. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** Powers the guest off (waits for QEMU to exit). */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await this.queue;
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.stdin.end('@@quit\n');
    });
  }
}
