// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PlanInput, planSurveys, storedSurveys } from './survey-plan';

/** A repository with the stored surveys this one has: PVM on AMD at the top, PVM on Intel and svm-6.1 below. */
function repo(): string {
  const root = mkdtempSync(join(tmpdir(), 'survey-plan-'));
  const put = (dir: string, hostModel: string) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'host.json'), JSON.stringify({ hostModel }));
  };
  put('oracle/survey', 'pvm-amd');
  put('oracle/survey/pvm-intel-6.18', 'pvm-intel');
  put('oracle/survey/svm-6.1', 'svm');
  return root;
}

const base = (root: string): PlanInput => ({
  root,
  nativeProblem: null,
  nativeHost: 'pvm-amd',
  nativeWhy: 'module kvm_pvm, CPU vendor AuthenticAMD, LA57 off',
  kernelRelease: '6.18.44-fc',
  image: { kind: 'cached', package: 'linux-image-6.1.0-57-amd64' },
});

describe('npm run survey: which stored surveys this machine regenerates', () => {
  it('lists the stored surveys with the host each names', () => {
    expect(storedSurveys(repo())).toEqual([
      { dir: 'oracle/survey', hostModel: 'pvm-amd' },
      { dir: 'oracle/survey/pvm-intel-6.18', hostModel: 'pvm-intel' },
      { dir: 'oracle/survey/svm-6.1', hostModel: 'svm' },
    ]);
  });

  it("writes each backend's survey into the directory of its host", () => {
    const root = repo();
    const amd = planSurveys(base(root));
    expect(amd.targets.map((t) => [t.backend, t.dir, t.args])).toEqual([
      ['native', 'oracle/survey', ['--out', 'oracle/survey']],
      ['svm-6.1', 'oracle/survey/svm-6.1', ['--kvm=svm-6.1']],
    ]);
    expect(amd.skipped).toEqual([]);
    const intel = planSurveys({ ...base(root), nativeHost: 'pvm-intel' });
    expect(intel.targets[0].dir).toBe('oracle/survey/pvm-intel-6.18');
    // a real kvm_amd machine is not the QEMU guest's survey: a directory of its own
    const svmHost = planSurveys({ ...base(root), nativeHost: 'svm', kernelRelease: '6.12.9' });
    expect(svmHost.targets[0].dir).toBe('oracle/survey/svm-6.12');
    expect(planSurveys({ ...base(root), nativeHost: 'vmx', kernelRelease: '6.1.0-57-amd64' }).targets[0].dir).toBe(
      'oracle/survey/vmx-6.1',
    );
  });

  it('leaves out a backend the machine cannot reach, saying why; says when the guest kernel will be downloaded', () => {
    const root = repo();
    const p = planSurveys({
      ...base(root),
      nativeProblem: '/dev/kvm not available (ENOENT)',
      image: { kind: 'download', package: 'linux-image-6.1.0-57-amd64', bytes: 70_591_024 },
    });
    expect(p.skipped).toEqual([{ backend: 'native', reason: '/dev/kvm not available (ENOENT)' }]);
    expect(p.targets.map((t) => t.backend)).toEqual(['svm-6.1']);
    expect(p.targets[0].cost).toMatch(/first downloads the guest kernel linux-image-6\.1\.0-57-amd64 \(~70 MB/);
    const none = planSurveys({
      ...base(root),
      nativeHost: null,
      nativeWhy: 'no KVM backend module loaded',
      image: { kind: 'unavailable', reason: 'qemu-system-x86_64 not found; install them…' },
    });
    expect(none.targets).toEqual([]);
    expect(none.skipped.map((s) => s.reason)).toEqual([
      'no host model matches this machine (no KVM backend module loaded)',
      'qemu-system-x86_64 not found; install them…',
    ]);
    expect(planSurveys({ ...base(root), only: ['svm-6.1'] }).targets.map((t) => t.backend)).toEqual(['svm-6.1']);
  });

  it('npm run survey -- --dry-run prints the plan for this machine and runs nothing', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'oracle/survey-all.ts', '--dry-run'], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    const lines = r.stdout.trim().split('\n');
    if (r.status === 3) {
      expect(r.stderr).toMatch(/can reach no backend/);
      expect(lines.every((l) => / left out: /.test(l))).toBe(true);
      return;
    }
    expect(r.status).toBe(0);
    expect(lines.at(-1)).toBe('survey: dry run: nothing run');
    for (const l of lines.slice(0, -1))
      expect(l).toMatch(/^survey: (native|svm-6\.1)( → oracle\/survey(\/[\w.-]+)?\/ \(|: left out: )/);
  });
});
