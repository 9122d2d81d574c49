import type { Decision, VmmReply } from '../core/index';
import { PRESETS as CORE_PRESETS, type PresetId } from '../core/presets';
import { newSavedId, type PlaygroundDocument, type SavedAccess } from './state/document';

/**
 * The playground's presets: the engine's preset scenarios (src/core/presets.ts, where each one's origin is kept)
 * with a few saved accesses that show what the filter does, as tests that pass.
 */
export interface Preset {
  id: PresetId;
  label: string;
  /** Where it comes from, in one line. */
  origin: string;
  build(): PlaygroundDocument;
}

function rd(index: number, expect: Decision, reply?: VmmReply): SavedAccess {
  return { id: newSavedId(), op: 'rdmsr', index, value: 0n, host: false, expect, ...(reply ? { reply } : {}) };
}

function wr(index: number, value: bigint, expect: Decision): SavedAccess {
  return { id: newSavedId(), op: 'wrmsr', index, value, host: false, expect };
}

const EXAMPLES: Record<PresetId, () => SavedAccess[]> = {
  // QEMU answers the read of 0x35 itself; writes are not filtered and KVM refuses them.
  'qemu-default': () => [rd(0x35, 'eperm'), wr(0x35, 0n, 'gp'), rd(0x10, 'allow')],
  // Round 1 of the selftest (kvm-msr-filter.md section 5, T2); its VMM answers reads with the index.
  'selftest-deny': () => [
    wr(0xc000_0084, 0n, 'allow'),
    rd(0xc000_0084, 'eperm', { error: false, data: 0xc000_0084n }),
    rd(0xc000_0101, 'eperm', { error: false, data: 0xc000_0101n }),
    wr(0x1fc, 0x1234n, 'eperm'),
    rd(0xdead_beef, 'gp', { error: false, data: 0xdead_beefn }),
    wr(0xdead_beef, 0x1234n, 'gp'),
  ],
  'deny-all-but-architectural': () => [rd(0x10, 'allow'), rd(0xc000_0080, 'allow'), rd(0x1234_5678, 'eperm')],
  // Without a default action, everything outside the two ranges is denied (-ENOENT).
  'allowlist-v4-example': () => [rd(0x10, 'allow'), wr(0xc000_0080, 0n, 'eperm'), rd(0x1b, 'eperm')],
};

export const PRESETS: readonly Preset[] = CORE_PRESETS.map((p) => ({
  id: p.id,
  label: p.name,
  origin: p.origin,
  build: (): PlaygroundDocument => {
    const s = p.scenario;
    return {
      name: p.name,
      policy: s.filter ?? { flags: 0, ranges: [] },
      profile: s.profile,
      vcpu: s.vcpu,
      exits: s.exits,
      ignoreMsrs: s.ignoreMsrs,
      vmm: s.vmm,
      saved: EXAMPLES[p.id](),
    };
  },
}));

export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
