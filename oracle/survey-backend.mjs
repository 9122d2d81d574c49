// Where oracle/survey.mjs runs its helper sessions. A session is a list of helper commands on a fresh VM (the first
// is `vcpu MODEL`; a filter block is one multi-line string = one command); it resolves with the responses, the fatal
// line if the helper died, and its exit code.
//
// - local (default): one oracle/build/kvm-oracle process per session on this machine's /dev/kvm, JOBS at a time.
// - svm-6.1: one QEMU boot of Debian's kvm_amd 6.1 (oracle/qemu/); sessions queued meanwhile are batched into one
//   helper run in the guest, separated by the helper's `close` (so each still gets a fresh VM), because starting a
//   helper in the guest costs ~70 ms and a fresh VM there 30-60 ms. Needs tsx (it imports the TypeScript backend).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = join(here, 'build', 'kvm-oracle');

export const hex8 = (n) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
export const hex16 = (b) => `0x${BigInt.asUintN(64, b).toString(16).padStart(16, '0')}`;

/** Parses `rdmsr exit=none kreason=none result=ok value=0x...` into an object. */
export function parse(line) {
  if (line === undefined) return null;
  const [op, ...kv] = line.split(' ');
  const o = { op };
  for (const t of kv) {
    const i = t.indexOf('=');
    if (i > 0) o[t.slice(0, i)] = t.slice(i + 1);
    else o.value = t;
  }
  return o;
}

function splitOutput(lines) {
  const fatal = lines.find((l) => l.startsWith('fatal')) ?? null;
  return { responses: lines.filter((l) => !l.startsWith('fatal')), fatal };
}

function localSession(commands) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d) => {
      buf += d;
    });
    p.on('error', reject);
    p.on('close', (code) => {
      resolve({ ...splitOutput(buf.split('\n').filter((l) => l.length > 0)), code });
    });
    p.stdin.on('error', () => {});
    p.stdin.end(`${commands.join('\n')}\nquit\n`);
  });
}

/** Batches queued sessions into one helper run in the QEMU guest (`close` between them). */
class GuestBatcher {
  constructor(qemu, { maxSessions = 400, maxBytes = 4 << 20 } = {}) {
    this.qemu = qemu;
    this.queue = [];
    this.running = false;
    this.limits = { maxSessions, maxBytes };
    this.runs = 0;
    this.sessions = 0;
  }

  session(commands) {
    return new Promise((resolve, reject) => {
      this.queue.push({ commands, resolve, reject });
      this.kick();
    });
  }

  kick() {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    setImmediate(() => {
      this.flush().finally(() => {
        this.running = false;
        this.kick();
      });
    });
  }

  async flush() {
    const batch = [];
    let bytes = 0;
    while (this.queue.length && batch.length < this.limits.maxSessions) {
      const size = this.queue[0].commands.reduce((n, c) => n + c.length + 1, 6);
      if (batch.length && bytes + size > this.limits.maxBytes) break;
      bytes += size;
      batch.push(this.queue.shift());
    }
    const script = `${batch.map((s) => [...s.commands, 'close'].join('\n')).join('\n')}\nquit\n`;
    let run;
    try {
      run = await this.qemu.run(script);
    } catch (e) {
      for (const s of batch) s.reject(e);
      return;
    }
    this.runs++;
    let at = 0;
    for (let i = 0; i < batch.length; i++) {
      const want = batch[i].commands.length + 1; // one response per command, and `close`'s ok
      const mine = run.lines.slice(at, at + want);
      const f = mine.findIndex((l) => l.startsWith('fatal'));
      if (f >= 0 || mine.length < want) {
        // the helper died in this session: it gets what it printed; the sessions after it go round again
        batch[i].resolve({
          responses: mine.slice(0, f >= 0 ? f : mine.length),
          fatal: mine[f] ?? null,
          code: run.code,
        });
        this.sessions++;
        this.queue.unshift(...batch.slice(i + 1));
        return;
      }
      batch[i].resolve({ responses: mine, fatal: null, code: 0 });
      this.sessions++;
      at += want;
    }
  }
}

let backend = { name: 'local', session: localSession, close: async () => {} };

/** The current backend's session runner. */
export function session(commands) {
  return backend.session(commands);
}

export function backendName() {
  return backend.name;
}

/** Kernel, CPU and more of the machine the sessions run on. */
export function machine() {
  if (backend.name === 'local') {
    return {
      backend: 'local /dev/kvm',
      kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
      cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] ?? '?',
    };
  }
  return backend.machine;
}

/** Boots the svm-6.1 guest and routes every session there. Throws with a plain message where it cannot. */
export async function bootSvm61() {
  let img;
  let qs;
  try {
    img = await import('./qemu/guest-image.ts');
    qs = await import('./qemu/qemu-session.ts');
  } catch (e) {
    throw new Error(`the svm-6.1 backend is TypeScript: run this with \`npx tsx oracle/survey.mjs\` (${e.message})`);
  }
  const missing = img.missingTools();
  if (missing) throw new Error(`${missing}; ${img.INSTALL_HINT}`);
  const image = await img.ensureGuestImage();
  const qemu = new qs.QemuSession(image);
  const info = await qemu.boot();
  const batcher = new GuestBatcher(qemu);
  const version = (await import('node:child_process'))
    .spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' })
    .stdout.split('\n')[0];
  backend = {
    name: 'svm-6.1',
    session: (c) => batcher.session(c),
    close: () => qemu.close(),
    stats: () => ({ runs: batcher.runs, sessions: batcher.sessions }),
    machine: {
      backend: 'svm',
      kernel: info.kernel.split(' ')[0],
      kernelBuild: info.kernel.split(' ').slice(1).join(' '),
      package: `linux-image-${image.release}`,
      cpu: info.cpu,
      qemu: `${version}, -accel tcg -cpu EPYC,+svm`,
      kvmAmdParams: info.params,
    },
  };
  return backend.machine;
}

export async function closeBackend() {
  const stats = backend.stats?.();
  await backend.close();
  return stats;
}
