import { main } from './main';

/**
 * `test`'s FILE|DIR arguments over the in-memory files: a file as it is; a directory (`suite` or `suite/`) as every
 * `*.json` below it, sorted; nothing otherwise. (Globs are expand-paths.ts's job, tested on a real directory.)
 */
function expandInMemory(files: Record<string, string>, pattern: string): string[] {
  if (Object.hasOwn(files, pattern)) return [pattern];
  const dir = pattern.endsWith('/') ? pattern : `${pattern}/`;
  return Object.keys(files)
    .filter((f) => f.startsWith(dir) && f.endsWith('.json'))
    .sort();
}

/** Runs the CLI in-process with files given as a map, capturing stdout, stderr and the exit code (for tests). */
export async function runCliInMemory(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: (p) => {
      if (!Object.hasOwn(files, p)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return files[p];
    },
    expandPath: (pattern) => expandInMemory(files, pattern),
    version: '0.0.0-test',
  });
  return { code, stdout, stderr };
}
