// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignTables } from './md-tables.mjs';

describe("the survey's Markdown tables", () => {
  it('are aligned as Prettier does: padded cells, rules as wide as their column, wide characters counted twice', () => {
    const md = [
      'text | not a table',
      '',
      '| a | bb |',
      '|---|:-:|',
      '| ⚡x | c |',
      '| longer cell | d |',
      'after',
    ].join('\n');
    expect(alignTables(md)).toBe(
      [
        'text | not a table',
        '',
        '| a           | bb  |',
        '| ----------- | :-: |',
        '| ⚡x         | c   |',
        '| longer cell | d   |',
        'after',
      ].join('\n'),
    );
  });

  it('leave the stored (aligned) survey tables unchanged', () => {
    for (const f of ['oracle/survey/TABLES.md', 'oracle/survey/SUMMARY.md', 'oracle/survey/svm-6.1/TABLES.md']) {
      const text = readFileSync(f, 'utf8');
      expect(alignTables(text) === text, f).toBe(true);
    }
  });
});
