import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile } from '../src/cli/test-suite';
import {
  expectationOf,
  runScenario,
  type Scenario,
  scenarioFromJson,
  scenarioFromText,
  scenarioToJson,
} from '../src/core/index';
import { installTarball, packIntoTemp } from '../src/node/package-tarball';
import { randomIndexes, sixteenFullRanges } from './fixtures';
import type { Figure } from './measure';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Wall-clock milliseconds of one process, which must exit with `code`. */
function timed(cmd: string, args: string[], cwd: string, code = 0): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== code) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

const twoSteps = () =>
  JSON.stringify({
    format: 'msr-scenario/1',
    exits: ['filter'],
    filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] },
    steps: [
      { op: 'rdmsr', index: '0x10', expect: { decision: 'allow' } },
      { op: 'rdmsr', index: '0x11', expect: { decision: 'eperm', exit: 'filter' } },
    ],
  });

/** A large scenario (16 full random ranges, alternating RDMSR/WRMSR) whose every step expects what it gets. */
function largeScenario(steps: number): Scenario {
  const policy = sixteenFullRanges('random');
  const indexes = randomIndexes(policy, steps);
  const scenario: Scenario = {
    profile: 'linux-6.12',
    vcpu: 'bare',
    exits: 7n,
    ignoreMsrs: false,
    vmm: { read: { error: false, data: 5n }, write: { error: true } },
    filter: policy,
    steps: Array.from(indexes, (index, i) =>
      i & 1 ? { op: 'rdmsr', index, host: false } : { op: 'wrmsr', index, value: BigInt(i), host: false },
    ),
  };
  const run = runScenario(scenario, false);
  for (const r of run.steps) scenario.steps[r.step].expect = expectationOf(r);
  return scenario;
}

/**
 * The installed package's figures (issue 14): it is packed and installed into a temporary project, as a CI job
 * would get it, and its bin is run with plain node (no npx in the timings).
 */
