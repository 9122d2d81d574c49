/**
 * Preset documents: real-world and teaching filters the playground (and the CLI, and the tests) can start from.
 * Data only. Each preset is a whole scenario (profile, vCPU, exit reasons, VMM replies, filter) with no steps; its
 * bitmaps are canonical (no trailing zero bytes: missing bytes are zero), so a share link of it decodes to it exactly.
 */
import {
  KVM_MSR_EXIT_REASON_FILTER,
  KVM_MSR_EXIT_REASON_INVAL,
  KVM_MSR_EXIT_REASON_UNKNOWN,
  KVM_MSR_FILTER_DEFAULT_ALLOW,
  KVM_MSR_FILTER_DEFAULT_DENY,
  KVM_MSR_FILTER_MAX_MSRS,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
} from './constants';
import { filledBitmap, withBit } from './policy/bitmap';
import type { Scenario } from './scenario/types';

export type PresetId = 'qemu-default' | 'selftest-deny' | 'deny-all-but-architectural' | 'allowlist-v4-example';

export interface Preset {
  id: PresetId;
  /** A short title for menus. */
  name: string;
  /** Where it comes from, in one line. */
  origin: string;
  scenario: Scenario;
}

const R = KVM_MSR_FILTER_READ;
const W = KVM_MSR_FILTER_WRITE;
const RW = R | W;
const FULL = KVM_MSR_FILTER_MAX_MSRS; // 0x3000 MSRs, 0x600 bitmap bytes

function allOnesExcept(nmsrs: number, ...cleared: number[]): Uint8Array {
  let b = filledBitmap(nmsrs, true);
  for (const bit of cleared) b = withBit(b, bit, false);
  return b;
}

const QEMU_DEFAULT: Preset = {
  id: 'qemu-default',
  name: 'QEMU default',
  origin:
    'QEMU target/i386/kvm/kvm.c: reads of MSR_CORE_THREAD_COUNT (0x35) exit to QEMU with reason FILTER, which ' +
    'answers threads and cores per package',
  scenario: {
    profile: 'linux-6.12',
    vcpu: 'linux64',
    exits: BigInt(KVM_MSR_EXIT_REASON_FILTER),
    ignoreMsrs: false,
    // One core, one thread: cores per package in bits 31:16, threads per package in bits 15:0.
    vmm: { read: { error: false, data: 0x0001_0001n }, write: { error: true } },
    filter: {
      name: 'QEMU default',
      flags: KVM_MSR_FILTER_DEFAULT_ALLOW,
      // One MSR, bit 0 clear (the bitmap QEMU passes is a u64 0): reads of 0x35 are denied and exit.
      ranges: [{ flags: R, base: 0x35, nmsrs: 1, bitmap: new Uint8Array(0) }],
    },
    steps: [],
  },
};

const SELFTEST_DENY: Preset = {
  id: 'selftest-deny',
  name: 'Selftest deny filter',
  origin:
    'Linux tools/testing/selftests/kvm/x86/userspace_msr_exit_test.c, test_msr_filter_deny: DEFAULT_DENY, ' +
    'all-ones bitmaps except writes of 0x1fc and reads of 0xc0000084 and 0xc0000101; exits INVAL|UNKNOWN|FILTER',
  scenario: {
    profile: 'linux-6.12',
    vcpu: 'linux64',
    exits: BigInt(KVM_MSR_EXIT_REASON_INVAL | KVM_MSR_EXIT_REASON_UNKNOWN | KVM_MSR_EXIT_REASON_FILTER),
    ignoreMsrs: false,
    // The selftest's VMM answers every exit without error (it returns the index for reads; 0 here).
    vmm: { read: { error: false, data: 0n }, write: { error: false, data: 0n } },
    filter: {
      name: 'Selftest deny filter',
      flags: KVM_MSR_FILTER_DEFAULT_DENY,
      ranges: [
        { flags: R, base: 0x0000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
        { flags: W, base: 0x0000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL, 0x1fc) },
        { flags: RW, base: 0x4000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
        { flags: R, base: 0xc000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL, 0x84, 0x101) },
        { flags: W, base: 0xc000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
        { flags: RW, base: 0xdead_beef, nmsrs: 1, bitmap: new Uint8Array([0x01]) },
      ],
    },
    steps: [],
  },
};

const DENY_ALL_BUT_ARCHITECTURAL: Preset = {
  id: 'deny-all-but-architectural',
  name: 'Deny all but architectural',
  origin:
    'Teaching preset: DEFAULT_DENY, and allow every MSR of the architectural, Hyper-V, KVM paravirtual, AMD64 and ' +
    'AMD blocks (5 of 16 ranges); clear bits to carve out denies',
  scenario: {
    profile: 'linux-6.12',
    vcpu: 'linux64',
    exits: null,
    ignoreMsrs: false,
    vmm: { read: { error: true }, write: { error: true } },
    filter: {
      name: 'Deny all but architectural',
      flags: KVM_MSR_FILTER_DEFAULT_DENY,
      ranges: [
        { flags: RW, base: 0x0000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
        { flags: RW, base: 0x4000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
        { flags: RW, base: 0x4b56_4d00, nmsrs: 0x100, bitmap: allOnesExcept(0x100) },
        { flags: RW, base: 0xc000_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
        { flags: RW, base: 0xc001_0000, nmsrs: FULL, bitmap: allOnesExcept(FULL) },
      ],
    },
    steps: [],
  },
};

const ALLOWLIST_V4_EXAMPLE: Preset = {
  id: 'allowlist-v4-example',
  name: 'Allow-list (v4 series)',
  origin:
    'Teaching preset for the unmerged allow-list series v4 (Aug 2020): two KVM_X86_ADD_MSR_ALLOWLIST ranges; with ' +
    'no default action, every MSR outside them is denied (-ENOENT)',
  scenario: {
    profile: 'allowlist-v4',
    vcpu: 'bare',
    exits: null,
    ignoreMsrs: false,
    vmm: { read: { error: true }, write: { error: true } },
    filter: {
      name: 'Allow-list example',
      flags: 0,
      ranges: [
        // IA32_TSC, read and write.
        { flags: RW, base: 0x0000_0010, nmsrs: 1, bitmap: new Uint8Array([0x01]) },
        // EFER, STAR, LSTAR, CSTAR, SFMASK: read only.
        { flags: R, base: 0xc000_0080, nmsrs: 5, bitmap: new Uint8Array([0x1f]) },
      ],
    },
    steps: [],
  },
};

export const PRESETS: readonly Preset[] = [
  QEMU_DEFAULT,
  SELFTEST_DENY,
  DENY_ALL_BUT_ARCHITECTURAL,
  ALLOWLIST_V4_EXAMPLE,
];

export function getPreset(id: PresetId): Preset {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown preset ${id}`);
  return p;
}
