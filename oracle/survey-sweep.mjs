// The read sweep, the write probe and the pass-through check of oracle/survey.mjs (reads-*.json, windows-*.json and
// checks.json's `passthrough`), on whichever backend survey-backend.mjs runs.
//
// - read sweep: every index of the swept windows, a guest RDMSR and a host KVM_GET_MSRS (fresh VM per chunk of
//   indexes; reads change nothing). Stored: the indexes KVM knows (not "guest #GP unknown and host error").
// - write sweep (to find the write-only MSRs the read sweep cannot see): a guest WRMSR of 0 and a host KVM_SET_MSRS
//   of 0 to every index, fresh VM per chunk; an index whose guest write is not UNKNOWN or whose host write succeeds
//   is known.
// - write probe: for every known index, each value of PROBE_VALUES written by the guest (`w`) and by the host (`hw`),
//   each followed by a guest and a host read. Each value sees a VM in its fresh state: a refused write leaves the VM
//   as it was, so the values are tried one after another on one VM until a write is accepted; the values after an
//   accepted one go to a fresh VM (a later round). survey.mjs cross-checks this against the strictly-fresh survey.
// - pass-through: KVM's exit count (debugfs, the helper's `kvmexits`) around an allowed guest access. An access
//   that adds only the helper's own port-I/O exit never reached KVM: the backend lets the CPU run it directly.

import { hex8, hex16, parse, session } from './survey-backend.mjs';

/** The windows swept, [lo, hi) (as src/core/vcpu/survey-agreement.ts SWEPT_WINDOWS). */
export const SWEPT_WINDOWS = [
  [0, 0x2000],
  [0xc0000000, 0xc0002000],
  [0xc0010000, 0xc0012000],
  [0x40000000, 0x40000200],
  [0x4b564d00, 0x4b564e00],
];

export const PROBE_VALUES = [0n, 1n, (1n << 64n) - 1n, 1n << 63n, 1n << 47n, 0x10n, 0xff00n];

const key = (i) => `0x${i.toString(16)}`;
const short = (v) => BigInt(v).toString(16);

function sweptIndexes() {
  const out = [];
  for (const [lo, hi] of SWEPT_WINDOWS) for (let i = lo; i < hi; i++) out.push(i);
  return out;
}

/**
 * Runs `perIndex(i)` (a list of commands, one response each) for every index, `chunk` indexes per fresh VM, and
 * collects the responses per index. A fatal ends that VM: the index gets `fatal …` and the chunk resumes after it.
 */
async function chunked(model, indexes, perIndex, chunk) {
  const jobs = [];
  for (let at = 0; at < indexes.length; at += chunk) jobs.push(indexes.slice(at, at + chunk));
  const results = new Map();
  await Promise.all(
    jobs.map(async (list) => {
      let rest = list;
      while (rest.length) {
        const cmds = [`vcpu ${model}`, 'exits 0x7', ...rest.flatMap(perIndex)];
        const s = await session(cmds);
        const per = perIndex(rest[0]).length;
        const got = s.responses.slice(2);
        let done = 0;
        for (; done < rest.length && (done + 1) * per <= got.length; done++)
          results.set(rest[done], got.slice(done * per, (done + 1) * per));
        if (done < rest.length) {
          results.set(rest[done], [s.fatal ?? 'fatal no answer']);
          done++;
        }
        rest = rest.slice(done);
      }
    }),
  );
  return results;
}

/** reads-MODEL.json: the raw helper lines of every index KVM knows in the windows. */
export async function sweepReads(model) {
  const all = sweptIndexes();
  const res = await chunked(model, all, (i) => [`rdmsr ${hex8(i)} error`, `hostrd ${hex8(i)}`], 2048);
  const known = {};
  for (const i of all) {
    const [r, h = 'hostrd result=error'] = res.get(i);
    if (r.includes('kreason=unknown') && h === 'hostrd result=error') continue;
    known[key(i)] = { r, h };
  }
  return known;
}

/** Indexes the read sweep misses but writes reach (write-only MSRs). */
export async function sweepWrites(model) {
  const all = sweptIndexes();
  const res = await chunked(
    model,
    all,
    (i) => [`wrmsr ${hex8(i)} 0x0000000000000000 error`, `hostwr ${hex8(i)} 0x0000000000000000`],
    1024,
  );
  return all.filter((i) => {
    const [w, h] = res.get(i);
    return !w.includes('kreason=unknown') || h === 'hostwr result=ok';
  });
}

