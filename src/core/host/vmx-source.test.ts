import { describe, expect, it } from 'vitest';
import { guest, hostRead, hostWrite, hostVm as vm } from '../test-support/host-vm';
import { SimulatedVm } from '../vm/vm';
import { VMX_FASTPATH_WRITES, VMX_SOURCE_ENTRIES } from './vmx-source';

/* The vmx host model (kvm_intel, from the kernel source): one test per rule family of vmx-source.ts. */

describe('vmx host model (kvm_intel, from source)', () => {
  it('every entry cites its source', () => {
    for (const [index, e] of VMX_SOURCE_ENTRIES) expect(e.cause, `0x${index.toString(16)}`).toMatch(/\.c /);
    for (const [index, cause] of VMX_FASTPATH_WRITES) expect(cause, `0x${index.toString(16)}`).toMatch(/\.c /);
    expect(vm('vmx').host.provenance.kind).toBe('source');
    expect(vm('vmx').host.label).toMatch(/not measured here/);
  });

  it('IA32_TSC_DEADLINE: the VM-exit fastpath writes it past a filter that denies it; PVM and kvm_amd 6.1 filter it', () => {
    const denyDeadlineWrites = {
      flags: 0,
      ranges: [{ flags: 2, base: 0x6e0, nmsrs: 1, bitmap: Uint8Array.of(0) }],
    };
    for (const id of ['vmx', 'pvm-intel', 'pvm-amd', 'svm'] as const) {
      for (const profile of ['linux-5.10', 'linux-6.12'] as const) {
        const v = new SimulatedVm({
          profile,
          vcpu: 'linux64',
          hostModel: id,
          exits: null,
          ignoreMsrs: false,
          vmm: { read: { error: true }, write: { error: true } },
        });
        v.setFilter(denyDeadlineWrites);
        const write = v.access({ type: 'write', index: 0x6e0, value: 1n });
        if (id === 'vmx') {
          expect(write, `${id} ${profile}`).toMatchObject({ decision: 'allow', result: 'ok', range: null });
          expect(write.trace[0].text).toMatch(/fastpath writes IA32_TSC_DEADLINE before the filter/);
        } else expect(write, `${id} ${profile}`).toMatchObject({ decision: 'eperm', range: 0 });
        // reads, and other denied writes, meet the filter on every host
        v.setFilter({ flags: 0, ranges: [{ flags: 3, base: 0x6e0, nmsrs: 2, bitmap: Uint8Array.of(0) }] });
        expect(v.access({ type: 'read', index: 0x6e0 }).decision).toBe('eperm');
        expect(v.access({ type: 'write', index: 0x6e1, value: 1n }).decision).toBe('eperm');
      }
    }
  });

  it('FEATURE_CONTROL: the guest reads it and may only lock it; the host sets the supported bits, locked or not', () => {
    expect(guest(vm('pvm-intel'), 'read', 0x3a).result).toBe('gp');
    const v = vm('vmx');
    expect(guest(v, 'read', 0x3a)).toMatchObject({ result: 'ok', value: 0n });
    expect(guest(v, 'write', 0x3a, 0x4n).result).toBe('gp'); // VMX outside SMX: no VMX in CPUID
    expect(guest(v, 'write', 0x3a, 0x1n).result).toBe('ok');
    expect(guest(v, 'write', 0x3a, 0x1n).result).toBe('gp'); // locked
    expect(hostWrite(v, 0x3a, 0x10_0005n).result).toBe('ok');
    expect(hostRead(v, 0x3a).value).toBe(0x10_0005n);
    expect(hostWrite(v, 0x3a, 0x8n).result).toBe('error');
  });

  it('MCG_EXT_CTL: the guest needs LMCE enabled in FEATURE_CONTROL, which only the host can set here', () => {
    const v = vm('vmx');
    expect(guest(v, 'read', 0x4d0).kvm?.code).toBe('err');
    expect(hostWrite(v, 0x4d0, 2n).result).toBe('error');
    expect(hostWrite(v, 0x4d0, 1n).result).toBe('ok');
    hostWrite(v, 0x3a, 0x10_0001n);
    expect(guest(v, 'read', 0x4d0)).toMatchObject({ result: 'ok', value: 1n });
  });

  it('VMX capability MSRs 0x480-0x491: refused (not unknown) without VMX in the guest CPUID, the host too', () => {
    for (const vcpu of ['bare', 'linux64'] as const) {
      const v = vm('vmx', vcpu);
      for (const index of [0x480, 0x486, 0x491]) {
        expect(guest(v, 'read', index).kvm?.code).toBe('err');
        expect(guest(v, 'write', index).kvm?.code).toBe('err');
        expect(hostRead(v, index).kvm?.code).toBe('err');
      }
      expect(guest(v, 'read', 0x492).kvm?.code).toBe('unsupported');
    }
    expect(guest(vm('pvm-intel'), 'read', 0x481).kvm?.code).toBe('unsupported');
  });

  it('TSC_AUX: linux64 has RDTSCP on kvm_intel, and the upper half is refused on the Intel vCPU', () => {
    const v = vm('vmx');
    expect(guest(v, 'write', 0xc0000103, 7n).result).toBe('ok');
    expect(guest(v, 'read', 0xc0000103).value).toBe(7n);
    expect(guest(v, 'write', 0xc0000103, 0x1_0000_0007n).result).toBe('gp');
    expect(hostWrite(v, 0xc0000103, 0x1_0000_0007n).result).toBe('error');
    // KVM_SET_CPUID2 keeps the leaves it is given: no TSC_ADJUST, so guest writes are dropped
    guest(v, 'write', 0x3b, 5n);
    expect(guest(v, 'read', 0x3b).value).toBe(0n);
  });

  it('SYSENTER_ESP/EIP: 64 bits made canonical at the host width (svm keeps the low half)', () => {
    for (const index of [0x175, 0x176]) {
      const v = vm('vmx');
      expect(hostWrite(v, index, 0x1234_5678_9abc_def0n).result).toBe('ok');
      expect(hostRead(v, index).value).toBe(0x5678_9abc_def0n);
      const s = vm('svm');
      hostWrite(s, index, 0x1234_5678_9abc_def0n);
      expect(hostRead(s, index).value).toBe(0x9abc_def0n);
    }
  });

  it('DEBUGCTL: LBR and BTF are dropped, any other bit #GPs', () => {
    const v = vm('vmx');
    expect(guest(v, 'write', 0x1d9, 0x3n).result).toBe('ok');
    expect(guest(v, 'read', 0x1d9).value).toBe(0n);
    expect(guest(v, 'write', 0x1d9, 0x4n).result).toBe('gp');
    expect(guest(vm('pvm-intel'), 'write', 0x1d9, 0x4n).result).toBe('ok');
  });

  it('SPEC_CTRL, PRED_CMD, FLUSH_CMD: the guest needs the CPUID bit; the host writes only valid bits', () => {
    const v = vm('vmx');
    for (const index of [0x48, 0x49, 0x10b]) expect(guest(v, 'write', index, 1n).result, `${index}`).toBe('gp');
    expect(guest(v, 'read', 0x48).result).toBe('gp');
    expect(hostWrite(v, 0x48, 0x5n).result).toBe('ok');
    expect(hostRead(v, 0x48).value).toBe(0x5n);
    expect(hostWrite(v, 0x48, 1n << 40n).result).toBe('error');
    expect(hostWrite(v, 0x49, 1n).result).toBe('ok');
    expect(hostWrite(v, 0x49, 2n).result).toBe('error');
    expect(hostWrite(v, 0x10b, 1n).result).toBe('ok');
    expect(hostWrite(v, 0x10b, 2n).result).toBe('error');
  });

  it('UMWAIT_CONTROL: unknown to PVM; on kvm_intel the guest needs WAITPKG, the host keeps bits 31:2 and 0', () => {
    expect(hostRead(vm('pvm-intel'), 0xe1).kvm?.code).toBe('unsupported');
    const v = vm('vmx');
    expect(guest(v, 'read', 0xe1).kvm?.code).toBe('err');
    expect(hostWrite(v, 0xe1, 0x2n).result).toBe('error');
    expect(hostWrite(v, 0xe1, 0x1_0000_0000n).result).toBe('error');
    expect(hostWrite(v, 0xe1, 0x186a1n).result).toBe('ok');
    expect(hostRead(v, 0xe1).value).toBe(0x186a1n);
  });

  it("x86.c's rules PVM skips: MISC_ENABLE, MISC_FEATURES_ENABLES, UCODE_REV, SMBASE", () => {
    const v = vm('vmx');
    expect(guest(v, 'read', 0x1a0).value).toBe(0x1800n);
    expect(guest(v, 'write', 0x1a0, 0x1n).result).toBe('gp'); // clears BTS/PEBS_UNAVAIL
    expect(guest(v, 'write', 0x140, 0x2n).result).toBe('gp');
    expect(hostRead(v, 0x8b).value).toBe(0x1_0000_0000n);
    expect(hostRead(v, 0x9e).value).toBe(0x30000n);
    expect(guest(v, 'read', 0x9e).result).toBe('gp');
    const p = vm('pvm-intel');
    expect(guest(p, 'write', 0x140, 0x2n).result).toBe('ok');
    expect(hostRead(p, 0x9e).result).toBe('error');
  });

  it('AMD-only MSRs: kvm_intel does not know TSC_RATIO or VIRT_SPEC_CTRL; x86.c keeps VM_HSAVE_PA a sink', () => {
    const v = vm('vmx');
    for (const index of [0xc0000104, 0xc001011f]) {
      expect(guest(v, 'read', index).kvm?.code).toBe('unsupported');
      expect(hostWrite(v, index, 0n).kvm?.code).toBe('unsupported');
    }
    expect(guest(v, 'read', 0xc0010114).kvm?.code).toBe('unsupported'); // VM_CR: svm.c only
    expect(guest(v, 'write', 0xc0010117, 0x1234n).result).toBe('ok');
    expect(guest(vm('svm'), 'write', 0xc0010114, 0x1n).result).toBe('ok');
  });

  it('Intel PT (pt_mode=0) and MPX (none on the host): refused, not unknown', () => {
    const v = vm('vmx');
    for (const index of [0x560, 0x570, 0x571, 0x587, 0xd90]) {
      expect(guest(v, 'read', index).kvm?.code).toBe('err');
      expect(hostWrite(v, index, 0n).kvm?.code).toBe('err');
    }
  });
});
