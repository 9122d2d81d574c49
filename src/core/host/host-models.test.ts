import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST_MODEL, getHostModel, SimulatedVm, scenarioFromJson } from '../index';
import { guest, hostRead, hostWrite, hostVm as vm } from '../test-support/host-vm';

describe('host models', () => {
  it('canonical width: 1<<47 in LSTAR is refused on a 48-bit host and stored on an LA57 host', () => {
    expect(hostWrite(vm('pvm-amd'), 0xc0000082, 1n << 47n).result).toBe('error');
    const intel = vm('pvm-intel');
    expect(hostWrite(intel, 0xc0000082, 1n << 47n).result).toBe('ok');
    expect(hostRead(intel, 0xc0000082).value).toBe(1n << 47n);
    expect(hostWrite(intel, 0xc0000082, 1n << 56n).result).toBe('error');
    // SYSENTER_EIP is made canonical at the host's width instead of refused.
    const amd = vm('pvm-amd', 'bare');
    guest(amd, 'write', 0x176, 1n << 47n);
    expect(hostRead(amd, 0x176).value).toBe(0xffff800000000000n);
    const la57 = vm('pvm-intel', 'bare');
    guest(la57, 'write', 0x176, 1n << 56n);
    expect(hostRead(la57, 0x176).value).toBe(0xff00000000000000n);
  });

  it('the derived twins differ from their measured model only in the canonical width', () => {
    expect(hostWrite(vm('pvm-intel-48'), 0xc0000082, 1n << 47n).result).toBe('error');
    expect(hostWrite(vm('pvm-amd-la57'), 0xc0000082, 1n << 47n).result).toBe('ok');
    // FEATURE_CONTROL stays the vendor's rule
    expect(hostRead(vm('pvm-intel-48', 'bare'), 0x3a)).toMatchObject({ result: 'ok', value: 0n });
    expect(hostRead(vm('pvm-amd-la57'), 0x3a).result).toBe('error');
    expect(getHostModel('pvm-intel-48')).toMatchObject({ vendor: 'intel', virtAddrBits: 48 });
    expect(getHostModel('pvm-intel-48').provenance.kind).toBe('derived');
  });

  it('FEATURE_CONTROL: an Intel host reads 0 and may write only 0; an AMD host fails every host access', () => {
    expect(hostRead(vm('pvm-amd'), 0x3a).result).toBe('error');
    const intel = vm('pvm-intel', 'bare');
    expect(hostRead(intel, 0x3a)).toMatchObject({ result: 'ok', value: 0n });
    expect(hostWrite(intel, 0x3a, 0n).result).toBe('ok');
    expect(hostWrite(intel, 0x3a, 1n).result).toBe('error');
    expect(guest(intel, 'read', 0x3a).result).toBe('gp');
  });

  it('ARCH_CAPABILITIES: the Intel host offers its value to a host-derived CPUID, writable until the first run', () => {
    expect(guest(vm('pvm-amd'), 'read', 0x10a).result).toBe('gp');
    const intel = vm('pvm-intel');
    expect(hostRead(intel, 0x10a).value).toBe(0xc00e16dn);
    expect(hostWrite(intel, 0x10a, 0xffn).result).toBe('ok');
    expect(guest(intel, 'read', 0x10a)).toMatchObject({ result: 'ok', value: 0xffn });
    expect(hostWrite(intel, 0x10a, 0x1n).result).toBe('error');
    // The bare vCPU has no CPUID: no leak, the host may write only 0.
    expect(hostWrite(vm('pvm-intel', 'bare'), 0x10a, 0x1n).result).toBe('error');
  });

  it("TSC_AUX: the upper half is dropped on an AMD host's vCPU and refused on an Intel host's", () => {
    const amd = vm('pvm-amd');
    expect(hostWrite(amd, 0xc0000103, 0x1_0000_0005n).result).toBe('ok');
    expect(hostRead(amd, 0xc0000103).value).toBe(5n);
    expect(hostWrite(vm('pvm-intel'), 0xc0000103, 0x1_0000_0005n).result).toBe('error');
  });

  it('IA32_PAT: kvm_amd and kvm_intel refuse an invalid memory type; PVM stores it', () => {
    const bad = 0x0808080808080808n;
    expect(guest(vm('pvm-amd'), 'write', 0x277, bad).result).toBe('ok');
    expect(guest(vm('svm'), 'write', 0x277, bad).result).toBe('gp');
    expect(guest(vm('vmx'), 'write', 0x277, bad).result).toBe('gp');
    expect(guest(vm('svm'), 'write', 0x277, 0x0007040600070406n).result).toBe('ok');
  });

  it('a scenario that names no host runs on the default host; "native" needs the CLI', () => {
    const s = scenarioFromJson({ steps: [] });
    expect(s.hostModel).toBeUndefined();
    expect(new SimulatedVm(s).host.id).toBe(DEFAULT_HOST_MODEL);
    expect(scenarioFromJson({ hostModel: 'pvm-intel', steps: [] }).hostModel).toBe('pvm-intel');
    expect(() => scenarioFromJson({ hostModel: 'native', steps: [] })).toThrow(/hostModel/);
    expect(scenarioFromJson({ hostModel: 'native', steps: [] }, { nativeHost: () => 'svm' }).hostModel).toBe('svm');
    expect(() => scenarioFromJson({ hostModel: 'z80', steps: [] })).toThrow(/hostModel: unknown host model/);
  });
});
