import { formatTally } from './oracle/compare';
import { ensureGuestImage } from './oracle/qemu/guest-image';
import { QemuSession } from './oracle/qemu/qemu-session';
import { describeSvmFailure, diffOnSvm } from './oracle/qemu/svm-differential';

const session = new QemuSession(await ensureGuestImage());
await session.boot();
let bad = 0;
for (const seed of [20261206, 20261207, 20261208]) {
  for (const model of ['bare', 'linux64'] as const) {
    const r = await diffOnSvm(model, seed, 800, (script) => session.run(script));
    console.log(
      `seed ${seed} ${model}: ${r.tally.steps} steps in ${r.tally.scenarios} scenarios: ${formatTally(r.tally)}; left out ${r.leftOut}; failures ${r.failures.length}`,
    );
    if (r.failures.length) {
      bad++;
      console.log(describeSvmFailure(r.failures[0]));
    }
  }
}
await session.close();
process.exit(bad ? 1 : 0);
