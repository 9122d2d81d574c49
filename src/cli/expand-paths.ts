import { statSync } from 'node:fs';
import { globSync, isDynamicPattern } from 'tinyglobby';

/**
 * A `msrfilter test` argument to the files it names: a file as it is, a directory as every `*.json` below it, a
 * glob (`suite/**\/*.json`) as its matches; sorted, so that reports come in a stable order.
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
    return globSync('**/*.json', { cwd: pattern, absolute: false })
      .sort()
      .map((f) => joinPath(pattern, f));
  if (!isDynamicPattern(pattern)) return [];
  return globSync(pattern, { absolute: false, expandDirectories: false }).sort();
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`;
}
