import { describe, expect, it } from 'vitest';
import { scenarioFromJson } from '../scenario/scenario-json';
import { SimulatedVm } from '../vm/vm';
import { PROFILE_IDS, PROFILES, resolveProfileId, unknownProfileMessage } from './profiles';
import type { ProfileId } from './types';

describe('resolveProfileId', () => {
  it.each([
    ['linux-6.12', 'linux-6.12'],
    ['linux-5.19', 'linux-5.19'],
    // the old id of the 5.19 profile, and the releases it covers
    ['linux-6.0', 'linux-5.19'],
    ['linux-6.1', 'linux-5.19'],
    ['linux-6.2', 'linux-5.19'],
    ['linux-6.3', 'linux-5.19'],
    ['linux-6.4', 'linux-6.4'],
    ['linux-6.8', 'linux-6.4'],
    ['linux-6.11', 'linux-6.4'],
    ['linux-6.18', 'linux-6.12'],
    ['linux-7.0', 'linux-6.12'],
    ['linux-5.11', 'linux-5.10'],
    ['linux-5.12', 'linux-5.12'],
    ['linux-5.13', 'linux-5.13'],
    ['linux-5.15', 'linux-5.13'],
    ['linux-5.18', 'linux-5.13'],
    ['allowlist-v4', 'allowlist-v4'],
  ] as const)('%s is %s', (name, id) => {
    expect(resolveProfileId(name)).toBe(id);
  });

  it.each(['linux-5.9', 'linux-4.19', 'linux-6', 'linux-6.1.0', 'Linux-6.1', 'newest', '', 6.1, null])(
    'refuses %j',
    (name) => {
      expect(resolveProfileId(name)).toBeNull();
    },
  );

  it('names every profile in order of the release that brought it, each resolving from its own release', () => {
    const dated = PROFILE_IDS.filter((id) => PROFILES[id].since);
    const order = dated.map((id) => {
      const [major, minor] = PROFILES[id].since ?? [0, 0];
      expect(resolveProfileId(`linux-${major}.${minor}`)).toBe(id);
      return major * 1000 + minor;
    });
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('says what it accepts', () => {
    expect(unknownProfileMessage('linux-4.19')).toContain('or linux-X.Y for a release from 5.10 on');
  });
});

describe('a scenario that names a release', () => {
  it('runs under the profile of that release', () => {
    expect(scenarioFromJson({ format: 'msr-scenario/1', profile: 'linux-6.1', steps: [] }).profile).toBe('linux-5.19');
    expect(() => scenarioFromJson({ format: 'msr-scenario/1', profile: 'linux-5.4', steps: [] })).toThrow(
      /profile: unknown profile "linux-5.4"/,
    );
  });
});

describe('the 6.4 boundary: feature MSRs the host may not change after KVM_RUN', () => {
  const platformInfoAfterRun = (profile: ProfileId) => {
    const vm = new SimulatedVm({
      profile,
      vcpu: 'linux64',
      exits: null,
      ignoreMsrs: false,
      vmm: { read: { error: true }, write: { error: true } },
    });
    const before = vm.access({ type: 'write', index: 0xce, value: 0n, host: true }, false).result;
    vm.access({ type: 'read', index: 0x10 }, false);
    // a value other than the one it holds now (0, from the first write)
    const after = vm.access({ type: 'write', index: 0xce, value: 0x80000000n, host: true }, false).result;
    return [before, after];
  };

  it('5.19 lets the host write PLATFORM_INFO after the first guest access', () => {
    expect(platformInfoAfterRun('linux-5.19')).toEqual(['ok', 'ok']);
  });

  it('6.4 and 6.12 refuse it once the vCPU has run', () => {
    expect(platformInfoAfterRun('linux-6.4')).toEqual(['ok', 'error']);
    expect(platformInfoAfterRun('linux-6.12')).toEqual(['ok', 'error']);
  });
});
