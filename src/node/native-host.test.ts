// @vitest-environment node
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectNativeHost } from './native-host';

function fakeRoot(vendor: string, flags: string, module: string | null, kvm = true, virtBits?: number): string {
  const root = `${mkdtempSync(join(tmpdir(), 'host-'))}/`;
  mkdirSync(`${root}proc`);
  const sizes = virtBits ? `address sizes\t: 48 bits physical, ${virtBits} bits virtual\n` : '';
  writeFileSync(`${root}proc/cpuinfo`, `vendor_id\t: ${vendor}\nflags\t\t: fpu msr ${flags}\n${sizes}`);
  if (module) mkdirSync(`${root}sys/module/${module}`, { recursive: true });
  if (kvm) {
    mkdirSync(`${root}dev`);
    writeFileSync(`${root}dev/kvm`, '');
  }
  return root;
}

describe('the native host model comes from the loaded module and the CPU', () => {
  it.each([
    ['AuthenticAMD', '', 'kvm_pvm', 'pvm-amd'],
    ['GenuineIntel', 'la57', 'kvm_pvm', 'pvm-intel'],
    // the other width than the measured one: the derived twin with that width's canonical checks
    ['GenuineIntel', '', 'kvm_pvm', 'pvm-intel-48'],
    ['AuthenticAMD', 'la57', 'kvm_pvm', 'pvm-amd-la57'],
    ['AuthenticAMD', '', 'kvm_amd', 'svm'],
    ['GenuineIntel', '', 'kvm_intel', 'vmx'],
  ])('%s %s with %s is %s', (vendor, flags, module, id) => {
    const n = detectNativeHost(fakeRoot(vendor, flags, module));
    expect(n.id).toBe(id);
    expect(n.why).toContain(module);
  });
  it('takes LA57 from the CPU (address sizes), not from the la57 flag of a host kernel on 4-level paging', () => {
    // this project's Intel machines: no `la57` flag, "57 bits virtual", and KVM accepts 1<<47 in LSTAR (measured)
    const intel = detectNativeHost(fakeRoot('GenuineIntel', '', 'kvm_pvm', true, 57));
    expect(intel).toMatchObject({ id: 'pvm-intel', la57: true });
    expect(intel.why).toContain('57 bits virtual');
    expect(detectNativeHost(fakeRoot('AuthenticAMD', '', 'kvm_pvm', true, 48))).toMatchObject({ id: 'pvm-amd' });
    expect(detectNativeHost(fakeRoot('AuthenticAMD', '', 'kvm_pvm', true, 57))).toMatchObject({ id: 'pvm-amd-la57' });
  });
  it('says plainly when there is no /dev/kvm, and notes a width the model does not assume', () => {
    expect(detectNativeHost(fakeRoot('AuthenticAMD', '', 'kvm_pvm', false))).toMatchObject({ id: null });
    expect(detectNativeHost(fakeRoot('AuthenticAMD', '', 'kvm_pvm', false)).why).toMatch(/no \/dev\/kvm/);
    // kvm_intel is modelled at 48 bits only
    expect(detectNativeHost(fakeRoot('GenuineIntel', 'la57', 'kvm_intel')).why).toMatch(/assumes a 48-bit/);
    expect(detectNativeHost(fakeRoot('GenuineIntel', '', 'kvm_pvm')).why).not.toMatch(/assumes/);
  });
});
