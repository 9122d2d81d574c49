// @vitest-environment node
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectNativeHost } from './native-host';

function fakeRoot(vendor: string, flags: string, module: string | null, kvm = true): string {
  const root = `${mkdtempSync(join(tmpdir(), 'host-'))}/`;
  mkdirSync(`${root}proc`);
  writeFileSync(`${root}proc/cpuinfo`, `vendor_id\t: ${vendor}\nflags\t\t: fpu msr ${flags}\n`);
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
    ['AuthenticAMD', '', 'kvm_amd', 'svm'],
    ['GenuineIntel', '', 'kvm_intel', 'vmx'],
  ])('%s %s with %s is %s', (vendor, flags, module, id) => {
    const n = detectNativeHost(fakeRoot(vendor, flags, module));
    expect(n.id).toBe(id);
    expect(n.why).toContain(module);
  });
  it('says plainly when there is no /dev/kvm, and notes a width the model does not assume', () => {
    expect(detectNativeHost(fakeRoot('AuthenticAMD', '', 'kvm_pvm', false))).toMatchObject({ id: null });
    expect(detectNativeHost(fakeRoot('AuthenticAMD', '', 'kvm_pvm', false)).why).toMatch(/no \/dev\/kvm/);
    expect(detectNativeHost(fakeRoot('GenuineIntel', '', 'kvm_pvm')).why).toMatch(/assumes a 57-bit/);
  });
});
