import {
  DEFAULT_HOST_MODEL,
  DEFAULT_SHARE_BASE,
  documentKind,
  ExportError,
  getProfile,
  HOST_MODEL_IDS,
  type HostModelId,
  InputError,
  isHostModelId,
  NEWEST_PROFILE,
  PROFILE_IDS,
  parseJsonText,
  policyFromJson,
  resolveProfileId,
  resultsToJsonLines,
  runScenario,
  ShareLinkError,
  scenarioFromText,
  unknownProfileMessage,
  validatePolicy,
} from '../core/index';
import { EXPORT_TARGETS, exportSource, importFromUrl, isExportTarget, readExportSource } from './exports';
import { MAX_INPUT_BYTES, readInputCapped } from './read-input';
import { runTestCommand, TestUsageError } from './test-command';

/** What a bare `msrfilter` prints (stderr, exit 2). */
export const SHORT_USAGE =
  'usage: msrfilter run|test|host|validate|export|import|lint|pack|learn ... (msrfilter --help for more)';

import { learnCommand, lintCommand, packCommand, ToolUsageError } from './policy-tools';

export const USAGE = `usage:
  msrfilter run [--kvm[=svm-6.1]] [--trace] [--host H] SCENARIO.json
                                                      simulate (or run on /dev/kvm, or kvm_amd 6.1 under QEMU); JSON Lines
  msrfilter host                                      the host model that matches this machine's /dev/kvm, and why
  msrfilter test [--reporter tap|junit] [--profile P,...] [--host H,...] FILE|DIR|GLOB...
                                                      check every step's "expect"; exit 0 all pass, 1 any fails,
                                                      2 malformed; --profile/--host repeat or take lists (a matrix)
  msrfilter validate POLICY.json [--profile P]        exit 0 if the kernel accepts it, 1 with errno and reason if not
  msrfilter export FILE.json --to ${EXPORT_TARGETS.join('|')} [--base URL] [--profile P]
                                                      write a policy (or a scenario's filter and exit mask) as a
                                                      C program, Rust, JSON, or a share URL of the whole document
  msrfilter import URL [--scenario]                   decode a share link (URL, #v1.… or v1.…; - reads stdin)
                                                      into msr-filter/1 JSON, or with --scenario msr-scenario/1
  msrfilter lint FILE [--profile P] [--fail-on info|warning|error] [--json]
                                                      findings for a policy, a scenario, or exported C/Rust;
                                                      exit 1 if any is at or above --fail-on (default error)
  msrfilter pack LIST|POLICY [--profile P] [--allow|--deny]
                                                      the smallest valid policy for a list of MSRs, or an equal
                                                      smaller policy; exit 1 if it does not fit (nearest printed)
  msrfilter learn TRACE [--profile P] [--no-passthrough] [--replay POLICY [--exits filter]]
                                                      a DEFAULT_DENY policy from a kvm:kvm_msr trace or dmesg,
                                                      or (--replay) what a policy does to each recorded access
profiles: ${PROFILE_IDS.join(', ')}, or linux-X.Y for a release from 5.10 on (default ${NEWEST_PROFILE})
hosts: ${HOST_MODEL_IDS.join(', ')}, native (default ${DEFAULT_HOST_MODEL})
msrfilter --version prints the package's version. A file argument of - reads standard input; inputs are read up to ${MAX_INPUT_BYTES / 2 ** 20} MiB.`;

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
  runOnKvm?: (scenarioText: string, args: { trace: boolean; backend?: string }) => Promise<string>;
  /** This machine's host model (for `host` and `"hostModel": "native"`): an id, or why there is none. */
  nativeHost?: () => { id: HostModelId | null; why: string };
  /** `test`'s FILE|DIR|GLOB arguments to files (default: each argument as a file). */
  expandPath?: (pattern: string) => string[];
  /** The package's version, for `--version` (null or absent: unknown in this build). */
  version?: string | null;
}

function nativeResolver(io: CliIo): () => HostModelId {
  return () => {
    const n = io.nativeHost?.();
    if (!n?.id) throw new CliExit(3, `msrfilter: no native host model: ${n?.why ?? 'not available in this build'}`);
    return n.id;
  };
}

/** A bad command line: exit 2 with one line, like any other malformed input (`--help` prints the usage). */
function usageError(message: string): never {
  throw new CliExit(2, `msrfilter: ${message} (see msrfilter --help)`);
}

