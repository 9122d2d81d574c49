// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostModelId } from '../src/core/index';
import {
  readSweepDisagreements,
  surveyDisagreements,
  writeProbeDisagreements,
} from '../src/core/vcpu/survey-agreement';

// Every stored survey names its host in host.json; the catalogue, run on that host model, must agree with it.
const SURVEYS = ['oracle/survey', 'oracle/survey/pvm-intel-6.18'].map((dir) => {
  const header = JSON.parse(readFileSync(join(process.cwd(), dir, 'host.json'), 'utf8'));
  return { dir, host: header.hostModel as HostModelId, kernel: header.kernel as string };
});

describe.each(SURVEYS)('the catalogue agrees with $dir (measured on $host, $kernel)', ({ dir, host }) => {
  const json = (file: string) => JSON.parse(readFileSync(join(process.cwd(), dir, file), 'utf8'));
  describe.each(['bare', 'linux64'] as const)('%s', (model) => {
    it('on the survey: reads, guest and host writes, read-backs', () => {
      expect(surveyDisagreements(model, json(`${model}.json`).msrs, host)).toEqual([]);
    });
    it('on every index of the swept windows: known MSRs read as measured, the rest are unknown', () => {
      expect(readSweepDisagreements(model, json(`reads-${model}.json`), host)).toEqual([]);
    });
    it('on the write probe of every MSR KVM knows there', () => {
      expect(writeProbeDisagreements(model, json(`windows-${model}.json`), host)).toEqual([]);
    });
  });
});
