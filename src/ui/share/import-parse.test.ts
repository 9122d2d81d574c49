import { describe, expect, it } from 'vitest';
import { policyToJson } from '../../core/policy/policy-json';
import { getPreset } from '../presets';
import { documentToScenario, type PlaygroundDocument } from '../state/document';
import { documentToJson } from './document-json';
import { parseImportFile, parseImportText } from './import-parse';
import { writeLink } from './link-codec';

const selftest = () => getPreset('selftest-deny')?.build() as PlaygroundDocument;
const json = (v: unknown) => JSON.stringify(v);

function failure(text: string): string {
  const r = parseImportText(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.message;
}

describe('what the Import dialog reads', () => {
  it('an msr-filter/1 policy: the policy only', () => {
    const policy = selftest().policy;
    const r = parseImportText(json(policyToJson(policy)));
    expect(r).toMatchObject({ ok: true, kind: 'policy' });
    if (r.ok && r.kind === 'policy') {
      expect(policyToJson(r.policy)).toEqual(policyToJson(policy));
      expect(r.summary).toMatch(
        /^the policy "Selftest deny filter" \(6 ranges\); the rest of the document is unchanged$/,
      );
    }
    // Without "format" but with ranges, it is a policy too.
    expect(parseImportText(json({ ranges: [] }))).toMatchObject({ ok: true, kind: 'policy' });
  });

  it('an msr-scenario/1 scenario, with expected verdicts at the top (the CLI) or on each step', () => {
    const doc = selftest();
    for (const form of [documentToJson(doc), documentToScenario(doc)]) {
      const r = parseImportText(json(form));
      expect(r).toMatchObject({ ok: true, kind: 'document' });
      if (r.ok && r.kind === 'document') {
        expect(documentToJson(r.doc)).toEqual(documentToJson(doc));
        expect(r.summary).toMatch(/6 saved accesses$/);
      }
    }
  });

  it('a test file for msrfilter test imports back: an object expect gives its decision, with a note for the rest', () => {
    const r = parseImportText(
      json({
        format: 'msr-scenario/1',
        steps: [
          { op: 'rdmsr', index: '0x10', expect: { decision: 'allow', result: 'ok' } },
          { op: 'rdmsr', index: '0x11', expect: { exit: null } },
          { op: 'rdmsr', index: '0x12', expect: 'gp' },
        ],
      }),
    );
    if (!r.ok) throw new Error(r.message);
    if (r.kind !== 'document') throw new Error(r.kind);
    expect(r.doc.saved.map((a) => a.expect)).toEqual(['allow', null, 'gp']);
    expect(r.notes.join(' ')).toContain('steps[0].expect: the playground checks the decision only; result is not kept');
    expect(r.notes.join(' ')).toContain('steps[1].expect: the playground checks the decision only; exit is not kept');
    expect(
      failure(json({ format: 'msr-scenario/1', steps: [{ op: 'rdmsr', index: 0, expect: { decision: 'maybe' } }] })),
    ).toMatch(/steps\[0\]\.expect/);
  });

  it('set-filter and set-exits steps are not kept, with a note for each', () => {
    const r = parseImportText(
      json({
        format: 'msr-scenario/1',
        steps: [
          { op: 'rdmsr', index: '0x10' },
          { op: 'set-exits', exits: [] },
        ],
      }),
    );
    expect(r).toMatchObject({ ok: true, kind: 'document', notes: [expect.stringMatching(/^steps\[1\]: set-exits/)] });
  });

  it('a pasted link: a whole URL, #v2.… or v2.…', () => {
    const link = writeLink('https://example.org/msr/', selftest());
    if (!link.ok) throw new Error(link.message);
    for (const text of [link.url, `#${link.fragment}`, link.fragment, `  ${link.url}\n`]) {
      const r = parseImportText(text);
      expect(r).toMatchObject({ ok: true, kind: 'document' });
      if (r.ok && r.kind === 'document') expect(documentToJson(r.doc)).toEqual(documentToJson(selftest()));
    }
  });

  it('invalid input gives the located error', () => {
    const bad = policyToJson(selftest().policy) as { ranges: { bitmap: string }[] };
    bad.ranges[0].bitmap = 'xyz';
    expect(failure(json(bad))).toBe('ranges[0].bitmap: is not a hex string of whole bytes (two hex digits per byte)');
    const scenario = documentToJson(selftest()) as { steps: { index: string }[] };
    scenario.steps[2].index = '0x1ffffffff';
    expect(failure(json(scenario))).toMatch(/^steps\[2\]\.index: /);
    const perStep = documentToScenario(selftest()) as { steps: { expect?: string }[] };
    perStep.steps[1].expect = 'maybe';
    expect(failure(json(perStep))).toBe('steps[1].expect: expected "allow", "eperm", "gp" or null, got "maybe"');
    expect(failure('{"format": "msr-filter/2"}')).toBe(
      'format: expected "msr-filter/1" or "msr-scenario/1", got "msr-filter/2"',
    );
    expect(failure('{"ranges": [')).toMatch(/^This is not valid JSON: /);
    expect(failure('[]')).toMatch(/^Expected a JSON object/);
    expect(failure('{"hello": 1}')).toMatch(/neither an msr-filter\/1 policy/);
    expect(failure('   ')).toMatch(/^Nothing to import/);
    expect(failure('hello world')).toMatch(/^Paste an msr-filter\/1 policy/);
    expect(failure('https://example.org/')).toMatch(/no #fragment/);
    expect(failure('https://example.org/#v2.AAA')).toMatch(/^This link is (damaged|incomplete)/);
    expect(failure('#v7.AAAA')).toMatch(/newer version of the playground/);
  });

  it('reads files, naming the file in an error, and refuses huge ones before reading them', async () => {
    const good = new File([json(policyToJson(selftest().policy))], 'policy.json', { type: 'application/json' });
    expect(await parseImportFile(good)).toMatchObject({ ok: true, kind: 'policy' });
    const bad = new File(['{"ranges":[{"base":1}]}'], 'bad.json');
    expect(await parseImportFile(bad)).toEqual({ ok: false, message: 'bad.json: ranges[0].nmsrs: is required' });
    const huge = { name: 'huge.json', size: 64 * 1024 * 1024, text: async () => '' } as unknown as File;
    expect(await parseImportFile(huge)).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^huge\.json: the file is 64\.0 MiB; the playground imports files of up to 16 MiB/,
      ),
    });
  });
});

describe('JSON syntax errors name the line and the column', () => {
  it('points past the stray comma: line 4, column 1 of the text as pasted (its leading blank line counted)', () => {
    const r = parseImportText('\n{\n"flags": 0,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^This is not valid JSON: line 4, column 1: /);
  });
});
