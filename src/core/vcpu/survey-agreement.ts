import { definitionOf } from '../host/effective-model';
import type { HostModelId } from '../host/host-models';
import { hex32, hex64 } from '../numbers';
import type { ProfileId } from '../profiles/types';
import { SimulatedVm } from '../vm/vm';
import type { VcpuModelId } from './models';

/** One MSR's row of a real-kernel survey (oracle/survey/*.json), as recorded by oracle/survey.mjs. */
export interface SurveyRow {
  index: string;
  name?: string;
  read: string;
  stable: boolean;
  host: string;
  /** [value written, guest write result, guest read-back, host read-back]; a null value: not measured. */
  writes: ([string, string, string, string] | null)[];
  /** [value written, host write result, host read-back, guest read-back]. */
  hostWrites: [string, string, string, string][];
}

/**
 * Where a survey was measured: the host model and kernel profile to simulate it on, and the MSRs whose guest writes
 * the backend let the CPU execute without KVM (checks.json `passthrough`, measured by KVM's exit count): under QEMU
 * TCG that CPU is QEMU's emulator, whose checks are not KVM's, so those guest writes (and their read-backs) are not
 * compared. `skipped` counts what was left out.
 */
export interface SurveyHost {
  host?: HostModelId;
  profile?: ProfileId;
  cpuReads?: ReadonlySet<number>;
  cpuWrites?: ReadonlySet<number>;
  /** MSRs whose guest reads after a host write are not KVM's (host.json `notCompared`: the reasons). */
  notAfterHostWrite?: ReadonlySet<number>;
  skipped?: { count: number };
}

/** The MSR changes on its own on this host (a counter): its values are not compared. */
function volatileOn(model: VcpuModelId, host: HostModelId | undefined, index: number): boolean {
  return definitionOf(freshVm(model, host).model, index)?.volatile === true;
}

/** A bare host model id is the PVM surveys' old calling convention. */
const hostOf = (h?: HostModelId | SurveyHost): SurveyHost => (typeof h === 'string' ? { host: h } : (h ?? {}));

function freshVm(model: VcpuModelId, hostModel?: HostModelId, profile: ProfileId = 'linux-6.12'): SimulatedVm {
  const vm = new SimulatedVm({
    profile,
    vcpu: model,
    hostModel,
    exits: 0x7n,
    ignoreMsrs: false,
    vmm: { read: { error: true }, write: { error: true } },
  });
  vm.setExits(0x7n);
  return vm;
}

/** A guest access in the survey's notation: "ok 0x…" / "gp unknown" / "gp inval"; `withValue` false drops the value. */
function guestRead(vm: SimulatedVm, index: number, withValue: boolean): string {
  const r = vm.access({ type: 'read', index }, false);
  if (r.result === 'ok') return withValue ? `ok ${hex64(r.value ?? 0n)}` : 'ok';
  return `gp ${r.exit?.reason ?? 'none'}`;
}

function hostRead(vm: SimulatedVm, index: number, withValue: boolean): string {
  const r = vm.access({ type: 'read', index, host: true }, false);
  return r.result === 'ok' ? (withValue ? `ok ${hex64(r.value ?? 0n)}` : 'ok') : 'error';
}

const stripValue = (s: string, keep: boolean) => (keep ? s : s.replace(/^ok .*/, 'ok'));

/** Replays every survey measurement on the simulator and lists each disagreement. */
export function surveyDisagreements(
  model: VcpuModelId,
  rows: readonly SurveyRow[],
  where?: HostModelId | SurveyHost,
): string[] {
  const { host, profile, cpuReads, cpuWrites, notAfterHostWrite, skipped } = hostOf(where);
  const out: string[] = [];
  for (const row of rows) {
    const index = Number(row.index);
    const keep = row.stable && !volatileOn(model, host, index);
    const at = `${hex32(index)} ${row.name ?? ''}`.trim();
    const check = (what: string, sim: string, real: string) => {
      const afterHost = what.startsWith('guest read after host write') && notAfterHostWrite?.has(index);
      if ((what.startsWith('guest read') && cpuReads?.has(index)) || afterHost) {
        if (skipped) skipped.count++;
        return;
      }
      if (stripValue(sim, keep) !== stripValue(real, keep))
        out.push(`${at}: ${what}: simulator "${sim}", kernel "${real}"`);
    };
    check('guest read', guestRead(freshVm(model, host, profile), index, true), row.read);
    check('host read', hostRead(freshVm(model, host, profile), index, true), row.host);
    for (const w of row.writes) {
      if (w === null) continue;
      if (cpuWrites?.has(index)) {
        if (skipped) skipped.count += 3;
        continue;
      }
      const [value, write, readBack, hostReadBack] = w;
      const vm = freshVm(model, host, profile);
      const r = vm.access({ type: 'write', index, value: BigInt(value) }, false);
      check(`guest write ${value}`, r.result === 'ok' ? 'ok' : `gp ${r.exit?.reason ?? 'none'}`, write);
      check(`guest read after guest write ${value}`, guestRead(vm, index, true), readBack);
      check(`host read after guest write ${value}`, hostRead(vm, index, true), hostReadBack);
    }
    for (const [value, write, hostReadBack, guestReadBack] of row.hostWrites) {
      const vm = freshVm(model, host, profile);
      const r = vm.access({ type: 'write', index, value: BigInt(value), host: true }, false);
      check(`host write ${value}`, r.result === 'ok' ? 'ok' : 'error', write);
      check(`host read after host write ${value}`, hostRead(vm, index, true), hostReadBack);
      check(`guest read after host write ${value}`, guestRead(vm, index, true), guestReadBack);
    }
  }
  return out;
}

