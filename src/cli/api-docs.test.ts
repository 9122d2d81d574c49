// @vitest-environment node
import * as nodeAssert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as publicApi from '../core/public';
import { docExamples } from './doc-examples';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
const publicSource = readFileSync(join(root, 'src/core/public.ts'), 'utf8');
const examples = docExamples(doc);

/** Every name src/core/public.ts exports, values and types. */
function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

/** Runs one example against the sources: its imports of 'msrfilter/core' get src/core/public.ts. */
async function runExample(code: string): Promise<void> {
  const js = (await transform(code, { loader: 'ts', format: 'cjs', target: 'node20' })).code;
  const modules: Record<string, unknown> = { 'msrfilter/core': publicApi, 'node:assert/strict': nodeAssert };
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`an example imports ${name}: only msrfilter/core and node:assert/strict`);
    return modules[name];
  };
  new Function('require', 'module', 'exports', js)(require, { exports: {} }, {});
}

describe('docs/api.md', () => {
  it('has examples, and every one imports the package the way a user does', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const ex of examples) expect(ex.code, `example at line ${ex.line}`).toMatch(/from 'msrfilter\/core';/);
  });

  it('names every export of the stable API (src/core/public.ts)', () => {
    const names = exportedNames(publicSource);
    // the list read from the source agrees with what the module really exports
    for (const key of Object.keys(publicApi)) expect(names).toContain(key);
    const missing = names.filter((name) => !new RegExp(`\`${name}\\b`).test(doc));
    expect(missing, 'exports that docs/api.md does not mention').toEqual([]);
    for (const ex of examples) {
      for (const m of ex.code.matchAll(/import\s*\{([^}]*)\}\s*from 'msrfilter\/core'/g)) {
        for (const imported of m[1].split(',').map((s) => s.trim().replace(/^type\s+/, ''))) {
          if (imported) expect(names, `example at line ${ex.line} imports ${imported}`).toContain(imported);
        }
      }
    }
  });

  it.each(examples.map((ex) => [ex.line, ex.code] as const))(
    'the example at line %i runs and its asserts hold',
    async (_line, code) => {
      await runExample(code);
    },
  );

  it('a failing assert in an example fails its test (the runner does not swallow errors)', async () => {
    const code =
      "import assert from 'node:assert/strict';\nimport { evaluate } from 'msrfilter/core';\nassert.equal(typeof evaluate, 'string');\n";
    await expect(runExample(code)).rejects.toThrow(/Expected values to be strictly equal/);
  });
});
