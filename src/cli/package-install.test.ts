// @vitest-environment node
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPackages, installTarball, type PackedTarball, packIntoTemp } from '../node/package-tarball';
import { docExamples } from './doc-examples';

/**
 * The package as a user gets it: `npm pack` (its prepack builds the bundle), then `npm install --offline` of the
 * tarball into an empty project, with no clone around it. Everything happens in a temporary directory.
 */
const root = join(import.meta.dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
let work = '';
let project = '';
let packed: PackedTarball;

const scenario = (steps: unknown[]) =>
  JSON.stringify({
    format: 'msr-scenario/1',
    exits: ['filter'],
    filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] },
    steps,
  });

/** The installed command, run as a CI job would: `npx msrfilter ...` in the project (offline, so never fetched). */
function msrfilter(args: string[], viaNpx = false) {
  const [cmd, argv] = viaNpx
    ? ['npx', ['--offline', '--no-install', 'msrfilter', ...args]]
    : [join(project, 'node_modules/.bin/msrfilter'), args];
  const r = spawnSync(cmd, argv, {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_cache: join(work, 'npm-cache') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'msrfilter-package-'));
  packed = packIntoTemp(root, work);
  project = join(work, 'consumer');
  installTarball(packed.tarball, project, join(work, 'npm-cache'));
  mkdirSync(join(project, 'suite'));
  writeFileSync(
    join(project, 'suite/pass.json'),
    scenario([
      { op: 'rdmsr', index: '0x10', expect: { decision: 'allow', result: 'ok' } },
      { op: 'rdmsr', index: '0x11', expect: { decision: 'eperm', exit: 'filter' } },
    ]),
  );
  writeFileSync(join(project, 'fail.json'), scenario([{ op: 'wrmsr', index: '0x10', value: 1, expect: 'allow' }]));
  writeFileSync(join(project, 'bad.json'), scenario([{ op: 'rdmsr', index: '0x10', expect: { decision: 'yes' } }]));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the bundle, the types and the docs, and no sources', () => {
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/msrfilter.mjs',
      'dist/cli.mjs',
      'dist/core.mjs',
      'dist/types/core/public.d.ts',
      'docs/api.md',
      'docs/formats.md',
    ]) {
      expect(packed.files).toContain(f);
    }
    expect(packed.files.filter((f) => f.startsWith('src/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });

  it('needs nothing from a registry: no dependencies, and the install brings in nothing else', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules/msrfilter/package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(installedPackages(project)).toEqual(['msrfilter']);
    // the bundles import only Node's built-ins (the core, not even those)
    const imports = (file: string) =>
      [
        ...readFileSync(join(project, 'node_modules/msrfilter', file), 'utf8').matchAll(
          /\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/g,
        ),
      ]
        .map((m) => m[1] ?? m[2])
        .filter((s) => !s.startsWith('.'));
    expect(imports('dist/core.mjs')).toEqual([]);
    const builtins = new Set(['fs', 'path', 'url', 'module', 'os', 'child_process', 'util', 'crypto', 'zlib']);
    for (const s of imports('dist/cli.mjs')) expect(builtins.has(s.replace(/^node:/, '')), s).toBe(true);
  });
});

