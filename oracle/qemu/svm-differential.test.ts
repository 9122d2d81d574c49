// @vitest-environment node
import { afterAll, describe, expect, it } from 'vitest';
import { FIELDS, formatTally } from '../compare';
import { ensureGuestImage, INSTALL_HINT, missingTools } from './guest-image';
import { QemuSession } from './qemu-session';
import { describeSvmFailure, diffOnSvm } from './svm-differential';

// The simulator (host model svm, the survey's profile) against the real kvm_amd 6.1 in the QEMU guest, on
// generated scenarios (oracle/gen.ts). One boot for both vCPU models.
const SEED = 20_261_202;
const SCENARIOS_PER_MODEL = 150;

async function unavailable(): Promise<string | null> {
  const missing = missingTools();
  if (missing) return `${missing}; ${INSTALL_HINT}`;
  try {
    await ensureGuestImage();
    return null;
  } catch (e) {
    return `the guest image could not be made: ${(e as Error).message}`;
  }
}
const why = await unavailable();
let session: QemuSession | null = null;
afterAll(async () => {
  await session?.close();
});

describe('differential test on svm-6.1: simulator (svm host model) vs kvm_amd 6.1 under QEMU TCG', () => {
  if (why !== null) {
    it('cannot run here and says why', () => {
      console.warn(`svm-6.1 differential test: not run: ${why}`);
      expect(why.length).toBeGreaterThan(0);
    });
    return;
  }
  it.each(['bare', 'linux64'] as const)(
    `%s: ${SCENARIOS_PER_MODEL} generated scenarios agree on every compared step (seed ${SEED})`,
    async (model) => {
      if (!session) {
        session = new QemuSession(await ensureGuestImage());
        await session.boot();
      }
      const qemu = session;
      const report = await diffOnSvm(model, SEED, SCENARIOS_PER_MODEL, (script) => qemu.run(script));
      const t = report.tally;
      console.info(
        `svm-6.1 ${model}: ${t.steps} steps in ${t.scenarios} scenarios: ${formatTally(t)}; ` +
          `${report.leftOut} guest accesses run by the CPU without KVM left out`,
      );
      if (report.failures.length)
        expect.fail(
          `${report.failures.length} disagreeing scenarios; the first:\n${describeSvmFailure(report.failures[0])}`,
        );
      for (const f of FIELDS) expect(t.agreed[f], f).toBe(t.compared[f]);
      expect(t.steps).toBeGreaterThan(SCENARIOS_PER_MODEL * 5);
      const seen = Object.keys(t.seen).join(' ');
      for (const what of ['decision=eperm', 'decision=gp', 'decision=allow', 'exit=filter', 'exit=unknown'])
        expect(seen).toContain(what);
    },
    300_000, // a hang guard, not a timing assertion: TCG on a shared 2-core machine is slow
  );
});
