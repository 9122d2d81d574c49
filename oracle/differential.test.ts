// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { CliExit } from '../src/cli/main';
import { detectNativeHost } from '../src/node/native-host';
import { FIELDS, formatTally } from './compare';
import { describeFailure, diffModel } from './differential';
import { kvmAvailability } from './helper-process';
import { runScenarioOnKvm } from './kvm-runner';

// The simulator against this machine's kernel on generated scenarios (oracle/gen.ts), one fresh VM per scenario.
// `npm run diff -- --steps 20000 --seed S` runs the same comparison longer.
const SEED = 20_251_125;
const STEPS_PER_MODEL = 4000;

const kvm = await kvmAvailability();
// The simulator runs on the host model that matches this machine (Intel or AMD, PVM or not).
const native = detectNativeHost();

describe('differential test: simulator vs the real kernel', () => {
  if (!kvm.available) {
    it('cannot run here and says so: the oracle reports exit 3', async () => {
      console.warn(`differential test skipped: no /dev/kvm (${kvm.reason})`);
      const run = runScenarioOnKvm('{"steps":[{"op":"rdmsr","index":"0x10"}]}', { trace: false });
      await expect(run).rejects.toBeInstanceOf(CliExit);
      await expect(run).rejects.toMatchObject({ code: 3 });
    });
    return;
  }

  it('knows which host model this machine is', () => {
    expect(native.id, native.why).not.toBeNull();
  });

  it.each(['bare', 'linux64'] as const)(
    `%s: ${STEPS_PER_MODEL} generated steps agree (seed ${SEED})`,
    async (model) => {
      const report = await diffModel(model, { steps: STEPS_PER_MODEL, seed: SEED, host: native.id ?? undefined });
      console.info(`${model} on ${native.id} (${native.why}) vs ${kvm.kernel}: ${formatTally(report.tally)}`);
      if (report.failure) expect.fail(describeFailure(report.failure));
      expect(report.tally.steps).toBeGreaterThanOrEqual(STEPS_PER_MODEL);
      for (const f of FIELDS) expect(report.tally.agreed[f], f).toBe(report.tally.compared[f]);
      // The generator reaches every kind of answer.
      const seen = Object.keys(report.tally.seen).join(' ');
      for (const what of [
        'decision=eperm',
        'decision=gp',
        'decision=allow',
        'exit=filter',
        'exit=unknown',
        'exit=inval',
      ])
        expect(seen).toContain(what);
      expect(seen).toMatch(/errno=EINVAL/);
      expect(report.tally.seen['decided by a range']).toBeGreaterThan(STEPS_PER_MODEL / 20);
    },
    60_000,
  );
});