/** Options that take a value; `lists` keeps every value of a repeated one (`--profile a --profile b`). */
const VALUE_OPTIONS = ['--profile', '--to', '--base', '--reporter', '--host', '--fail-on', '--replay', '--exits'];

function parseArgs(argv: string[]) {
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const positional: string[] = [];
  const setValue = (name: string, v: string) => {
    flags.set(name, v);
    lists.set(name, [...(lists.get(name) ?? []), v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (
      a === '--kvm' ||
      a === '--trace' ||
      a === '--scenario' ||
      a === '--help' ||
      a === '-h' ||
      a === '--version' ||
      a === '-V' ||
      a === '--json' ||
      a === '--allow' ||
      a === '--deny' ||
      a === '--no-passthrough'
    ) {
      flags.set(a.replace(/^-+/, ''), true);
    } else if (VALUE_OPTIONS.includes(a)) {
      const v = argv[++i];
      if (v === undefined) usageError(`${a} needs a value`);
      setValue(a.slice(2), v);
    } else if (a.startsWith('--') && a.includes('=')) {
      const eq = a.indexOf('=');
      setValue(a.slice(2, eq), a.slice(eq + 1));
    } else if (a.startsWith('-') && a !== '-') usageError(`unknown option ${a}`);
    else positional.push(a);
  }
  return { flags, lists, positional };
}

const readErrorText = (e: NodeJS.ErrnoException) =>
  e.code === 'EFBIG' ? `EFBIG: ${e.message}` : (e.code ?? e.message);

function readInput(io: CliIo, path: string | undefined, what: string): string {
  if (!path) usageError(`missing ${what} file`);
  try {
    return io.readFile(path);
  } catch (e) {
    throw new CliExit(2, `msrfilter: cannot read ${path}: ${readErrorText(e as NodeJS.ErrnoException)}`);
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { flags, lists, positional } = parseArgs(argv);
  const [command, ...rest] = positional;
  if (flags.has('help') || flags.has('h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (flags.has('version') || flags.has('V')) {
    if (!io.version) throw new CliExit(3, 'msrfilter: the version is not known in this build');
    io.stdout(`${io.version}\n`);
    return 0;
  }
  if (!command) {
    io.stderr(`${SHORT_USAGE}\n`);
    return 2;
  }
  switch (command) {
    case 'host': {
      const n = io.nativeHost?.();
      if (!n?.id) throw new CliExit(3, `msrfilter: no native host model: ${n?.why ?? 'not available in this build'}`);
      io.stdout(`${n.id}\n`);
      io.stderr(`msrfilter: ${n.id}: ${n.why}\n`);
      return 0;
    }
    case 'run': {
      const text = readInput(io, rest[0], 'scenario');
      const resolveNative = nativeResolver(io);
      const scenario = scenarioFromText(text, rest[0], { nativeHost: resolveNative });
      const hostFlag = flags.get('host');
      if (hostFlag !== undefined) {
        if (hostFlag === 'native') scenario.hostModel = resolveNative();
        else if (isHostModelId(hostFlag)) scenario.hostModel = hostFlag;
        else usageError(`unknown host model ${JSON.stringify(hostFlag)} (known: ${HOST_MODEL_IDS.join(', ')}, native)`);
      }
      const trace = flags.has('trace');
      if (flags.has('kvm')) {
        if (!io.runOnKvm) throw new CliExit(3, 'msrfilter: --kvm is not available in this build');
        const kvm = flags.get('kvm');
        const backend = kvm === true ? undefined : kvm;
        const out = await io.runOnKvm(text, { trace, backend });
        if (backend === undefined) {
          const n = io.nativeHost?.();
          io.stderr(
            `msrfilter: note: ran on this machine's kernel; its host model is ${n?.id ?? 'unknown'} (${n?.why ?? 'no detection'})\n`,
          );
        } else io.stderr(`msrfilter: note: ran on ${backend}; its host model is svm\n`);
        io.stdout(out);
        return 0;
      }
      const run = runScenario(scenario, trace);
      const expectations = scenario.steps.some((s) => s.expect) ? scenario.steps.map((s) => s.expect) : undefined;
      if (run.setup.exits?.errno)
        io.stderr(`msrfilter: note: exits: ${run.setup.exits.errno}: ${run.setup.exits.message}\n`);
      if (run.setup.filter?.errno)
        io.stderr(`msrfilter: note: filter: ${run.setup.filter.errno}: ${run.setup.filter.message}\n`);
      // In slices, so that a very long run never builds one huge string.
      for (let i = 0; i < run.steps.length; i += 4096) {
        io.stdout(resultsToJsonLines(run.steps.slice(i, i + 4096), trace, expectations));
      }
      return 0;
    }
    case 'validate': {
      const text = readInput(io, rest[0], 'policy');
      const json = parseJsonText(text, rest[0]);
      if (documentKind(json) === 'scenario') {
        throw new InputError(
          '(policy)',
          'this is an msr-scenario/1 scenario, not an msr-filter/1 policy; validate takes a policy ' +
            '(`msrfilter export SCENARIO.json --to json` prints its filter)',
        );
      }
      const policy = policyFromJson(json);
      const given = (flags.get('profile') as string | undefined) ?? NEWEST_PROFILE;
      const id = resolveProfileId(given) ?? usageError(unknownProfileMessage(given));
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
      const to = flags.get('to');
      if (typeof to !== 'string' || !isExportTarget(to)) usageError(`--to must be one of ${EXPORT_TARGETS.join(', ')}`);
      const base = flags.get('base');
      if (base !== undefined && (typeof base !== 'string' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(base))) {
        usageError(`--base must be a URL such as ${DEFAULT_SHARE_BASE}`);
      }
      const givenProfile = flags.get('profile');
      const profileId =
        givenProfile === undefined
          ? undefined
          : (resolveProfileId(givenProfile) ?? usageError(unknownProfileMessage(givenProfile)));
      const text = readInput(io, rest[0], 'policy or scenario');
      const source = readExportSource(parseJsonText(text, rest[0]));
      try {
        const out = exportSource(source, to, { base: base as string | undefined, profile: profileId });
        for (const note of out.notes) io.stderr(`msrfilter: note: ${note}\n`);
        io.stdout(out.text);
      } catch (e) {
        if (e instanceof ExportError || (e instanceof ShareLinkError && e.kind === 'unencodable')) {
          throw new CliExit(1, `msrfilter: cannot export to ${to}: ${e.message}`);
        }
        throw e;
      }
      return 0;
    }
    case 'import': {
      const arg = rest[0];
      if (!arg) usageError('missing share URL');
      const link = arg === '-' ? readInput(io, '-', 'share link') : arg;
      try {
        const out = importFromUrl(link, { scenario: flags.has('scenario') });
        for (const note of out.notes) io.stderr(`msrfilter: note: ${note}\n`);
        io.stdout(out.text);
      } catch (e) {
        if (e instanceof ShareLinkError) throw new CliExit(2, `msrfilter: ${e.message}`);
        throw e;
      }
      return 0;
    }
    case 'test':
      try {
        return runTestCommand(
          {
            patterns: rest,
            reporter: flags.get('reporter') as string | undefined,
            profiles: lists.get('profile') ?? [],
            hosts: lists.get('host') ?? [],
            hostModels: true,
          },
          { ...io, expandPath: io.expandPath ?? ((p) => [p]) },
        );
      } catch (e) {
        if (e instanceof TestUsageError) usageError(e.message);
        throw e;
      }
    case 'lint':
    case 'pack':
    case 'learn': {
      const text = readInput(
        io,
        rest[0],
        command === 'learn' ? 'trace' : command === 'pack' ? 'list or policy' : 'policy',
      );
      try {
        if (command === 'lint') return lintCommand(text, rest[0], flags, io);
        if (command === 'pack') return packCommand(text, rest[0], flags, io);
        return learnCommand(text, rest[0], flags, io, (p) => readInput(io, p, 'policy'));
      } catch (e) {
        if (e instanceof ToolUsageError) usageError(e.message);
        throw e;
      }
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
    if (e instanceof ShareLinkError) {
      io.stderr(`msrfilter: ${e.message}\n`);
      return e.kind === 'unencodable' ? 1 : 2;
    }
    if (e instanceof ExportError) {
      io.stderr(`msrfilter: ${e.message}\n`);
      return 1;
    }
    io.stderr(`msrfilter: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}

/** Reads a file (or standard input for `-`), refusing more than MAX_INPUT_BYTES (EFBIG): `/dev/zero` never ends. */
export function readFileOrStdin(path: string): string {
  return readInputCapped(path === '-' ? 0 : path);
}
