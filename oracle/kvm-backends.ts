/**
 * The real kernels a scenario can run on, as the playground's endpoint lists them (GET /api/kvm/status `backends`):
 * - `native`: this machine's /dev/kvm (oracle/kvm-oracle.c through helper-process.ts);
 * - `svm-6.1`: kvm_amd in Debian 12's Linux 6.1 booted under QEMU TCG (oracle/qemu/), where qemu-system-x86_64 and
 *   the tools are installed; the guest kernel is downloaded (apt-get download, ~70 MB) only when asked to.
 * Each names the host model and the kernel profile the simulator answers for beside it.
 */
import { release } from 'node:os';
import { type HostModelId, NEWEST_PROFILE, type ProfileId, resolveProfileId } from '../src/core/index';
import type { Availability } from './helper-process';
import type { GuestImageState } from './qemu/guest-image';

export type BackendId = 'native' | 'svm-6.1';
export const BACKEND_IDS: readonly BackendId[] = ['native', 'svm-6.1'];

export function isBackendId(v: unknown): v is BackendId {
  return typeof v === 'string' && (BACKEND_IDS as readonly string[]).includes(v);
}

export interface BackendStatus {
  id: BackendId;
  /** Short, for a choice and a button ("Run on …"). */
  label: string;
  /** "Linux 6.18.44-…" */
  kernel: string;
  /** The host model the simulator answers for beside this kernel (null: none matches this machine). */
  hostModel: HostModelId | null;
  hostWhy: string;
  /** The kernel profile that matches this kernel. */
  profile: ProfileId;
  available: boolean;
  reason?: string;
  /** Not available yet, but can be made so on request: the guest kernel package to download. */
  download?: { package: string; bytes: number | null };
}

/**
 * The profile whose rules a kernel release has, by its version (core resolveProfileId: the newest profile whose
 * change is at or before it); stable backports are not seen here. Before 5.10 there is no MSR filter: the newest
 * profile is named, and the helper refuses to run there anyway.
 */
export function profileOfRelease(rel: string): ProfileId {
  const m = /^(\d+)\.(\d+)/.exec(rel);
  return (m && resolveProfileId(`linux-${m[1]}.${m[2]}`)) || NEWEST_PROFILE;
}

export const NATIVE_LABEL = "this machine's KVM";
export const SVM61_LABEL = 'kvm_amd 6.1 under QEMU';
/** kvm_amd 6.1 has the linux-5.19 profile's rules (measured: oracle/survey/svm-6.1/host.json). */
export const SVM61_PROFILE: ProfileId = profileOfRelease('6.1');

/** The svm-6.1 guest's kernel as the runner's notes name it; `uname` is the guest's (BootInfo.kernel). */
export function svm61Kernel(uname: string): { name: string; profile: ProfileId } {
  return {
    name: `the svm-6.1 guest's kernel (Linux ${uname.split(' ')[0]}, kvm_amd under QEMU TCG)`,
    profile: SVM61_PROFILE,
  };
}

export function nativeBackend(a: Availability, rel = release()): BackendStatus {
  return {
    id: 'native',
    label: NATIVE_LABEL,
    kernel: a.kernel,
    hostModel: a.hostModel ?? null,
    hostWhy: a.hostWhy ?? '',
    profile: profileOfRelease(rel),
    available: a.available,
    ...(a.reason === undefined ? {} : { reason: a.reason }),
  };
}

const megabytes = (bytes: number | null) => (bytes === null ? '~70 MB' : `${Math.round(bytes / 1e6)} MB`);

/** What downloading the guest kernel does, in words (the UI shows it beside the button). */
export function downloadNote(d: { package: string; bytes: number | null }, cache: string): string {
  return (
    `the guest kernel ${d.package} (${megabytes(d.bytes)}) is not downloaded yet: downloading runs ` +
    `\`apt-get download ${d.package}\` into ${cache} (nothing is installed)`
  );
}

export function svm61Backend(state: GuestImageState, cache: string): BackendStatus {
  const pkg = state.kind === 'unavailable' ? null : state.package;
  const base = {
    id: 'svm-6.1' as const,
    label: SVM61_LABEL,
    kernel: pkg ? `Linux ${pkg.replace(/^linux-image-/, '')} (Debian 12)` : 'Linux 6.1 (Debian 12)',
    hostModel: 'svm' as const,
    hostWhy: "kvm_amd in Debian 12's kernel, booted under QEMU TCG (-cpu EPYC,+svm)",
    profile: SVM61_PROFILE,
  };
  if (state.kind === 'cached') return { ...base, available: true };
  if (state.kind === 'unavailable') return { ...base, available: false, reason: state.reason };
  const download = { package: state.package, bytes: state.bytes };
  return { ...base, available: false, reason: downloadNote(download, cache), download };
}
