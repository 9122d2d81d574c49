import { InputError, placeOf } from '../errors';
import { HOST_MODEL_IDS, type HostModelId, isHostModelId } from '../host/host-models';
import { describeValue, hex32, hex64, parseMsrIndex, parseU64 } from '../numbers';
import { exitMaskToNames, parseExitMask } from '../policy/flags';
import { expectObject, optionalString, POLICY_FORMAT, policyFromJson, policyToJson } from '../policy/policy-json';
import { NEWEST_PROFILE, resolveProfileId, unknownProfileMessage } from '../profiles/profiles';
import { isVcpuModelId, VCPU_MODEL_IDS } from '../vcpu/models';
import { expectationToJson, parseExpectation } from './expect';
import { isDecodedSteps, scenarioJsonFromText } from './scenario-text';
import type { Scenario, Step, VmmReply } from './types';

export const SCENARIO_FORMAT = 'msr-scenario/1';
/** Far above any real experiment (100k steps run in well under a second); a bound on memory, not a contract. */
export const MAX_STEPS = 1_000_000;
const OPS = ['rdmsr', 'wrmsr', 'set-filter', 'set-exits'] as const;

function parseBool(v: unknown, place: string): boolean {
  if (typeof v !== 'boolean') throw new InputError(place, `expected true or false, got ${describeValue(v)}`);
  return v;
}

export function parseReply(v: unknown, place: string): VmmReply {
  const obj = expectObject(v, place);
  const error = obj.error === undefined ? undefined : parseBool(obj.error, placeOf(place, 'error'));
  if (error === true) return { error: true };
  if (obj.data === undefined) {
    if (error === false) return { error: false, data: 0n };
    throw new InputError(place, 'expected { "error": true } or { "data": "0x..." }');
  }
  return { error: false, data: parseU64(obj.data, placeOf(place, 'data')) };
}

function parseFilterOrNull(v: unknown, place: string) {
  return v === null || v === undefined ? null : policyFromJson(v, place);
}

/**
 * Reads `steps[i]`. Its fields are read with places relative to the step (no string built per field of a million
 * steps); an error gets the step's own place in front.
 */
function parseStep(v: unknown, i: number): Step {
  try {
    const step = parseStepOp(v, '');
    const expect = (v as Record<string, unknown>).expect;
    if (expect !== undefined) step.expect = parseExpectation(expect, 'expect', step.op);
    return step;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const place = e.place === '' ? `steps[${i}]` : `steps[${i}]${e.place.startsWith('[') ? '' : '.'}${e.place}`;
    throw new InputError(place, e.reason);
  }
}

function parseStepOp(v: unknown, place: string): Step {
  const obj = expectObject(v, place);
  const op = obj.op;
  switch (op) {
    case 'rdmsr':
    case 'wrmsr': {
      if (obj.index === undefined) throw new InputError(placeOf(place, 'index'), 'is required');
      const index = parseMsrIndex(obj.index, placeOf(place, 'index'));
      const host = obj.host === undefined ? false : parseBool(obj.host, placeOf(place, 'host'));
      const reply = obj.reply === undefined ? undefined : parseReply(obj.reply, placeOf(place, 'reply'));
      if (op === 'rdmsr') return reply ? { op, index, host, reply } : { op, index, host };
      if (obj.value === undefined) throw new InputError(placeOf(place, 'value'), 'is required for wrmsr');
      const value = parseU64(obj.value, placeOf(place, 'value'));
      return reply ? { op, index, value, host, reply } : { op, index, value, host };
    }
    case 'set-filter':
      if (!('filter' in obj)) throw new InputError(placeOf(place, 'filter'), 'is required (null for an empty filter)');
      return { op, filter: parseFilterOrNull(obj.filter, placeOf(place, 'filter')) };
    case 'set-exits':
      if (obj.exits === undefined) throw new InputError(placeOf(place, 'exits'), 'is required');
      return { op, exits: parseExitMask(obj.exits, placeOf(place, 'exits')) };
    case undefined:
      throw new InputError(placeOf(place, 'op'), `is required (one of ${OPS.join(', ')})`);
    default:
      throw new InputError(placeOf(place, 'op'), `unknown op ${describeValue(op)} (known: ${OPS.join(', ')})`);
  }
}

/** The keys that make an object without `format` a scenario. */
export const SCENARIO_KEYS = ['steps', 'filter', 'profile', 'vcpu', 'hostModel', 'exits', 'vmm', 'ignoreMsrs'];

/**
 * Which kind of document a parsed JSON value is: by its `format`, or (both formats let it be left out) by its keys:
 * a scenario has `steps`, `filter` or VM settings; a policy has `ranges` or `flags`. Null when neither can be told.
 */
export function documentKind(v: unknown): 'policy' | 'scenario' | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const obj = v as Record<string, unknown>;
  if (obj.format === SCENARIO_FORMAT) return 'scenario';
  if (obj.format === POLICY_FORMAT) return 'policy';
  if (obj.format !== undefined) return null;
  if (SCENARIO_KEYS.some((k) => Object.hasOwn(obj, k))) return 'scenario';
  if (Object.hasOwn(obj, 'ranges') || Object.hasOwn(obj, 'flags')) return 'policy';
  return null;
}

