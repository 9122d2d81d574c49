// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { nativeBackend, profileOfRelease, svm61Backend } from './kvm-backends';

describe('the backends the endpoint lists', () => {
  it('gives a kernel release the profile of the release that brought its rules', () => {
    expect(profileOfRelease('6.18.44-fc-v657')).toBe('linux-6.12');
    expect(profileOfRelease('6.12.0')).toBe('linux-6.12');
    expect(profileOfRelease('6.11.9')).toBe('linux-6.4');
    expect(profileOfRelease('6.3.1')).toBe('linux-5.19');
    expect(profileOfRelease('6.1.0-57-amd64')).toBe('linux-5.19');
    expect(profileOfRelease('5.15.0-91-generic')).toBe('linux-5.13');
    expect(profileOfRelease('5.10.0-28-amd64')).toBe('linux-5.10');
    expect(profileOfRelease('not a release')).toBe('linux-6.12');
  });

  it("names this machine's host model and profile for the native backend", () => {
    const b = nativeBackend(
      {
        available: false,
        kernel: 'Linux 6.1.0',
        reason: '/dev/kvm not available (ENOENT)',
        hostModel: null,
        hostWhy: 'no /dev/kvm',
      },
      '6.1.0',
    );
    expect(b).toEqual({
      id: 'native',
      label: "this machine's KVM",
      kernel: 'Linux 6.1.0',
      hostModel: null,
      hostWhy: 'no /dev/kvm',
      profile: 'linux-5.19',
      available: false,
      reason: '/dev/kvm not available (ENOENT)',
    });
  });

  it('svm-6.1: available when the guest kernel is cached; otherwise the reason, or what a download would do', () => {
    const cached = svm61Backend({ kind: 'cached', package: 'linux-image-6.1.0-57-amd64' }, '/c');
    expect(cached).toMatchObject({
      available: true,
      hostModel: 'svm',
      profile: 'linux-5.19',
      kernel: 'Linux 6.1.0-57-amd64 (Debian 12)',
    });
    expect(cached.reason).toBeUndefined();
    const missing = svm61Backend({ kind: 'unavailable', reason: 'qemu-system-x86_64 not found; install them…' }, '/c');
    expect(missing).toMatchObject({ available: false, reason: 'qemu-system-x86_64 not found; install them…' });
    expect(missing.download).toBeUndefined();
    const download = svm61Backend({ kind: 'download', package: 'linux-image-6.1.0-57-amd64', bytes: 70_591_024 }, '/c');
    expect(download.available).toBe(false);
    expect(download.download).toEqual({ package: 'linux-image-6.1.0-57-amd64', bytes: 70_591_024 });
    expect(download.reason).toBe(
      'the guest kernel linux-image-6.1.0-57-amd64 (71 MB) is not downloaded yet: downloading runs ' +
        '`apt-get download linux-image-6.1.0-57-amd64` into /c (nothing is installed)',
    );
  });
});
