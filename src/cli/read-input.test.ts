// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputCapped } from './read-input';

const dir = mkdtempSync(join(tmpdir(), 'msrfilter-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const efbig = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code;
  }
  return 'read';
};

describe('readInputCapped: inputs up to a limit, never forever', () => {
  it('reads a file of exactly the limit, and refuses one byte more with EFBIG', () => {
    expect(readInputCapped(file('exact.json', 'x'.repeat(1000)), 1000)).toHaveLength(1000);
    expect(efbig(() => readInputCapped(file('over.json', 'x'.repeat(1001)), 1000))).toBe('EFBIG');
  });

  it('refuses an input that never ends (/dev/zero) at the limit', () => {
    expect(efbig(() => readInputCapped('/dev/zero', 3 * 2 ** 20 + 5))).toBe('EFBIG');
  });

  it('reads UTF-8 across many megabytes whole, an empty file as empty, and files whose size says 0 (/proc)', () => {
    const text = `{"name":"${'é✓𝕏'.repeat(400_000)}"}`;
    expect(readInputCapped(file('utf8.json', text))).toBe(text);
    expect(readInputCapped(file('empty.json', ''))).toBe('');
    expect(readInputCapped('/proc/self/status')).toMatch(/^Name:/);
  });
});
