// @vitest-environment node
import { afterAll, describe, expect, it } from 'vitest';
import { ensureGuestImage, INSTALL_HINT, missingTools } from './guest-image';
import { QemuSession } from './qemu-session';

const missing = missingTools();
let session: QemuSession | null = null;
afterAll(async () => {
  await session?.close();
});

describe('the svm-6.1 backend: kvm_amd 6.1 booted under QEMU TCG', () => {
  if (missing !== null) {
    it('says plainly that qemu or its tools are missing, and how to install them', () => {
      console.warn(`svm-6.1 backend: not available here (${missing}); ${INSTALL_HINT}`);
      expect(missing).toMatch(/not found$/);
      expect(INSTALL_HINT).toContain('qemu-system-x86');
    });
    return;
  }
  it('boots once and serves several helper runs, each a fresh VM on kvm_amd', async () => {
    session = new QemuSession(await ensureGuestImage());
    const info = await session.boot();
    expect(info.kernel).toMatch(/^6\.1\./);
    expect(info.params.npt).toBe('Y');
    for (const model of ['bare', 'linux64']) {
      // kvm_amd 6.1 refuses PAT memory type 8 in every byte (PVM 6.18 on the development machine accepts it)
      const r = await session.run(
        `vcpu ${model}\nexits 0x7\nwrmsr 0x277 0x0808080808080808 error\nrdmsr 0x277 error\nquit\n`,
      );
      expect(r.code).toBe(0);
      expect(r.lines).toEqual([
        'ok',
        'errno 0',
        'wrmsr exit=inval kreason=inval result=gp',
        'rdmsr exit=none kreason=none result=ok value=0x0007040600070406',
        'ok',
      ]);
    }
    // fresh VMs one after another in one helper run (`close`, then `vcpu`), as the batched callers use them
    const r = await session.run('vcpu bare\nrdmsr 0x277 error\nclose\nvcpu linux64\nrdmsr 0x277 error\nclose\nquit\n');
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.startsWith('rdmsr'))).toHaveLength(2);
  }, 240_000);
});