/** The windows swept for reads (oracle/survey/reads-*.json lists every index KVM knows in them). */
export const SWEPT_WINDOWS: readonly [number, number][] = [
  [0, 0x2000],
  [0xc0000000, 0xc0002000],
  [0xc0010000, 0xc0012000],
  [0x40000000, 0x40000200],
  [0x4b564d00, 0x4b564e00],
];

/** Indexes whose measured behaviour depends on this particular host's kernel build and is not simulated. */
export const NOT_SIMULATED = new Set([0x4b564d10, 0x4b564d11, 0x4b564d12, 0x4b564d13, 0x4b564dff]);

function readNotation(r: string): string {
  // "rdmsr exit=inval kreason=inval result=gp value=-" / "... result=ok value=0x..." / "hostrd result=ok value=0x..."
  const gp = /kreason=(\w+) result=gp/.exec(r);
  if (gp) return `gp ${gp[1]}`;
  const ok = /result=ok value=(0x[0-9a-f]+)/.exec(r);
  if (ok) return `ok ${ok[1]}`;
  return 'error';
}

/** Every index of the swept windows: known ones must read as measured, the rest must be unknown to KVM. */
export function readSweepDisagreements(
  model: VcpuModelId,
  known: Record<string, { r: string; h: string }>,
  where?: HostModelId | SurveyHost,
): string[] {
  const { host, profile, cpuReads, skipped } = hostOf(where);
  const out: string[] = [];
  for (const [lo, hi] of SWEPT_WINDOWS) {
    for (let index = lo; index < hi; index++) {
      if (NOT_SIMULATED.has(index) || index === 0x10) continue;
      const m = known[`0x${index.toString(16)}`];
      const keep = !volatileOn(model, host, index);
      const realGuest = stripValue(m ? readNotation(m.r) : 'gp unknown', keep);
      const realHost = stripValue(m ? readNotation(m.h) : 'error', keep);
      const simGuest = stripValue(guestRead(freshVm(model, host, profile), index, true), keep);
      const simHost = stripValue(hostRead(freshVm(model, host, profile), index, true), keep);
      if (cpuReads?.has(index)) {
        if (skipped) skipped.count++;
      } else if (simGuest !== realGuest)
        out.push(`${hex32(index)}: guest read: simulator "${simGuest}", kernel "${realGuest}"`);
      if (simHost !== realHost) out.push(`${hex32(index)}: host read: simulator "${simHost}", kernel "${realHost}"`);
    }
  }
  return out;
}

function shortNotation(s: string): string {
  return s.replace(/ value=-/, '').replace(/^exit=\w+ /, '');
}

/** The write probe (oracle/survey/windows-*.json): per value, a fresh VM, a write, then guest and host reads. */
export function writeProbeDisagreements(
  model: VcpuModelId,
  probe: Record<string, { w: Record<string, string>; hw: Record<string, string> }>,
  where?: HostModelId | SurveyHost,
): string[] {
  const { host, profile, cpuReads, cpuWrites, notAfterHostWrite, skipped } = hostOf(where);
  const out: string[] = [];
  for (const [key, rec] of Object.entries(probe)) {
    const index = Number(key);
    if (NOT_SIMULATED.has(index) || index === 0x10) continue;
    const keep = !volatileOn(model, host, index);
    const ok = (v: bigint | null) => (keep ? `ok ${(v ?? 0n).toString(16)}` : 'ok');
    const gread = (vm: SimulatedVm, afterHostWrite = false) => {
      if (cpuReads?.has(index) || (afterHostWrite && notAfterHostWrite?.has(index))) return 'cpu';
      const r = vm.access({ type: 'read', index }, false);
      return r.result === 'ok' ? ok(r.value) : `gp ${r.exit?.reason}`;
    };
    const hread = (vm: SimulatedVm) => {
      const r = vm.access({ type: 'read', index, host: true }, false);
      return r.result === 'ok' ? ok(r.value) : 'error';
    };
    /** The kernel's notation with values dropped where they are not compared and the CPU's guest reads masked. */
    const real = (note: string, guestAt: 1 | 2) => {
      const [first, rest] = note.split(' > ');
      const parts = (rest ?? '').split(' / ');
      if (cpuReads?.has(index) || (guestAt === 2 && notAfterHostWrite?.has(index))) parts[guestAt - 1] = 'cpu';
      const values = parts.map((p) => (keep ? p : p.replace(/^ok [0-9a-f]+$/, 'ok')));
      return `${first} > ${values.join(' / ')}`;
    };
    for (const [value, note] of Object.entries(rec.w)) {
      if (cpuWrites?.has(index)) {
        if (skipped) skipped.count++;
        continue;
      }
      const vm = freshVm(model, host, profile);
      const w = vm.access({ type: 'write', index, value: BigInt(value) }, false);
      const sim = `${w.result === 'ok' ? 'ok' : `gp ${w.exit?.reason}`} > ${gread(vm)} / ${hread(vm)}`;
      if (sim !== real(shortNotation(note).replace(/ > exit=\w+ /, ' > '), 1))
        out.push(`${hex32(index)}: guest write ${value}: simulator "${sim}", kernel "${note}"`);
    }
    for (const [value, note] of Object.entries(rec.hw)) {
      const vm = freshVm(model, host, profile);
      const w = vm.access({ type: 'write', index, value: BigInt(value), host: true }, false);
      const sim = `${w.result === 'ok' ? 'ok' : 'error'} > ${hread(vm)} / ${gread(vm, true)}`;
      const norm = real(note.replace(/ \/ exit=\w+ /, ' / ').replace(/ value=-/, ''), 2);
      if (sim !== norm) out.push(`${hex32(index)}: host write ${value}: simulator "${sim}", kernel "${note}"`);
    }
  }
  return out;
}
