import { describe, expect, it } from 'vitest';
import { PROFILES } from '../profiles/profiles';
import { policy, R, range } from '../test-support/builders';
import { installPolicy } from './install';

describe('a refused filter says what stays installed', () => {
  const bad = policy(0, [range(R, 0, 0x3001)]);
  const good = policy(0, [range(R, 0x10, 8)]);

  it('in a fresh VM: no filter at all, every MSR allowed', () => {
    const out = installPolicy(PROFILES['linux-6.12'], null, bad);
    expect(out.installed).toBeNull();
    expect(out.effect).toBe('call failed: no filter was installed before, so none is: every MSR is allowed');
  });

  it('over an installed filter: that filter, with its range count', () => {
    const first = installPolicy(PROFILES['linux-6.12'], null, good);
    const out = installPolicy(PROFILES['linux-6.12'], first.installed, bad);
    expect(out.installed).toBe(first.installed);
    expect(out.effect).toBe('call failed: the previous filter stays installed (1 range)');
  });
});
