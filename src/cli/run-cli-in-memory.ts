import { main } from './main';

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
      if (!(p in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return files[p];
    },
  });
  return { code, stdout, stderr };
}
