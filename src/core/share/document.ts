import { InputError, placeOf } from '../errors';
import { describeValue } from '../numbers';
import { expectObject } from '../policy/policy-json';
import type { FilterPolicy, FilterRange } from '../policy/types';
import { scenarioFromJson, scenarioToJson } from '../scenario/scenario-json';
import type { Scenario, Step, VmmReply } from '../scenario/types';
import type { Decision } from '../vm/vm';
import { wellFormed } from './bytes';

/** What a saved access is expected to get: a pass/fail badge compares it with the run's decision. */
export type Expectation = Decision | null;
export const EXPECTATIONS: readonly Decision[] = ['allow', 'eperm', 'gp'];

/**
 * The whole playground document that a share link carries: the scenario (VM settings, the filter with its names and
 * comments, and the saved accesses as steps) and, optionally, the expected verdict of each step (null: none).
 */
export interface ShareDocument {
  scenario: Scenario;
  expectations?: Expectation[];
}

/** The kernel reads at most this many bitmap bytes; bits past nmsrs are never consulted. */
export function meaningfulBitmap(r: FilterRange): Uint8Array {
  const limit = Math.ceil(r.nmsrs / 8);
  let end = Math.min(r.bitmap.length, limit);
  while (end > 0 && r.bitmap[end - 1] === 0) end--;
  return r.bitmap.slice(0, end);
}

function normalizeRange(r: FilterRange): FilterRange {
  const out: FilterRange = { flags: r.flags, base: r.base, nmsrs: r.nmsrs, bitmap: meaningfulBitmap(r) };
  if (r.comment !== undefined) out.comment = wellFormed(r.comment);
  return out;
}

export function normalizePolicy(p: FilterPolicy): FilterPolicy {
  const out: FilterPolicy = { flags: p.flags, ranges: p.ranges.map(normalizeRange) };
  return p.name === undefined ? out : { name: wellFormed(p.name), ...out };
}

function normalizeReply(r: VmmReply): VmmReply {
  return r.error ? { error: true } : { error: false, data: r.data };
}

function normalizeStep(s: Step): Step {
  switch (s.op) {
    case 'rdmsr':
      return s.reply
        ? { op: s.op, index: s.index, host: s.host, reply: normalizeReply(s.reply) }
        : { op: s.op, index: s.index, host: s.host };
    case 'wrmsr':
      return s.reply
        ? { op: s.op, index: s.index, value: s.value, host: s.host, reply: normalizeReply(s.reply) }
        : { op: s.op, index: s.index, value: s.value, host: s.host };
    case 'set-filter':
      return { op: s.op, filter: s.filter ? normalizePolicy(s.filter) : null };
    case 'set-exits':
      return { op: s.op, exits: s.exits };
  }
}

/**
 * The canonical copy of a document: exactly what a share link of it decodes to. Bitmaps are cut to the bytes the
 * kernel could consult (ceil(nmsrs / 8)) and trimmed of trailing zero bytes (missing bytes read as zero); strings
 * are made well-formed UTF-16 (a lone surrogate becomes U+FFFD). Everything else is kept as is, including values the
 * kernel would refuse.
 */
export function normalizeShareDocument(doc: ShareDocument): ShareDocument {
  const s = doc.scenario;
  const scenario: Scenario = {
    profile: s.profile,
    vcpu: s.vcpu,
    exits: s.exits,
    ignoreMsrs: s.ignoreMsrs,
    vmm: { read: normalizeReply(s.vmm.read), write: normalizeReply(s.vmm.write) },
    filter: s.filter ? normalizePolicy(s.filter) : null,
    steps: s.steps.map(normalizeStep),
  };
  if (s.name !== undefined) scenario.name = wellFormed(s.name);
  if (s.hostModel !== undefined) scenario.hostModel = s.hostModel;
  const out: ShareDocument = { scenario };
  if (doc.expectations !== undefined) out.expectations = [...doc.expectations];
  return out;
}

/** A document as JSON: an `msr-scenario/1` object, plus `expectations` when the document has them. */
export function shareDocumentToJson(doc: ShareDocument): Record<string, unknown> {
  const out = scenarioToJson(doc.scenario);
  if (doc.expectations !== undefined) out.expectations = [...doc.expectations];
  return out;
}

/** Reads what shareDocumentToJson writes (any `msr-scenario/1`, with optional `expectations`). */
export function shareDocumentFromJson(v: unknown): ShareDocument {
  const obj = expectObject(v, '(scenario)');
  const scenario = scenarioFromJson(obj);
  if (obj.expectations === undefined) return { scenario };
  if (!Array.isArray(obj.expectations)) {
    throw new InputError('expectations', `expected an array, got ${describeValue(obj.expectations)}`);
  }
  const expectations = obj.expectations.map((e, i): Expectation => {
    if (e === null || (typeof e === 'string' && (EXPECTATIONS as readonly string[]).includes(e))) {
      return e as Expectation;
    }
    throw new InputError(
      placeOf('expectations', i),
      `expected "allow", "eperm", "gp" or null, got ${describeValue(e)}`,
    );
  });
  return { scenario, expectations };
}
