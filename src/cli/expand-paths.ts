import { statSync } from 'node:fs';
import { globSync, isDynamicPattern } from 'tinyglobby';

/**
 * A `msrfilter test` argument to the files it names: a file as it is, a directory as every `*.json` below it, a
 * glob (`suite/**\/*.json`) as its matches; sorted, so that reports come in a stable order. Directories and globs
 * skip hidden files and directories, and installed packages (a `node_modules` directory) unless the glob names one.
 */
export function expandPath(pattern: string): string[] {
  if (pattern === '-') return ['-'];
  let isDir = false;
  try {
    const st = statSync(pattern);
    if (st.isFile() || st.isCharacterDevice() || st.isFIFO()) return [pattern];
    isDir = st.isDirectory();
  } catch {
    // not a path: maybe a glob
  }
  if (isDir) {
    return globSync('**/*.json', { cwd: pattern, absolute: false })
      .filter((f) => !inNodeModules(f))
      .sort()
      .map((f) => joinPath(pattern, f));
  }
  if (!isDynamicPattern(pattern)) return [];
  const matches = globSync(pattern, { absolute: false, expandDirectories: false });
  return (inNodeModules(pattern) ? matches : matches.filter((f) => !inNodeModules(f))).sort();
}

/** Whether a path (or pattern) has a `node_modules` directory in it. */
const inNodeModules = (path: string) => path.split(/[\\/]/).includes('node_modules');

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`;
}