export function packageFigures(root: string, options: { full?: boolean } = {}): Figure[] {
  const work = mkdtempSync(join(tmpdir(), 'msrfilter-bench-package-'));
  try {
    const packed = packIntoTemp(root, work);
    const project = join(work, 'consumer');
    installTarball(packed.tarball, project, join(work, 'npm-cache'));
    const bin = join(project, 'node_modules/msrfilter/bin/msrfilter.mjs');
    const node = process.execPath;
    writeFileSync(join(project, 'two.json'), twoSteps());
    const figures: Figure[] = [];

    // 1. Cold start: `msrfilter run` of a 2-step scenario against `node -e 0`, alternated, medians of 15 each.
    const cli: number[] = [];
    const bare: number[] = [];
    timed(node, [bin, 'run', 'two.json'], project); // warm the file cache
    for (let i = 0; i < 15; i++) {
      cli.push(timed(node, [bin, 'run', 'two.json'], project));
      bare.push(timed(node, ['-e', '0'], project));
    }
    const clone: number[] = [];
    for (let i = 0; i < 3; i++) clone.push(timed(node, [join(root, 'bin/msrfilter.mjs'), 'run', 'two.json'], project));
    const start = median(cli) / median(bare);
    figures.push({
      figure: 'CLI cold start, a 2-step scenario (installed package)',
      baseline: '`node -e 0`',
      value: start,
      unit: 'x',
      target: '<= 3x',
      pass: start <= 3,
      detail: `msrfilter run ${median(cli).toFixed(0)} ms, node -e 0 ${median(bare).toFixed(0)} ms (medians of 15); from a clone (tsx) ${median(clone).toFixed(0)} ms`,
    });

    // 2. 1,000 scenario files: one `msrfilter test DIR` against 1,000 `msrfilter run FILE` calls. The calls are
    //    all made with --full; by default the first `sample` are timed and the total scaled (each call is the same
    //    cold start on a 2-step file, and 1,000 of them take minutes on a loaded 2-core machine).
    const suite = join(project, 'suite');
    mkdirSync(suite);
    const files: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const f = `suite/s${String(i).padStart(4, '0')}.json`;
      writeFileSync(join(project, f), twoSteps().replace('"0x11"', `"0x${(0x11 + i).toString(16)}"`));
      files.push(f);
    }
    // Ten rounds, each one test call and a tenth of the run calls, so that both meet the same load.
    const sample = options.full ? files.length : 100;
    const perRound = sample / 10;
    const rounds: { test: number; runs: number }[] = [];
    for (let k = 0; k < 10; k++) {
      const test = timed(node, [bin, 'test', 'suite'], project);
      let runs = 0;
      for (const f of files.slice(k * perRound, (k + 1) * perRound)) runs += timed(node, [bin, 'run', f], project);
      rounds.push({ test, runs: (runs * files.length) / perRound });
    }
    rounds.sort((a, b) => a.runs / a.test - b.runs / b.test);
    const { test: oneCall, runs: manyCalls } = rounds[5];
    const batch = manyCalls / oneCall;
    figures.push({
      figure: '1,000 scenario files, one `msrfilter test` call',
      baseline: 'the same files as 1,000 `msrfilter run` calls',
      value: batch,
      unit: 'x faster',
      target: '>= 20x',
      pass: batch >= 20,
      detail:
        `one test call ${oneCall.toFixed(0)} ms; 1,000 run calls ${(manyCalls / 1000).toFixed(1)} s (the median of 10 ` +
        `rounds of one test call and ${perRound} run calls${sample < files.length ? ', scaled; `npm run bench -- --full` times all 1,000' : ''})`,
    });

    // 3. Steps/s of `msrfilter test` (the whole process: start, read, parse, run, check, report) on one large
    //    scenario, against the engine running the same parsed scenario in this process; and, to show what the
    //    CLI itself adds, against the same parse + run + check in this process.
    const steps = 200_000;
    const big = largeScenario(steps);
    const text = JSON.stringify(scenarioToJson(big));
    writeFileSync(join(project, 'big.json'), text);
    const parsed = scenarioFromJson(JSON.parse(text));
    const rate = (ms: number) => steps / (ms / 1000);
    const cliRates: number[] = [];
    const engineRates: number[] = [];
    const inProcessRates: number[] = [];
    const parseRates: number[] = [];
    const readRates: number[] = [];
    for (let i = 0; i < 3; i++) {
      cliRates.push(rate(timed(node, [bin, 'test', 'big.json'], project)));
      let t0 = performance.now();
      runScenario(parsed, false);
      engineRates.push(rate(performance.now() - t0));
      t0 = performance.now();
      const c = checkFile('big.json', text, {});
      inProcessRates.push(rate(performance.now() - t0));
      if (c.kind !== 'checked' || c.steps.some((x) => x.mismatches.length)) throw new Error('the large scenario fails');
      t0 = performance.now();
      JSON.parse(text);
      parseRates.push(rate(performance.now() - t0));
      t0 = performance.now();
      scenarioFromText(text, 'big.json');
      readRates.push(rate(performance.now() - t0));
    }
    const [cliRate, engineRate, inProcessRate, parseRate, readRate] = [
      cliRates,
      engineRates,
      inProcessRates,
      parseRates,
      readRates,
    ].map(median);
    const mib = (text.length / 2 ** 20).toFixed(0);
    // What no reader can beat: a process that starts like the 2-step run and then only runs the engine (its steps
    // are sequential, so the run cannot be shared out), with reading, checking and reporting free.
    const engineMs = (steps / engineRate) * 1000;
    const ceiling = engineMs / (median(cli) + engineMs);
    figures.push({
      figure: `steps/s of \`msrfilter test\`, one ${steps / 1000}k-step scenario (${mib} MiB)`,
      baseline: 'the engine in-process: runScenario on the same parsed scenario (trace off)',
      value: cliRate / engineRate,
      unit: 'x',
      target: '>= 0.5x',
      pass: cliRate / engineRate >= 0.5,
      detail:
        `msrfilter test ${(cliRate / 1e6).toFixed(3)} M steps/s; engine ${(engineRate / 1e6).toFixed(3)} M steps/s; ` +
        `reading the scenario alone (scenarioFromText) ${(readRate / 1e6).toFixed(3)} M steps/s, ` +
        `JSON.parse of the text alone ${(parseRate / 1e6).toFixed(3)} M steps/s (medians of 3); ` +
        `the ceiling with free reading and checking (the 2-step run's start, then the engine): ${ceiling.toFixed(2)}x`,
    });
    figures.push({
      figure: `steps/s of \`msrfilter test\` (process start, file read, report), the same scenario`,
      baseline: 'the same parse + run + check in-process',
      value: cliRate / inProcessRate,
      unit: 'x',
      target: '>= 0.5x',
      pass: cliRate / inProcessRate >= 0.5,
      detail: `in-process parse + run + check ${(inProcessRate / 1e6).toFixed(3)} M steps/s`,
    });

    // 4. What `npm install` downloads.
    const kb = packed.size / 1024;
    figures.push({
      figure: 'package size (npm pack)',
      baseline: '—',
      value: kb,
      unit: 'KB',
      target: '<= 256 KB packed',
      pass: kb <= 256,
      detail: `${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked, ${packed.files.length} files; no dependencies`,
    });
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
