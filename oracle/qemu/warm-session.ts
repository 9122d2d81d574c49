/**
 * One QEMU session kept warm for a long-lived process (the playground's server): booted on the first run, reused by
 * every later one, booted again when QEMU has stopped (a crash, a run killed for taking too long), closed with the
 * server. QEMU is killed if the process exits without closing it.
 */
import type { HelperRun } from '../helper-process';
import type { BootInfo } from './qemu-session';

/** What WarmSession needs of a QemuSession. */
export interface SessionLike {
  boot(): Promise<BootInfo>;
  run(script: string): Promise<HelperRun>;
  close(): Promise<void>;
  kill(): void;
  readonly alive: boolean;
}

export class WarmSession {
  private current: Promise<SessionLike> | null = null;
  private live: SessionLike | null = null;
  private closed = false;
  /** How many times a guest was booted (for the tests and the notes). */
  boots = 0;
  info: BootInfo | null = null;
  private hooked = false;
  private readonly onExit = () => this.live?.kill();

  /** `start` makes a session (a new QemuSession over the guest image); it is booted here, killed after `bootTimeoutMs`. */
  constructor(
    private readonly start: () => Promise<SessionLike>,
    private readonly bootTimeoutMs = 120_000,
  ) {}

  /** Boots the guest unless it is running (throws when it cannot); the guest's boot information. */
  async boot(): Promise<BootInfo> {
    await this.ready();
    return this.info as BootInfo;
  }

  private ready(): Promise<SessionLike> {
    if (this.closed) return Promise.reject(new Error('the QEMU session is closed'));
    if (this.live && !this.live.alive) this.current = null; // QEMU stopped: boot again
    this.current ??= (async () => {
      const s = await this.start();
      this.live = s;
      if (!this.hooked) process.on('exit', this.onExit);
      this.hooked = true;
      try {
        this.boots++;
        const timer = setTimeout(() => s.kill(), this.bootTimeoutMs);
        try {
          this.info = await s.boot();
        } finally {
          clearTimeout(timer);
        }
        return s;
      } catch (e) {
        s.kill();
        this.current = null; // the next run tries again
        throw e;
      }
    })();
    return this.current;
  }

  /** Boots the guest if needed (throws when it cannot), then runs `script`; `timeoutMs` stops QEMU after that long. */
  async run(script: string, timeoutMs?: number): Promise<HelperRun> {
    const s = await this.ready();
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            s.kill();
          }, timeoutMs);
    try {
      const r = await s.run(script);
      return timedOut ? { ...r, timedOut: true } : r;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Powers the guest off (QEMU is killed if it has not stopped after `graceMs`); later runs are refused. */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    const pending = this.current;
    this.current = null;
    if (pending) {
      try {
        const s = await pending;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          s.close(),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              s.kill();
              resolve();
            }, graceMs);
          }),
        ]);
        clearTimeout(timer);
      } catch {
        // it never booted: nothing to close
      }
    }
    process.removeListener('exit', this.onExit);
    this.hooked = false;
  }
}