function guestWriteNote(line) {
  const o = parse(line);
  if (o?.op !== 'wrmsr') return line ?? 'DEAD';
  return o.result === 'ok' ? 'ok' : `exit=${o.exit} gp ${o.kreason}`;
}
function guestReadNote(line) {
  const o = parse(line);
  if (o?.op !== 'rdmsr') return line ?? 'DEAD';
  return o.result === 'ok' ? `ok ${short(o.value)}` : `exit=${o.exit} gp ${o.kreason} value=-`;
}
function hostReadNote(line) {
  const o = parse(line);
  if (o?.op !== 'hostrd') return line ?? 'DEAD';
  return o.result === 'ok' ? `ok ${short(o.value)}` : 'error';
}
function hostWriteNote(line) {
  const o = parse(line);
  if (o?.op !== 'hostwr') return line ?? 'DEAD';
  return o.result;
}

/** One index, guest (`w`) or host (`hw`) writes of every probe value, in as few fresh VMs as the answers allow. */
async function probeOne(model, index, host) {
  const I = hex8(index);
  const out = {};
  let from = 0;
  while (from < PROBE_VALUES.length) {
    const values = PROBE_VALUES.slice(from);
    const cmds = [`vcpu ${model}`, 'exits 0x7'];
    for (const v of values) {
      if (host) cmds.push(`hostwr ${I} ${hex16(v)}`, `hostrd ${I}`, `rdmsr ${I} error`);
      else cmds.push(`wrmsr ${I} ${hex16(v)} error`, `rdmsr ${I} error`, `hostrd ${I}`);
    }
    const s = await session(cmds);
    const got = s.responses.slice(2);
    let used = 0;
    for (let k = 0; k < values.length; k++) {
      const [a, b, c] = got.slice(3 * k, 3 * k + 3);
      const dead = a === undefined || b === undefined || c === undefined;
      const fatal = s.fatal ?? 'DEAD';
      const note = host
        ? `${a === undefined ? fatal : hostWriteNote(a)} > ${b === undefined ? 'DEAD' : hostReadNote(b)} / ${c === undefined ? (b === undefined ? 'DEAD' : fatal) : guestReadNote(c)}`
        : `${a === undefined ? fatal : guestWriteNote(a)} > ${b === undefined ? 'DEAD' : guestReadNote(b)} / ${c === undefined ? 'DEAD' : hostReadNote(c)}`;
      out[key(values[k])] = note;
      used++;
      const accepted = dead || (host ? hostWriteNote(a) === 'ok' : guestWriteNote(a) === 'ok');
      if (accepted) break; // the VM is no longer fresh: the next value starts on a new one
    }
    from += used;
  }
  return out;
}

/** windows-MODEL.json: every known index, every probe value, guest and host writes. */
export async function probeWindows(model, indexes) {
  const entries = await Promise.all(
    indexes.map(async (i) => [key(i), { w: await probeOne(model, i, false), hw: await probeOne(model, i, true) }]),
  );
  return Object.fromEntries(entries);
}

/**
 * The guest accesses KVM never sees on this backend. For every index, KVM's exit count before and after the guest
 * access: +1 is the helper's own port-I/O exit alone (`out` to 0xf0 when done, to 0xf1 from the #GP handler). Writes write back the value
 * the host reads, so the VM's state stays as it was.
 */
export async function checkPassthrough(model, indexes) {
  const reads = [`vcpu ${model}`, 'exits 0x7', 'rdmsr 0x0000001b error', 'kvmexits'];
  for (const i of indexes) reads.push(`rdmsr ${hex8(i)} error`, 'kvmexits');
  const r = await session(reads);
  if (r.responses[3] === 'kvmexits -') return { model, measurable: false };
  const count = (l) => Number(l?.split(' ')[1]);
  const delta = (resp, k, stride) => count(resp[3 + stride * (k + 1)]) - count(resp[3 + stride * k]);
  const read = indexes.filter((_, k) => delta(r.responses, k, 2) === 1);
  const writes = [`vcpu ${model}`, 'exits 0x7', 'rdmsr 0x0000001b error', 'kvmexits'];
  const h = await session([`vcpu ${model}`, ...indexes.map((i) => `hostrd ${hex8(i)}`)]);
  const hostValues = indexes.map((_, k) => {
    const o = parse(h.responses[1 + k]);
    return o?.result === 'ok' ? o.value : '0x0000000000000000';
  });
  indexes.forEach((i, k) => {
    writes.push(`wrmsr ${hex8(i)} ${hostValues[k]} error`, 'kvmexits');
  });
  const w = await session(writes);
  const write = indexes.filter((_, k) => delta(w.responses, k, 2) === 1);
  return {
    model,
    measurable: true,
    method:
      "KVM's exit count (debugfs) around each allowed guest access, one VM; +1 = only the helper's port-I/O exit: " +
      'the CPU ran the RDMSR/WRMSR without KVM (writes write back the value the host reads)',
    read: read.map(hex8),
    write: write.map(hex8),
  };
}
