import {
  fillBits,
  filledBitmap,
  KVM_MSR_EXIT_REASON_FILTER,
  KVM_MSR_FILTER_DEFAULT_ALLOW,
  KVM_MSR_FILTER_READ,
  KVM_MSR_FILTER_WRITE,
} from '../core/index';
import { newSavedId, type PlaygroundDocument, type SavedAccess } from './state/document';

const R = KVM_MSR_FILTER_READ;
const W = KVM_MSR_FILTER_WRITE;

function bitmap(nmsrs: number, allowed: boolean, flips: readonly [number, number][]): Uint8Array {
  const b = filledBitmap(nmsrs, allowed);
  for (const [from, to] of flips) fillBits(b, from, to, !allowed);
  return b;
}

function access(op: 'rdmsr' | 'wrmsr', index: number, expect: SavedAccess['expect'], value = 0n): SavedAccess {
  return { id: newSavedId(), op, index, value, host: false, expect };
}

/**
 * What a first visit opens (no link in the address bar and nothing kept): a small filter that lights the grid up,
 * with allowed and denied cells in three ranges and saved accesses that pass. Old links and kept documents open as
 * they always did (share/startup.ts only asks for this document when there is neither).
 */
export function firstVisitDocument(): PlaygroundDocument {
  return {
    name: 'A first filter',
    policy: {
      flags: KVM_MSR_FILTER_DEFAULT_ALLOW,
      ranges: [
        {
          flags: R | W,
          base: 0,
          nmsrs: 0x200,
          // the low architectural MSRs allowed, except the thread count (0x35), 0x3a and the SYSENTER trio
          bitmap: bitmap(0x200, true, [
            [0x35, 0x36],
            [0x3a, 0x3b],
            [0x174, 0x177],
          ]),
          comment: 'low MSRs: allowed, a few denied',
        },
        {
          flags: W,
          base: 0xc000_0080,
          nmsrs: 0x40,
          // writes of EFER, STAR, LSTAR, CSTAR and SFMASK allowed, the rest of the block denied
          bitmap: bitmap(0x40, false, [[0x0, 0x5]]),
          comment: 'long-mode MSRs: only the syscall set may be written',
        },
        {
          flags: R,
          base: 0xc001_0000,
          nmsrs: 0x100,
          bitmap: bitmap(0x100, false, [[0x10, 0x20]]),
          comment: 'AMD MSRs: reads denied but for 0xc0010010-0xc001001f',
        },
      ],
    },
    profile: 'linux-6.12',
    vcpu: 'linux64',
    exits: BigInt(KVM_MSR_EXIT_REASON_FILTER),
    ignoreMsrs: false,
    vmm: { read: { error: false, data: 0x0001_0001n }, write: { error: true } },
    saved: [
      access('rdmsr', 0x10, 'allow'),
      access('rdmsr', 0x35, 'eperm'),
      access('wrmsr', 0x174, 'eperm', 0x10n),
      access('rdmsr', 0xc001_0000, 'eperm'),
    ],
  };
}
