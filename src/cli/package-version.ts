import { readFileSync } from 'node:fs';

/**
 * The version in the package's package.json, for `msrfilter --version`: two levels up from src/cli/ in a clone, one
 * level up from dist/cli.mjs when installed. null when neither is the msrfilter package.json (never throws).
 */
export function packageVersion(from: string | URL = import.meta.url): string | null {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, from), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'msrfilter' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there, or not JSON: try the next
    }
  }
  return null;
}
