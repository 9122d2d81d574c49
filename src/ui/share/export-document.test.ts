import { describe, expect, it } from 'vitest';
import { scenarioToDocument } from '../state/document';
import { exportDocument } from './ExportDialog';

const BIDI = '\u202e\u2066\u200f\u061c';

describe('exportDocument', () => {
  const doc = scenarioToDocument({
    name: `evil${BIDI}name`,
    hostModel: 'pvm-intel',
    filter: {
      flags: 'DEFAULT_ALLOW',
      ranges: [{ flags: 'READ', base: 0, nmsrs: 8, bitmap: '01', comment: `c${BIDI}\u0007` }],
    },
    steps: [{ op: 'rdmsr', index: '0x10' }],
  });

  it.each(['policy-json', 'scenario-json', 'c', 'rust'] as const)(
    '%s holds no raw bidi or control character',
    (format) => {
      const out = exportDocument(doc, format, 'https://example.org/');
      expect(out.ok).toBe(true);
      const text = out.ok ? out.text : '';
      for (const ch of `${BIDI}\u0007`) expect(text.includes(ch)).toBe(false);
    },
  );

  it('the JSON exports still read back to the same names and comments, and the scenario keeps its host model', () => {
    const out = exportDocument(doc, 'scenario-json', 'https://example.org/');
    const json = JSON.parse(out.ok ? out.text : '{}');
    expect(json.name).toBe(`evil${BIDI}name`);
    expect(json.filter.ranges[0].comment).toBe(`c${BIDI}\u0007`);
    expect(json.hostModel).toBe('pvm-intel');
  });
});
