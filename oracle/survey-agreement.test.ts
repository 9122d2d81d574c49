// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readSweepDisagreements,
  surveyDisagreements,
  writeProbeDisagreements,
} from '../src/core/vcpu/survey-agreement';

const json = (file: string) => JSON.parse(readFileSync(join(process.cwd(), 'oracle/survey', file), 'utf8'));

// The catalogue against what the real kernel did (oracle/survey/*.json, measured with oracle/kvm-oracle.c).
describe.each(['bare', 'linux64'] as const)('the vCPU catalogue agrees with the measured kernel (%s)', (model) => {
  it('on the survey: reads, guest and host writes, read-backs', () => {
    expect(surveyDisagreements(model, json(`${model}.json`).msrs)).toEqual([]);
  });
  it('on every index of the swept windows: known MSRs read as measured, the rest are unknown', () => {
    expect(readSweepDisagreements(model, json(`reads-${model}.json`))).toEqual([]);
  });
  it('on the write probe of every MSR KVM knows there', () => {
    expect(writeProbeDisagreements(model, json(`windows-${model}.json`))).toEqual([]);
  });
});
