/**
 * `npm run survey`: regenerates every stored measurement file under oracle/survey/ for each backend this machine can
 * reach (survey-plan.ts): oracle/survey.mjs once per backend, one after the other.
 *
 *   npm run survey [-- --dry-run] [-- --backend native|svm-6.1] [-- --jobs N]
 *
 * --dry-run prints what would run, where, and why a backend is left out, and runs nothing. Exit 0 when every
 * planned survey succeeded, 1 when one failed, 3 when this machine can reach no backend.
 */
import { spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectNativeHost } from '../src/node/native-host';
import { ensureHelper, kvmDeviceProblem } from './helper-process';
import { guestImageState } from './qemu/guest-image';
import { planSurveys, SURVEY_FILES } from './survey-plan';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `usage: npm run survey [-- --dry-run] [-- --backend native|svm-6.1] [-- --jobs N]
Regenerates ${SURVEY_FILES.join(', ')} in the survey directory of each backend this machine can reach:
  native   this machine's /dev/kvm, into the directory whose host.json names its host model (oracle/survey/ for
           pvm-amd, oracle/survey/pvm-intel-6.18/ for pvm-intel; a new oracle/survey/HOST-X.Y/ otherwise)
  svm-6.1  kvm_amd of Debian's Linux 6.1 under QEMU TCG, into oracle/survey/svm-6.1/ (~25 min)
--dry-run prints the plan and runs nothing.`;

function main(argv: string[]): Promise<number> | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const dry = argv.includes('--dry-run');
  const b = argv.indexOf('--backend');
  const only = b >= 0 ? argv[b + 1] : undefined;
  if (only !== undefined && only !== 'native' && only !== 'svm-6.1') {
    console.error(`survey: --backend ${only}: unknown backend (native, svm-6.1)`);
    return 2;
  }
  const j = argv.indexOf('--jobs');
  const jobs = j >= 0 ? ['--jobs', argv[j + 1]] : [];
  return run(dry, only ? [only] : undefined, jobs);
}

async function run(dry: boolean, only: ('native' | 'svm-6.1')[] | undefined, jobs: string[]): Promise<number> {
  const native = detectNativeHost();
  const wantNative = !only || only.includes('native');
  // building the helper is part of a real run; a dry run only looks at /dev/kvm
  const problem = wantNative ? ((await kvmDeviceProblem()) ?? (dry ? null : await ensureHelper())) : null;
  const plan = planSurveys({
    root: ROOT,
    nativeProblem: problem?.reason ?? null,
    nativeHost: native.id,
    nativeWhy: native.why,
    kernelRelease: release(),
    image:
      !only || only.includes('svm-6.1') ? await guestImageState() : { kind: 'unavailable', reason: 'not asked for' },
    only,
  });
  for (const s of plan.skipped) console.log(`survey: ${s.backend}: left out: ${s.reason}`);
  for (const t of plan.targets) console.log(`survey: ${t.backend} → ${t.dir}/ (${t.cost})`);
  if (plan.targets.length === 0) {
    console.error('survey: this machine can reach no backend: nothing regenerated');
    return 3;
  }
  if (dry) {
    console.log('survey: dry run: nothing run');
    return 0;
  }
  let failed = 0;
  for (const t of plan.targets) {
    const args = ['--import', 'tsx', join(ROOT, 'oracle', 'survey.mjs'), ...t.args, ...jobs];
    console.log(`survey: ${t.backend}: node ${args.slice(2).join(' ')}`);
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`survey: ${t.backend}: oracle/survey.mjs exited ${r.status ?? r.signal}`);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
