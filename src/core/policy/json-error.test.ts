import { describe, expect, it } from 'vitest';
import { jsonErrorText } from './policy-json';

function errorFor(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return jsonErrorText(text, e);
  }
  throw new Error('parsed');
}

describe('jsonErrorText', () => {
  it('gives a line and column where the engine names a position', () => {
    expect(errorFor('{\n  "a": 1,\n}')).toMatch(/^line 3, column 1: /);
  });

  it('gives a line and column where the engine names none ("Unexpected token")', () => {
    expect(errorFor('{\n  "ranges": [,]\n}')).toMatch(/^line 2, column 14: Unexpected token/);
    expect(errorFor('{"a": tru}')).toMatch(/^line 1, column \d+: /);
    expect(errorFor('\ufeff{\n\n  x\n}')).toMatch(/^line 3, column 3: /);
  });
});
