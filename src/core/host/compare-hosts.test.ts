import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY } from '../policy/types';
import type { Scenario } from '../scenario/types';
import { compareHosts, hostFactDifferences } from './compare-hosts';
import { getHostModel, HOST_MODEL_IDS } from './host-models';

const scenario = (steps: Scenario['steps']): Scenario => ({
  profile: 'linux-6.12',
  vcpu: 'linux64',
  exits: null,
  ignoreMsrs: false,
  vmm: { read: { error: true }, write: { error: true } },
  filter: EMPTY_POLICY,
  steps,
});

describe('compareHosts', () => {
  it('a 57-bit canonical LSTAR is accepted on the LA57 Intel host and refused on the 48-bit AMD one, and says why', () => {
    const c = compareHosts(
      scenario([
        { op: 'wrmsr', index: 0xc000_0082, value: 0x0000_8000_0000_0000n, host: false },
        { op: 'rdmsr', index: 0x10, host: false },
      ]),
      'pvm-amd',
      'pvm-intel',
    );
    expect(c.rows).toHaveLength(2);
    const [lstar, tsc] = c.rows;
    expect(lstar.differs).toBe(true);
    expect(lstar.a.result).toBe('gp');
    expect(lstar.b.result).toBe('ok');
    expect(lstar.why).not.toBeNull();
    expect(tsc.differs).toBe(false);
    expect(c.differing).toBe(1);
    expect(c.facts).toContain('canonical addresses (max_host_virt_addr_bits): 48 vs 57 bits');
  });

  it('an IA32_PAT value PVM stores is a #GP where the backend checks it', () => {
    const c = compareHosts(
      scenario([{ op: 'wrmsr', index: 0x277, value: 0x0808_0808_0808_0808n, host: false }]),
      'pvm-amd',
      'svm',
    );
    expect(c.rows[0].a.result).toBe('ok');
    expect(c.rows[0].b.result).toBe('gp');
    expect(c.facts.some((f) => f.startsWith('IA32_PAT values checked'))).toBe(true);
  });

  it('a TSC_DEADLINE write the filter denies: refused on PVM, done on kvm_intel (its VM-exit fastpath), and says why', () => {
    const c = compareHosts(
      {
        ...scenario([{ op: 'wrmsr', index: 0x6e0, value: 1n, host: false }]),
        filter: { flags: 0, ranges: [{ flags: 2, base: 0x6e0, nmsrs: 1, bitmap: Uint8Array.of(0) }] },
      },
      'pvm-intel',
      'vmx',
    );
    expect(c.rows[0]).toMatchObject({ differs: true, a: { decision: 'eperm' }, b: { decision: 'allow' } });
    expect(c.facts).toContain('guest WRMSRs completed before the filter (VM-exit fastpath): none vs 0x6e0');
  });

  it('a host compared with itself differs nowhere', () => {
    for (const h of HOST_MODEL_IDS) {
      const c = compareHosts(
        scenario([
          { op: 'wrmsr', index: 0xc000_0082, value: 0x0000_8000_0000_0000n, host: false },
          { op: 'rdmsr', index: 0x10a, host: false },
        ]),
        h,
        h,
      );
      expect(c.differing).toBe(0);
      expect(hostFactDifferences(getHostModel(h), getHostModel(h))).toEqual([]);
    }
  });
});
