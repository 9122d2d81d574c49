// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { HelperRun } from '../helper-process';
import type { BootInfo } from './qemu-session';
import { type SessionLike, WarmSession } from './warm-session';

const INFO: BootInfo = { kernel: '6.1.0-57-amd64 #1 SMP', cpu: 'AMD EPYC Processor', params: {} };

/** A stand-in for QemuSession: answers each script with its own lines; `hang` scripts never answer until killed. */
class FakeSession implements SessionLike {
  alive = false;
  closed = false;
  private pending: ((r: HelperRun) => void)[] = [];
  constructor(private readonly bootFails = false) {}
  async boot() {
    if (this.bootFails) throw new Error('the guest could not load kvm_amd: ENODEV');
    this.alive = true;
    return INFO;
  }
  run(script: string): Promise<HelperRun> {
    if (!this.alive)
      return Promise.resolve({ lines: [], code: 4, signal: null, stderr: 'not running', timedOut: false });
    if (script === 'hang') return new Promise((resolve) => this.pending.push(resolve));
    return Promise.resolve({ lines: [script.trim()], code: 0, signal: null, stderr: '', timedOut: false });
  }
  async close() {
    this.closed = true;
    this.alive = false;
  }
  kill() {
    this.alive = false;
    for (const p of this.pending.splice(0)) p({ lines: [], code: 4, signal: null, stderr: 'stopped', timedOut: false });
  }
}

function warm(...sessions: FakeSession[]) {
  const made: FakeSession[] = [];
  const start = vi.fn(async () => {
    const s = sessions[made.length] ?? new FakeSession();
    made.push(s);
    return s;
  });
  return { w: new WarmSession(start), made, start };
}

describe('WarmSession: one QEMU guest kept for many runs', () => {
  it('boots on the first run only, and serves every later run from the same guest', async () => {
    const { w, made } = warm();
    const runs = await Promise.all([w.run('a\n'), w.run('b\n'), w.run('c\n')]);
    expect(runs.map((r) => r.lines[0])).toEqual(['a', 'b', 'c']);
    expect(await w.boot()).toEqual(INFO);
    expect(w.boots).toBe(1);
    expect(made).toHaveLength(1);
    await w.close();
  });

  it('boots again when QEMU has stopped', async () => {
    const { w, made } = warm();
    await w.run('a\n');
    made[0].kill(); // QEMU crashed
    expect((await w.run('b\n')).lines).toEqual(['b']);
    expect(w.boots).toBe(2);
    await w.close();
  });

  it('stops a run that takes longer than its time limit, says so, and boots afresh for the next', async () => {
    const { w, made } = warm();
    const r = await w.run('hang', 20);
    expect(r.timedOut).toBe(true);
    expect(made[0].alive).toBe(false);
    expect((await w.run('next\n', 1000)).timedOut).toBe(false);
    expect(w.boots).toBe(2);
    await w.close();
  });

  it('a guest that cannot boot is an error for that run; the next run tries again', async () => {
    const { w } = warm(new FakeSession(true));
    await expect(w.run('a\n')).rejects.toThrow(/could not load kvm_amd: ENODEV/);
    expect((await w.run('a\n')).lines).toEqual(['a']);
    expect(w.boots).toBe(2);
    await w.close();
  });

  it('close() powers the guest off, removes its exit hook, and later runs are refused', async () => {
    const before = process.listenerCount('exit');
    const { w, made } = warm();
    await w.run('a\n');
    expect(process.listenerCount('exit')).toBe(before + 1);
    await w.close();
    expect(made[0].closed).toBe(true);
    expect(process.listenerCount('exit')).toBe(before);
    await expect(w.run('b\n')).rejects.toThrow(/closed/);
  });

  it('close() on a session that never booted does nothing, and kills a guest that will not power off', async () => {
    await new WarmSession(async () => new FakeSession()).close();
    const stuck = new FakeSession();
    stuck.close = () => new Promise(() => {});
    const kill = vi.spyOn(stuck, 'kill');
    const { w } = warm(stuck);
    await w.run('a\n');
    await w.close(10);
    expect(kill).toHaveBeenCalled();
  });
});
