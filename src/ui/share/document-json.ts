/**
 * The playground document as JSON: an `msr-scenario/1` object with the saved accesses' expected verdicts as a
 * top-level `expectations` array, exactly as shareDocumentToJson writes it (and `msrfilter import --scenario`).
 * Reading also takes each step's own `expect` (the form state/document.ts's documentToScenario writes).
 *
 * Only lazily loaded code uses this module (local storage, import, export), so that the JSON readers and writers
 * stay out of the first render's JS.
 */
import { scenarioFromJson } from '../../core/scenario/scenario-json';
import { type Expectation, shareDocumentFromJson, shareDocumentToJson } from '../../core/share/document';
import { type PlaygroundDocument, readExpect } from '../state/document';
import { fromShareDocument, toShareDocument } from './convert';

export function documentToJson(doc: PlaygroundDocument): Record<string, unknown> {
  return shareDocumentToJson(toShareDocument(doc));
}

function stepExpectation(step: unknown, op: string, i: number, notes?: string[]): Expectation {
  const e = typeof step === 'object' && step !== null ? (step as Record<string, unknown>).expect : undefined;
  return readExpect(e, `steps[${i}].expect`, op, notes);
}

/**
 * Reads a document (already parsed from JSON). Throws InputError naming the place of the first problem. Steps
 * other than RDMSR/WRMSR are not kept: a sentence for each goes to `notes`.
 */
export function documentFromJson(v: unknown, notes?: string[]): PlaygroundDocument {
  const obj = v as Record<string, unknown> | null;
  if (typeof obj === 'object' && obj !== null && !Array.isArray(obj) && obj.expectations === undefined) {
    const scenario = scenarioFromJson(obj);
    const raw = Array.isArray(obj.steps) ? obj.steps : [];
    return fromShareDocument(
      { scenario, expectations: scenario.steps.map((step, i) => stepExpectation(raw[i], step.op, i, notes)) },
      notes,
    );
  }
  return fromShareDocument(shareDocumentFromJson(v), notes);
}
