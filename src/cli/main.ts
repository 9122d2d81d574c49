import { readFileSync } from 'node:fs';
import {
  getProfile,
  InputError,
  isProfileId,
  NEWEST_PROFILE,
  PROFILE_IDS,
  parseJsonText,
  policyFromJson,
  policyToJson,
  resultsToJsonLines,
  runScenario,
  scenarioFromJson,
  validatePolicy,
} from '../core/index';
import { EXPORT_TARGETS, exportPolicy, importFromUrl, isExportTarget } from './exports';

export const USAGE = `usage:
  msrfilter run [--kvm] [--trace] SCENARIO.json     simulate (or run on /dev/kvm); JSON Lines on stdout
  msrfilter validate POLICY.json [--profile P]        exit 0 if the kernel accepts it, 1 with errno and reason if not
  msrfilter export POLICY.json --to ${EXPORT_TARGETS.join('|')}   write the policy as code, JSON or a share link
  msrfilter import URL                                 decode a share link into msr-filter/1 JSON
profiles: ${PROFILE_IDS.join(', ')} (default ${NEWEST_PROFILE})
A file argument of - reads standard input.`;

/** Exit codes: 0 ok, 1 policy refused, 2 malformed input or usage, 3 no /dev/kvm. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => string;
  runOnKvm?: (scenarioText: string, args: { trace: boolean }) => Promise<string>;
}

function usageError(message: string): never {
  throw new CliExit(2, `msrfilter: ${message}\n${USAGE}`);
}

function parseArgs(argv: string[]) {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kvm' || a === '--trace' || a === '--help' || a === '-h') flags.set(a.replace(/^-+/, ''), true);
    else if (a === '--profile' || a === '--to') {
      const v = argv[++i];
      if (v === undefined) usageError(`${a} needs a value`);
      flags.set(a.slice(2), v);
    } else if (a.startsWith('--') && a.includes('=')) {
      const [k, v] = a.slice(2).split('=', 2);
      flags.set(k, v);
    } else if (a.startsWith('-') && a !== '-') usageError(`unknown option ${a}`);
    else positional.push(a);
  }
  return { flags, positional };
}

function readInput(io: CliIo, path: string | undefined, what: string): string {
  if (!path) usageError(`missing ${what} file`);
  try {
    return io.readFile(path);
  } catch (e) {
    throw new CliExit(
      2,
      `msrfilter: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(argv);
  const [command, ...rest] = positional;
  if (flags.has('help') || flags.has('h') || !command) {
    io.stdout(`${USAGE}\n`);
    return command || flags.size ? 0 : 2;
  }
  switch (command) {
    case 'run': {
      const text = readInput(io, rest[0], 'scenario');
      const scenario = scenarioFromJson(parseJsonText(text, rest[0]));
      const trace = flags.has('trace');
      if (flags.has('kvm')) {
        if (!io.runOnKvm) throw new CliExit(3, 'msrfilter: --kvm is not available in this build');
        io.stdout(await io.runOnKvm(text, { trace }));
        return 0;
      }
      const run = runScenario(scenario, trace);
      if (run.setup.exits?.errno)
        io.stderr(`msrfilter: note: exits: ${run.setup.exits.errno}: ${run.setup.exits.message}\n`);
      if (run.setup.filter?.errno)
        io.stderr(`msrfilter: note: filter: ${run.setup.filter.errno}: ${run.setup.filter.message}\n`);
      io.stdout(resultsToJsonLines(run.steps, trace));
      return 0;
    }
    case 'validate': {
      const text = readInput(io, rest[0], 'policy');
      const policy = policyFromJson(parseJsonText(text, rest[0]));
      const id = (flags.get('profile') as string | undefined) ?? NEWEST_PROFILE;
      if (!isProfileId(id)) usageError(`unknown profile ${JSON.stringify(id)} (known: ${PROFILE_IDS.join(', ')})`);
      const v = validatePolicy(policy, getProfile(id));
      for (const note of v.notes) io.stderr(`note: ${note}\n`);
      if (v.error) {
        io.stdout(`${v.error.errno}: ${v.error.message}\n`);
        return 1;
      }
      io.stdout(
        `ok: ${id} accepts the filter (${v.accepted.length} active range${v.accepted.length === 1 ? '' : 's'})\n`,
      );
      return 0;
    }
    case 'export': {
      const text = readInput(io, rest[0], 'policy');
      const to = flags.get('to');
      if (typeof to !== 'string' || !isExportTarget(to)) usageError(`--to must be one of ${EXPORT_TARGETS.join(', ')}`);
      const policy = policyFromJson(parseJsonText(text, rest[0]));
      io.stdout(exportPolicy(policy, to));
      return 0;
    }
    case 'import': {
      const url = rest[0];
      if (!url) usageError('missing share URL');
      const policy = importFromUrl(url);
      io.stdout(`${JSON.stringify(policyToJson(policy), null, 2)}\n`);
      return 0;
    }
    default:
      usageError(`unknown command ${JSON.stringify(command)}`);
  }
}

/** Runs the CLI and turns every failure into an exit code and one clear line: never a stack trace. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await runCli(argv, io);
  } catch (e) {
    if (e instanceof CliExit) {
      io.stderr(`${e.message}\n`);
      return e.code;
    }
    if (e instanceof InputError) {
      io.stderr(`${e.message}\n`);
      return 2;
    }
    io.stderr(`msrfilter: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}

export function readFileOrStdin(path: string): string {
  return readFileSync(path === '-' ? 0 : path, 'utf8');
}