export interface ScenarioReadOptions {
  /** Resolves `"hostModel": "native"` (this machine's host); without it, "native" is refused. */
  nativeHost?: () => HostModelId;
}

/** Reads an `msr-scenario/1` object; throws InputError naming the place of the first problem. */
export function scenarioFromJson(v: unknown, options: ScenarioReadOptions = {}): Scenario {
  const obj = expectObject(v, '(scenario)');
  if (obj.format !== undefined && obj.format !== SCENARIO_FORMAT) {
    throw new InputError('format', `expected "${SCENARIO_FORMAT}", got ${describeValue(obj.format)}`);
  }
  if (documentKind(obj) === 'policy') {
    throw new InputError(
      '(scenario)',
      `this is an ${POLICY_FORMAT} policy (it has "ranges" or "flags" and no "steps"), not an ${SCENARIO_FORMAT} scenario; put it under "filter"`,
    );
  }
  const profile = resolveProfileId(obj.profile ?? NEWEST_PROFILE);
  if (!profile) throw new InputError('profile', unknownProfileMessage(obj.profile));
  const vcpu = obj.vcpu ?? 'bare';
  if (!isVcpuModelId(vcpu)) {
    throw new InputError('vcpu', `unknown vCPU model ${describeValue(vcpu)} (known: ${VCPU_MODEL_IDS.join(', ')})`);
  }
  let hostModel = obj.hostModel;
  if (hostModel === 'native') {
    if (!options.nativeHost)
      throw new InputError('hostModel', '"native" names the machine the CLI runs on; choose a host model here');
    hostModel = options.nativeHost();
  }
  if (hostModel !== undefined && !isHostModelId(hostModel)) {
    throw new InputError(
      'hostModel',
      `unknown host model ${describeValue(hostModel)} (known: ${HOST_MODEL_IDS.join(', ')}, native)`,
    );
  }
  const exits = obj.exits === undefined || obj.exits === null ? null : parseExitMask(obj.exits, 'exits');
  const ignoreMsrs = obj.ignoreMsrs === undefined ? false : parseBool(obj.ignoreMsrs, 'ignoreMsrs');
  const vmmObj = obj.vmm === undefined ? {} : expectObject(obj.vmm, 'vmm');
  const vmm = {
    read: vmmObj.read === undefined ? ({ error: true } as const) : parseReply(vmmObj.read, 'vmm.read'),
    write: vmmObj.write === undefined ? ({ error: true } as const) : parseReply(vmmObj.write, 'vmm.write'),
  };
  const filter = parseFilterOrNull(obj.filter, 'filter');
  const stepsRaw = obj.steps ?? [];
  if (!Array.isArray(stepsRaw)) throw new InputError('steps', `expected an array, got ${describeValue(stepsRaw)}`);
  if (stepsRaw.length > MAX_STEPS) throw new InputError('steps', `${stepsRaw.length} steps; at most ${MAX_STEPS}`);
  const steps = isDecodedSteps(stepsRaw) ? stepsRaw : stepsRaw.map(parseStep);
  const name = optionalString(obj, 'name', '');
  const scenario: Scenario = { profile, vcpu, exits, ignoreMsrs, vmm, filter, steps };
  if (name !== undefined) scenario.name = name;
  if (hostModel !== undefined) scenario.hostModel = hostModel;
  return scenario;
}

/**
 * Reads an `msr-scenario/1` file's text (`what` names it in a JSON syntax error). The same as
 * `scenarioFromJson(parseJsonText(text, what))`, faster on large files: their access steps are read straight from the
 * text.
 */
export function scenarioFromText(text: string, what: string, options: ScenarioReadOptions = {}): Scenario {
  return scenarioFromJson(scenarioJsonFromText(text, what), options);
}

function replyToJson(r: VmmReply): Record<string, unknown> {
  return r.error ? { error: true } : { data: hex64(r.data) };
}

export function stepToJson(s: Step): Record<string, unknown> {
  const out = stepOpToJson(s);
  if (s.expect) out.expect = expectationToJson(s.expect);
  return out;
}

function stepOpToJson(s: Step): Record<string, unknown> {
  switch (s.op) {
    case 'rdmsr':
    case 'wrmsr': {
      const out: Record<string, unknown> = { op: s.op, index: hex32(s.index) };
      if (s.op === 'wrmsr') out.value = hex64(s.value);
      if (s.host) out.host = true;
      if (s.reply) out.reply = replyToJson(s.reply);
      return out;
    }
    case 'set-filter':
      return { op: s.op, filter: s.filter ? policyToJson(s.filter) : null };
    case 'set-exits':
      return { op: s.op, exits: exitMaskToNames(s.exits) };
  }
}

export function scenarioToJson(s: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = { format: SCENARIO_FORMAT };
  if (s.name !== undefined) out.name = s.name;
  out.profile = s.profile;
  out.vcpu = s.vcpu;
  if (s.hostModel !== undefined) out.hostModel = s.hostModel;
  if (s.exits !== null) out.exits = exitMaskToNames(s.exits);
  out.ignoreMsrs = s.ignoreMsrs;
  out.filter = s.filter ? policyToJson(s.filter) : null;
  out.vmm = { read: replyToJson(s.vmm.read), write: replyToJson(s.vmm.write) };
  out.steps = s.steps.map(stepToJson);
  return out;
}

export { POLICY_FORMAT };
