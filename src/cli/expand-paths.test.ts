// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPath } from './expand-paths';

describe("expandPath: msrfilter test's FILE|DIR|GLOB arguments", () => {
  let dir = '';
  const cwd = process.cwd();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'msrfilter-expand-'));
    mkdirSync(join(dir, 'suite/deep'), { recursive: true });
    mkdirSync(join(dir, 'suite/node_modules/pkg'), { recursive: true });
    mkdirSync(join(dir, 'suite/.cache'), { recursive: true });
    const files = ['suite/b.json', 'suite/a.json', 'suite/deep/c.json', 'suite/readme.txt', 'top.json'];
    for (const f of [...files, 'suite/node_modules/pkg/package.json', 'suite/.cache/d.json']) {
      writeFileSync(join(dir, f), '{}');
    }
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file is itself, whatever its extension; standard input is -', () => {
    expect(expandPath('suite/readme.txt')).toEqual(['suite/readme.txt']);
    expect(expandPath('-')).toEqual(['-']);
  });

  it('a directory is every *.json below it, sorted, with or without a trailing slash', () => {
    const all = ['suite/a.json', 'suite/b.json', 'suite/deep/c.json'];
    expect(expandPath('suite')).toEqual(all);
    expect(expandPath('suite/')).toEqual(all);
  });

  it('a glob is its matches, sorted', () => {
    expect(expandPath('suite/*.json')).toEqual(['suite/a.json', 'suite/b.json']);
    expect(expandPath('**/c.json')).toEqual(['suite/deep/c.json']);
    expect(expandPath('{top,suite/a}.json')).toEqual(['suite/a.json', 'top.json']);
  });

  it('directories and globs skip node_modules (unless the glob names it) and hidden directories', () => {
    expect(expandPath('suite')).not.toContain('suite/node_modules/pkg/package.json');
    expect(expandPath('suite/**/*.json')).toEqual(['suite/a.json', 'suite/b.json', 'suite/deep/c.json']);
    expect(expandPath('suite/node_modules/**/*.json')).toEqual(['suite/node_modules/pkg/package.json']);
    expect(expandPath('suite/.cache/d.json')).toEqual(['suite/.cache/d.json']);
    // from another directory, and as an absolute path: the same files
    mkdirSync(join(dir, 'other'), { recursive: true });
    process.chdir(join(dir, 'other'));
    try {
      const suite = ['a.json', 'b.json', 'deep/c.json'];
      expect(expandPath('../suite/**/*.json')).toEqual(suite.map((f) => `../suite/${f}`));
      expect(expandPath(join(dir, 'suite/**/*.json'))).toEqual(suite.map((f) => `../suite/${f}`));
      expect(expandPath('../suite')).toEqual(suite.map((f) => `../suite/${f}`));
    } finally {
      process.chdir(dir);
    }
  });

  it('nothing that exists or matches is an empty list (the command reports it)', () => {
    expect(expandPath('missing.json')).toEqual([]);
    expect(expandPath('suite/*.yaml')).toEqual([]);
  });
});
