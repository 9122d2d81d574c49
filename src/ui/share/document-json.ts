/**
 * The playground document as JSON: an `msr-scenario/1` object with the saved accesses' expected verdicts as a
 * top-level `expectations` array, exactly as shareDocumentToJson writes it (and `msrfilter import --scenario`).
 * Reading also takes each step's own `expect` (the form state/document.ts's documentToScenario writes).
 *
 * Only lazily loaded code uses this module (local storage, import, export), so that the JSON readers and writers
 * stay out of the first render's JS.
 */
import { InputError } from '../../core/errors';
import { describeValue } from '../../core/numbers';
import { scenarioFromJson } from '../../core/scenario/scenario-json';
import { EXPECTATIONS, type Expectation, shareDocumentFromJson, shareDocumentToJson } from '../../core/share/document';
import type { PlaygroundDocument } from '../state/document';
import { fromShareDocument, toShareDocument } from './convert';

export function documentToJson(doc: PlaygroundDocument): Record<string, unknown> {
  return shareDocumentToJson(toShareDocument(doc));
}

function stepExpectation(step: unknown, i: number): Expectation {
  const e = typeof step === 'object' && step !== null ? (step as Record<string, unknown>).expect : undefined;
  if (e === undefined || e === null) return null;
  if (typeof e === 'string' && (EXPECTATIONS as readonly string[]).includes(e)) return e as Expectation;
  throw new InputError(`steps[${i}].expect`, `expected "allow", "eperm", "gp" or null, got ${describeValue(e)}`);
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
      { scenario, expectations: scenario.steps.map((_, i) => stepExpectation(raw[i], i)) },
      notes,
    );
  }
  return fromShareDocument(shareDocumentFromJson(v), notes);
}
