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
    for (const f of ['suite/b.json', 'suite/a.json', 'suite/deep/c.json', 'suite/readme.txt', 'top.json']) {
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

  it('nothing that exists or matches is an empty list (the command reports it)', () => {
    expect(expandPath('missing.json')).toEqual([]);
    expect(expandPath('suite/*.yaml')).toEqual([]);
  });
});
