/**
 * Which stored measurement files `npm run survey` (survey-all.ts) regenerates on this machine, and how: every
 * backend the machine can reach gets oracle/survey.mjs once, into the directory that holds that host's survey.
 * - native (this machine's /dev/kvm): the directory whose host.json names this machine's host model (pvm-amd:
 *   oracle/survey/, pvm-intel: oracle/survey/pvm-intel-6.18/), or a new oracle/survey/HOST-MAJOR.MINOR/ for a host
 *   the repository holds no survey of;
 * - svm-6.1 (kvm_amd 6.1 under QEMU TCG): oracle/survey/svm-6.1/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { HostModelId } from '../src/core/index';
import type { GuestImageState } from './qemu/guest-image';

/** The files oracle/survey.mjs writes into its directory (all of them, on a full run). */
export const SURVEY_FILES = [
  'bare.json',
  'linux64.json',
  'reads-bare.json',
  'reads-linux64.json',
  'windows-bare.json',
  'windows-linux64.json',
  'checks.json',
  'host.json',
  'SUMMARY.md',
  'TABLES.md',
] as const;

export const SVM_DIR = 'svm-6.1';

export interface SurveyTarget {
  backend: 'native' | 'svm-6.1';
  /** The output directory, relative to the repository. */
  dir: string;
  /** oracle/survey.mjs's arguments. */
  args: string[];
  /** What it costs, in words. */
  cost: string;
}

export interface SurveySkip {
  backend: 'native' | 'svm-6.1';
  reason: string;
}

export interface PlanInput {
  /** The repository root. */
  root: string;
  /** Why this machine's /dev/kvm cannot be surveyed (null: it can). */
  nativeProblem: string | null;
  nativeHost: HostModelId | null;
  nativeWhy: string;
  kernelRelease: string;
  image: GuestImageState;
  /** Only these backends (default: every one). */
  only?: readonly ('native' | 'svm-6.1')[];
}

/** Every stored survey directory under oracle/survey (itself and its subdirectories) with the host its host.json names. */
export function storedSurveys(root: string): { dir: string; hostModel: string | null }[] {
  const base = join(root, 'oracle', 'survey');
  const dirs = [
    base,
    ...readdirSync(base, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(base, d.name)),
  ];
  return dirs.map((dir) => {
    const file = join(dir, 'host.json');
    let hostModel: string | null = null;
    try {
      hostModel = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).hostModel ?? null) : null;
    } catch {
      hostModel = null;
    }
    return { dir: relative(root, dir), hostModel };
  });
}

export function planSurveys(input: PlanInput): { targets: SurveyTarget[]; skipped: SurveySkip[] } {
  const targets: SurveyTarget[] = [];
  const skipped: SurveySkip[] = [];
  const wanted = (b: 'native' | 'svm-6.1') => !input.only || input.only.includes(b);
  if (wanted('native')) {
    if (input.nativeProblem) skipped.push({ backend: 'native', reason: input.nativeProblem });
    else if (!input.nativeHost)
      skipped.push({ backend: 'native', reason: `no host model matches this machine (${input.nativeWhy})` });
    else {
      const svmDir = join('oracle', 'survey', SVM_DIR);
      const stored = storedSurveys(input.root).find((s) => s.hostModel === input.nativeHost && s.dir !== svmDir);
      const version = /^\d+\.\d+/.exec(input.kernelRelease)?.[0] ?? 'unknown';
      const dir = stored?.dir ?? join('oracle', 'survey', `${input.nativeHost}-${version}`);
      targets.push({
        backend: 'native',
        dir,
        args: ['--out', dir],
        cost: `this machine's /dev/kvm (host model ${input.nativeHost}, Linux ${input.kernelRelease}): a few minutes`,
      });
    }
  }
  if (wanted('svm-6.1')) {
    const img = input.image;
    if (img.kind === 'unavailable') skipped.push({ backend: 'svm-6.1', reason: img.reason });
    else
      targets.push({
        backend: 'svm-6.1',
        dir: join('oracle', 'survey', SVM_DIR),
        args: ['--kvm=svm-6.1'],
        cost:
          'kvm_amd 6.1 under QEMU TCG: ~25 minutes on a shared 2-core machine' +
          (img.kind === 'download'
            ? `; first downloads the guest kernel ${img.package} (~70 MB, apt-get download, nothing installed)`
            : ''),
      });
  }
  return { targets, skipped };
}
