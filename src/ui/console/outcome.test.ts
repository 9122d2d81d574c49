import { describe, expect, it } from 'vitest';
import type { FilterPolicy } from '../../core/policy/types';
import { SimulatedVm } from '../../core/vm/vm';
import { pathOf } from './outcome';

const vm = (filter: FilterPolicy | null, hostModel: 'pvm-amd' | 'vmx' = 'pvm-amd') => {
  const v = new SimulatedVm({
    profile: 'linux-6.12',
    vcpu: 'linux64',
    hostModel,
    exits: 7n,
    ignoreMsrs: false,
    vmm: { read: { error: false, data: 0n }, write: { error: true } },
  });
  if (filter) v.setFilter(filter);
  return v;
};
const filterStep = (v: SimulatedVm, type: 'read' | 'write', index: number) =>
  pathOf(v.access({ type, index, value: 1n }))[0].text;
const denyAll: FilterPolicy = { flags: 1, ranges: [{ flags: 3, base: 0x10, nmsrs: 8, bitmap: Uint8Array.of(0x01) }] };

describe('the path line names what decided at the filter', () => {
  it('a range bit, or the default action only when the default action decided', () => {
    expect(filterStep(vm(denyAll), 'read', 0x10)).toBe('allowed (ranges[0] bit 0)');
    expect(filterStep(vm(denyAll), 'read', 0x11)).toBe('denied (ranges[0] bit 1)');
    expect(filterStep(vm(denyAll), 'read', 0x1b)).toBe('denied (default action)');
  });

  it('x2APIC MSRs, no filter and the VM-exit fastpath are not the default action', () => {
    expect(filterStep(vm(denyAll), 'read', 0x802)).toBe('allowed (x2APIC MSRs are never filtered)');
    expect(filterStep(vm(null), 'read', 0x1b)).toBe('allowed (no filter installed)');
    const deadline: FilterPolicy = {
      flags: 0,
      ranges: [{ flags: 2, base: 0x6e0, nmsrs: 1, bitmap: Uint8Array.of(0) }],
    };
    expect(filterStep(vm(deadline, 'vmx'), 'write', 0x6e0)).toBe(
      "allowed (the backend's VM-exit fastpath, before the filter)",
    );
    expect(filterStep(vm(deadline), 'write', 0x6e0)).toBe('denied (ranges[0] bit 0)');
  });

  it('the allow-list series has no default action: an MSR no range covers is denied for that', () => {
    const v = new SimulatedVm({
      profile: 'allowlist-v4',
      vcpu: 'linux64',
      exits: 7n,
      ignoreMsrs: false,
      vmm: { read: { error: false, data: 0n }, write: { error: true } },
    });
    v.setFilter({ flags: 0, ranges: [{ flags: 1, base: 0x10, nmsrs: 8, bitmap: Uint8Array.of(0xff) }] });
    expect(filterStep(v, 'read', 0x100)).toBe('denied (no range covers it: the allow list denies it)');
  });
});
