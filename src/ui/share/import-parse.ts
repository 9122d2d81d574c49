/**
 * What the Import dialog accepts, read without changing anything: an `msr-filter/1` policy (replaces the policy
 * only), an `msr-scenario/1` scenario (the whole document; expected verdicts as a top-level `expectations` array, as
 * the CLI writes them, or as `expect` on each step), or a share link. Every failure names its place.
 */
import { InputError } from '../../core/errors';
import { jsonErrorText, POLICY_FORMAT, policyFromJson } from '../../core/policy/policy-json';
import type { FilterPolicy } from '../../core/policy/types';
import { documentKind, SCENARIO_FORMAT } from '../../core/scenario/scenario-json';
import type { PlaygroundDocument } from '../state/document';
import { documentFromJson } from './document-json';
import { readLink } from './link-codec';

export type ImportResult =
  | { ok: true; kind: 'policy'; policy: FilterPolicy; summary: string }
  | { ok: true; kind: 'document'; doc: PlaygroundDocument; notes: string[]; summary: string }
  | { ok: false; message: string };

/** Files larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const quoted = (name: string | undefined) => (name ? ` "${name}"` : '');

function policySummary(p: FilterPolicy): string {
  return `the policy${quoted(p.name)} (${plural(p.ranges.length, 'range')}); the rest of the document is unchanged`;
}

function documentSummary(d: PlaygroundDocument, what: string): string {
  return `${what}${quoted(d.name)}: its policy (${plural(d.policy.ranges.length, 'range')}), VM settings and ${plural(d.saved.length, 'saved access', 'saved accesses')}`;
}

function fromJsonValue(value: unknown): ImportResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      message: `Expected a JSON object (msr-filter/1 or msr-scenario/1), got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`,
    };
  }
  const obj = value as Record<string, unknown>;
  const kind = documentKind(obj);
  if (kind === null && obj.format !== undefined) {
    return {
      ok: false,
      message: `format: expected "${POLICY_FORMAT}" or "${SCENARIO_FORMAT}", got ${JSON.stringify(obj.format)}`,
    };
  }
  if (kind === null) {
    return {
      ok: false,
      message: `This JSON is neither an ${POLICY_FORMAT} policy (with "ranges") nor an ${SCENARIO_FORMAT} scenario (with "steps" or "filter").`,
    };
  }
  try {
    if (kind === 'policy') {
      const policy = policyFromJson(obj);
      return { ok: true, kind, policy, summary: policySummary(policy) };
    }
    const notes: string[] = [];
    const doc = documentFromJson(obj, notes);
    return { ok: true, kind: 'document', doc, notes, summary: documentSummary(doc, 'the scenario') };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, message: e.message };
    return { ok: false, message: `This could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Reads pasted text or a file's text. Never throws and never changes anything. */
export function parseImportText(text: string): ImportResult {
  const body = text.replace(/^\uFEFF/, '');
  const t = body.trim();
  if (t === '') return { ok: false, message: 'Nothing to import: paste JSON or a share link, or choose a file.' };
  if (t.startsWith('{') || t.startsWith('[') || t.startsWith('"')) {
    let value: unknown;
    try {
      // the untrimmed text, so that the line and column are the ones in the user's file
      value = JSON.parse(body);
    } catch (e) {
      return { ok: false, message: `This is not valid JSON: ${jsonErrorText(body, e)}` };
    }
    return fromJsonValue(value);
  }
  const looksLikeLink = t.includes('#') || /^v[0-9]+\./.test(t) || /^[a-z][a-z0-9+.-]*:\/\//i.test(t);
  if (!looksLikeLink) {
    return {
      ok: false,
      message: `Paste an ${POLICY_FORMAT} policy or an ${SCENARIO_FORMAT} scenario as JSON, or a share link (…/#v2.…).`,
    };
  }
  const r = readLink(t);
  if (!r.ok) return { ok: false, message: r.message };
  return {
    ok: true,
    kind: 'document',
    doc: r.doc,
    notes: r.notes,
    summary: documentSummary(r.doc, 'the linked document'),
  };
}

/** Reads a file's text (refusing huge files first). */
export async function parseImportFile(file: Blob & { name?: string }): Promise<ImportResult> {
  const name = file.name ? `${file.name}: ` : '';
  if (file.size > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      message: `${name}the file is ${(file.size / 1048576).toFixed(1)} MiB; the playground imports files of up to ${MAX_IMPORT_BYTES / 1048576} MiB.`,
    };
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, message: `${name}the file could not be read (${e instanceof Error ? e.message : String(e)}).` };
  }
  const r = parseImportText(text);
  return r.ok ? r : { ok: false, message: `${name}${r.message}` };
}
