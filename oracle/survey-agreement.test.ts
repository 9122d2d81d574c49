// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostModelId, ProfileId } from '../src/core/index';
import {
  readSweepDisagreements,
  type SurveyHost,
  surveyDisagreements,
  writeProbeDisagreements,
} from '../src/core/vcpu/survey-agreement';

// Every stored survey names its host (and, for kernels other than the newest, its profile) in host.json; the
// catalogue, run on that host model and profile, must agree with it.
const SURVEYS = ['oracle/survey', 'oracle/survey/pvm-intel-6.18', 'oracle/survey/svm-6.1'].map((dir) => {
  const header = JSON.parse(readFileSync(join(process.cwd(), dir, 'host.json'), 'utf8'));
  return {
    dir,
    notCompared: (header.notCompared ?? []) as { index: string; what: string; why: string }[],
    host: header.hostModel as HostModelId,
    profile: (header.profile ?? 'linux-6.12') as ProfileId,
    kernel: header.kernel as string,
  };
});

/** checks.json `passthrough`: the MSRs whose guest reads and writes never reached KVM on that backend (measured). */
function passthrough(dir: string, model: string): { cpuReads: Set<number>; cpuWrites: Set<number> } {
  const file = join(process.cwd(), dir, 'checks.json');
  const checks = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const entry = (checks.passthrough ?? []).find((p: { model: string }) => p.model === model);
  const set = (l?: string[]) => new Set<number>((l ?? []).map(Number));
  return { cpuReads: set(entry?.read), cpuWrites: set(entry?.write) };
}

describe.each(SURVEYS)('the catalogue agrees with $dir (measured on $host, $kernel, profile $profile)', (s) => {
  const json = (file: string) => JSON.parse(readFileSync(join(process.cwd(), s.dir, file), 'utf8'));
  describe.each(['bare', 'linux64'] as const)('%s', (model) => {
    const where = (): SurveyHost => ({
      host: s.host,
      profile: s.profile,
      ...passthrough(s.dir, model),
      notAfterHostWrite: new Set(
        s.notCompared.filter((n) => n.what === 'guest read after host write').map((n) => Number(n.index)),
      ),
      skipped: { count: 0 },
    });
    it('on the survey: reads, guest and host writes, read-backs', () => {
      const w = where();
      expect(surveyDisagreements(model, json(`${model}.json`).msrs, w)).toEqual([]);
      if (w.skipped?.count)
        console.info(
          `${s.dir} ${model}: ${w.skipped.count} guest-access comparisons left out (run by the CPU, not KVM)`,
        );
    });
    it('on every index of the swept windows: known MSRs read as measured, the rest are unknown', () => {
      const w = where();
      expect(readSweepDisagreements(model, json(`reads-${model}.json`), w)).toEqual([]);
      if (w.skipped?.count)
        console.info(`${s.dir} ${model}: ${w.skipped.count} swept guest reads left out (run by the CPU, not KVM)`);
    });
    it('on the write probe of every MSR KVM knows there', () => {
      const w = where();
      expect(writeProbeDisagreements(model, json(`windows-${model}.json`), w)).toEqual([]);
      if (w.skipped?.count)
        console.info(`${s.dir} ${model}: ${w.skipped.count} probe guest accesses left out (run by the CPU, not KVM)`);
    });
  });
});
