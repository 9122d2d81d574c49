/**
 * npm run diff -- --steps N --seed S [--model bare|linux64]
 *
 * Runs generated scenarios on the simulator and on this machine's kernel and compares every step. Prints progress,
 * the agreement per field, and on a disagreement the smallest scenario that shows it (exit 1). Exit 3 without KVM.
 */
import { isVcpuModelId, type VcpuModelId } from '../src/core/index';
import { detectNativeHost } from '../src/node/native-host';
import { formatCoverage, formatTally } from './compare';
import { describeFailure, diffModel } from './differential';
import { kvmAvailability } from './helper-process';

const USAGE = 'usage: npm run diff -- --steps N --seed S [--model bare|linux64]';

function parseArgs(argv: string[]) {
  const opts = { steps: 2000, seed: Date.now() % 0x7fffffff, models: ['bare', 'linux64'] as VcpuModelId[] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const v = inline ?? argv[++i];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--steps' && /^\d+$/.test(v)) opts.steps = Number(v);
    else if (flag === '--seed' && /^-?\d+$/.test(v)) opts.seed = Number(v);
    else if (flag === '--model' && isVcpuModelId(v)) opts.models = [v];
    else throw new Error(`bad argument ${argv[i - (inline === undefined ? 1 : 0)]} ${inline ?? v}`);
  }
  return opts;
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(process.argv.slice(2).filter((a) => a !== '--'));
  } catch (e) {
    console.error(`diff: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const kvm = await kvmAvailability();
  if (!kvm.available) {
    console.error(`diff: skipped: no usable /dev/kvm (${kvm.reason})`);
    return 3;
  }
  const native = detectNativeHost();
  console.log(`diff: host model ${native.id ?? 'none'} (${native.why})`);
  console.log(`diff: ${kvm.kernel}; seed ${opts.seed}; ${opts.steps} steps per model (${opts.models.join(', ')})`);
  let failed = false;
  for (const model of opts.models) {
    const started = Date.now();
    let shown = 0;
    const report = await diffModel(model, {
      steps: opts.steps,
      seed: opts.seed,
      host: native.id ?? undefined,
      onScenario: (_, t) => {
        if (t.steps - shown >= 1000 || t.steps >= opts.steps) {
          shown = t.steps;
          process.stdout.write(`  ${model}: ${t.steps} steps, ${t.scenarios} scenarios\n`);
        }
      },
    });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const t = report.tally;
    console.log(`${model}: ${t.steps} steps in ${t.scenarios} scenarios (${secs} s): ${formatTally(t)}`);
    console.log(`${model}: what the kernel answered (coverage):\n${formatCoverage(t)}`);
    if (report.failure) {
      failed = true;
      console.log(`${model}: DISAGREEMENT\n${describeFailure(report.failure)}`);
    } else console.log(`${model}: the simulator agrees with the kernel on every step`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
