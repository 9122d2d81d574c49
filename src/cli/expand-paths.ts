import { statSync } from 'node:fs';
import { globSync, isDynamicPattern } from 'tinyglobby';

/** What a directory or glob never descends into (as test runners do): installed packages. Hidden ones too. */
const NOT_SEARCHED = ['**/node_modules/**'];

/**
 * A `msrfilter test` argument to the files it names: a file as it is, a directory as every `*.json` below it, a
 * glob (`suite/**\/*.json`) as its matches; sorted, so that reports come in a stable order. Directories and globs
 * skip `node_modules` (unless the glob names it) and hidden files and directories.
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
  if (isDir)
    return globSync('**/*.json', { cwd: pattern, absolute: false, ignore: NOT_SEARCHED })
      .sort()
      .map((f) => joinPath(pattern, f));
  if (!isDynamicPattern(pattern)) return [];
  const ignore = pattern.includes('node_modules') ? [] : NOT_SEARCHED;
  return globSync(pattern, { absolute: false, expandDirectories: false, ignore }).sort();
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`;
}
