import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `npm pack` made: the tarball, its sizes and the files in it. */
export interface PackedTarball {
  tarball: string;
  /** Bytes of the .tgz. */
  size: number;
  /** Bytes of the files in it. */
  unpackedSize: number;
  files: string[];
}

/** What the build of the package reads (scripts/build-package.mjs) and what the tarball holds. */
const PACK_INPUTS = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.package.json'];
const PACK_DIRS = ['bin', 'docs', 'scripts', 'src'];

/** npm without the update check and the audit, talking to no registry. */
export function npmEnv(cache: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_offline: 'true',
  };
}

/**
 * `npm pack` of the project at `root`, without writing into it: the package's sources are copied to `work/src-copy`
 * (node_modules linked, for esbuild and tsc), `prepack` builds dist/ there, and the tarball goes to `work`.
 */
export function packIntoTemp(root: string, work: string): PackedTarball {
  const copy = join(work, 'src-copy');
  mkdirSync(copy, { recursive: true });
  for (const f of PACK_INPUTS) cpSync(join(root, f), join(copy, f));
  for (const d of PACK_DIRS) cpSync(join(root, d), join(copy, d), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: copy,
    env: npmEnv(join(work, 'npm-cache')),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The JSON report is the last thing npm prints (after anything the prepack script wrote).
  const at = out.startsWith('[') ? 0 : out.lastIndexOf('\n[') + 1;
  const report = JSON.parse(out.slice(at)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const r = report[0];
  return {
    tarball: join(work, r.filename),
    size: r.size,
    unpackedSize: r.unpackedSize,
    files: r.files.map((f) => f.path).sort(),
  };
}

/** A fresh project at `dir` with the tarball installed by `npm install --offline` (no registry, a private cache). */
export function installTarball(tarball: string, dir: string, cache: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', tarball], {
    cwd: dir,
    env: npmEnv(cache),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The packages a project's node_modules holds (scoped ones as @scope/name). */
export function installedPackages(dir: string): string[] {
  const nm = join(dir, 'node_modules');
  const out: string[] = [];
  for (const name of readdirSync(nm)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of readdirSync(join(nm, name))) out.push(`${name}/${sub}`);
    else out.push(name);
  }
  return out.sort();
}