describe('the installed msrfilter command', () => {
  it('--version prints the version', () => {
    expect(msrfilter(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('test: exit 0 when all pass, 1 when any fails, 2 on a malformed file (through npx too)', () => {
    const pass = msrfilter(['test', 'suite'], true);
    expect(pass).toMatchObject({ code: 0, stderr: '' });
    expect(pass.stdout).toBe(
      'ok    suite/pass.json (2 expectations)\n1 file: 1 passed, 0 failed, 0 malformed; 2 expectations, 0 failed\n',
    );
    const fail = msrfilter(['test', 'suite', 'fail.json']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain(
      'FAIL  fail.json\n      steps[0] wrmsr 0x00000010: decision: expected allow, got eperm\n',
    );
    const bad = msrfilter(['test', 'suite', 'fail.json', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'msrfilter: bad.json: steps[0].expect.decision: unknown decision "yes" (known: allow, eperm, gp)\n',
    );
  });

  it('test --reporter junit and tap, over a glob and a profile matrix', () => {
    const junit = msrfilter(['test', '--reporter', 'junit', '--profile', 'linux-5.10,linux-6.12', '*.json', 'suite']);
    expect(junit.code).toBe(2);
    expect(junit.stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="msrfilter test" tests="8" failures="2" errors="2">/,
    );
    expect(junit.stdout).toContain(
      '<testsuite name="fail.json [profile=linux-5.10]" tests="1" failures="1" errors="0">',
    );
    const tap = msrfilter(['test', '--reporter', 'tap', 'suite/pass.json', 'fail.json']);
    expect(tap.code).toBe(1);
    expect(tap.stdout.split('\n').slice(0, 4)).toEqual([
      'TAP version 14',
      '1..2',
      'ok 1 - suite/pass.json # 2 expectations',
      'not ok 2 - fail.json',
    ]);
  });

  it('run prints JSON Lines; the bare command prints the one-line usage (exit 2); --kvm needs a clone (exit 3)', () => {
    const run = msrfilter(['run', 'suite/pass.json']);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).decision),
    ).toEqual(['allow', 'eperm']);
    const bare = msrfilter([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^usage: msrfilter run\|test\|/);
    const kvm = msrfilter(['run', '--kvm', 'suite/pass.json']);
    expect(kvm.code).toBe(3);
    expect(kvm.stderr).toBe('msrfilter: --kvm needs a clone of the project (oracle/ builds the real-KVM helper)\n');
  });
});

describe("import from 'msrfilter/core' in the installed package", () => {
  it('loads from a plain .mjs file and works', () => {
    writeFileSync(
      join(project, 'use-core.mjs'),
      [
        "import { evaluate, policyFromJson, runScenario, scenarioFromJson } from 'msrfilter/core';",
        "const policy = policyFromJson({ flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0x10', nmsrs: 1, bitmap: '01' }] });",
        "const run = runScenario(scenarioFromJson({ filter: { flags: 'DEFAULT_DENY', ranges: [] }, steps: [{ op: 'rdmsr', index: '0x10' }] }), false);",
        "console.log(JSON.stringify([evaluate(policy, { index: 0x10, type: 'read' }), evaluate(policy, { index: 0x10, type: 'write' }).allowed, run.setup.filter.errno]));",
        "const m = await import('msrfilter/core');",
        'console.log(Object.keys(m).length);',
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, ['use-core.mjs'], { cwd: project, encoding: 'utf8' }).trim().split('\n');
    expect(JSON.parse(out[0])).toEqual([{ allowed: true, range: 0, errno: null }, false, 'EINVAL']);
    expect(Number(out[1])).toBeGreaterThan(40);
  });

  it("runs every example of docs/api.md against the bundle, and they type-check against the package's declarations", () => {
    const examples = docExamples(readFileSync(join(project, 'node_modules/msrfilter/docs/api.md'), 'utf8'));
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const dir = join(project, 'examples');
    mkdirSync(dir);
    for (const ex of examples) {
      writeFileSync(join(dir, `line-${ex.line}.ts`), ex.code);
      writeFileSync(join(dir, `line-${ex.line}.mjs`), transformSync(ex.code, { loader: 'ts', format: 'esm' }).code);
    }
    // one process runs them all, each as its own module
    writeFileSync(join(dir, 'all.mjs'), examples.map((ex) => `await import('./line-${ex.line}.mjs');`).join('\n'));
    execFileSync(process.execPath, ['examples/all.mjs'], { cwd: project, stdio: 'pipe' });

    // Types: as a Node project (nodenext) and as a bundler's would see them, resolved through "exports". The
    // declarations are checked too (no skipLibCheck); node:assert gets a small declaration of the calls used, so
    // that @types/node (slow to check) is not needed. @ts-expect-error lines prove the types are not `any`.
    writeFileSync(
      join(dir, 'node-assert.d.ts'),
      [
        "declare module 'node:assert/strict' {",
        '  const assert: {',
        '    ok(value: unknown, message?: string): asserts value;',
        '    equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;',
        '    deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;',
        '    match(value: string, re: RegExp, message?: string): void;',
        '    throws(fn: () => unknown, error?: unknown, message?: string): void;',
        '    fail(message?: string): never;',
        '  };',
        '  export default assert;',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'types-are-real.ts'),
      [
        "import { evaluate, type FilterPolicy, policyFromJson } from 'msrfilter/core';",
        'const p: FilterPolicy = policyFromJson({ flags: 0, ranges: [] });',
        '// @ts-expect-error an access needs an index',
        "evaluate(p, { type: 'read' });",
        '// @ts-expect-error allowed is a boolean',
        "export const s: string = evaluate(p, { index: 0, type: 'read' }).allowed;",
      ].join('\n'),
    );
    for (const resolution of ['nodenext', 'bundler']) {
      writeFileSync(
        join(project, `tsconfig.${resolution}.json`),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            module: resolution === 'bundler' ? 'ESNext' : 'NodeNext',
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            types: [],
          },
          include: ['examples/*.ts'],
        }),
      );
      const tsc = spawnSync(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${resolution}.json`],
        { cwd: project, encoding: 'utf8' },
      );
      expect(tsc.stdout + tsc.stderr, `tsc (${resolution})`).toBe('');
      expect(tsc.status).toBe(0);
    }
  });
});
