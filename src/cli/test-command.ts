import { HOST_MODEL_IDS, isHostModelId, resolveProfileId, unknownProfileMessage } from '../core/index';
import { isReporter, REPORTERS, report } from './test-reporters';
import { caseFailed, checkFile, matrixOf, type SuiteCase } from './test-suite';

export interface TestCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => string;
  /** FILE, DIR (every *.json under it) or GLOB to file paths, sorted; an empty list when nothing matches. */
  expandPath: (pattern: string) => string[];
}

export interface TestCommandArgs {
  patterns: string[];
  reporter: string | undefined;
  /** Every `--profile`/`--host` value (repeatable; each may be a comma list). */
  profiles: string[];
  hosts: string[];
  /** Whether this build knows host models (the `hostModel` field); --host is refused until it does. */
  hostModels: boolean;
}

/** Thrown for a bad command line (exit 2 with one line). */
export class TestUsageError extends Error {}

const splitList = (values: readonly string[]) =>
  values.flatMap((v) => v.split(',').map((s) => s.trim())).filter((s) => s !== '');

/**
 * `msrfilter test FILE|DIR|GLOB...`: every scenario file under every cell of the `--profile` × `--host` matrix,
 * in this process. Exit 0 when every expectation holds, 1 when any fails, 2 when any file is malformed (each named
 * on stderr with the place) or unreadable.
 */
export function runTestCommand(args: TestCommandArgs, io: TestCommandIo): number {
  const reporter = args.reporter ?? 'default';
  if (!isReporter(reporter)) throw new TestUsageError(`--reporter must be one of ${REPORTERS.join(', ')}`);
  if (!args.patterns.length) throw new TestUsageError('test needs at least one FILE, DIR or GLOB');
  const profiles = splitList(args.profiles);
  for (const p of profiles) {
    if (!resolveProfileId(p)) throw new TestUsageError(unknownProfileMessage(p));
  }
  const hosts = splitList(args.hosts);
  if (hosts.length && !args.hostModels) throw new TestUsageError('--host: this build has no host models yet');
  for (const h of hosts) {
    if (!isHostModelId(h)) {
      throw new TestUsageError(`unknown host model ${JSON.stringify(h)} (known: ${HOST_MODEL_IDS.join(', ')})`);
    }
  }

  const cells = matrixOf(profiles, hosts);
  const cases: SuiteCase[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  for (const pattern of args.patterns) {
    const found = io.expandPath(pattern);
    // In the report too (an <error> in JUnit, a `not ok` in TAP), so that a CI job that reads only the report sees it.
    if (!found.length) {
      for (const cell of cells) {
        cases.push({ kind: 'malformed', file: pattern, cell, message: 'no such file, or no *.json file matches' });
      }
    }
    for (const f of found) {
      if (!seen.has(f)) files.push(f);
      seen.add(f);
    }
  }

  for (const file of files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const message = `cannot read: ${err.code === 'EFBIG' ? `EFBIG: ${err.message}` : (err.code ?? err.message)}`;
      for (const cell of cells) cases.push({ kind: 'malformed', file, cell, message });
      continue;
    }
    for (const cell of cells) cases.push(checkFile(file, text, cell));
  }
  // Once per file, however many cells of the matrix it failed in.
  const problems = new Set<string>();
  for (const c of cases) if (c.kind === 'malformed') problems.add(`msrfilter: ${c.file}: ${c.message}\n`);
  for (const line of problems) io.stderr(line);
  io.stdout(report(reporter, cases));
  if (cases.some((c) => c.kind === 'malformed')) return 2;
  return cases.some(caseFailed) ? 1 : 0;
}
