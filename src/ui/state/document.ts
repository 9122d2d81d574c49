import {
  type Decision,
  EMPTY_POLICY,
  type FilterPolicy,
  type HostModelId,
  InputError,
  NEWEST_PROFILE,
  type ProfileId,
  parseExpectation,
  type Scenario,
  type Step,
  scenarioFromJson,
  scenarioToJson,
  type VcpuModelId,
  type VmmReply,
} from '../../core/index';

/** An access the user keeps, re-run on every edit and checked against the verdict they expect. */
export interface SavedAccess {
  /** Stable key for the UI; not part of the scenario format (regenerated on load). */
  id: string;
  op: 'rdmsr' | 'wrmsr';
  index: number;
  /** The value written (ignored for reads). */
  value: bigint;
  host: boolean;
  /** This access's own VMM reply, overriding the document's `vmm` (kept from imported scenarios). */
  reply?: VmmReply;
  /** The verdict the user expects, or null for "no expectation". */
  expect: Decision | null;
}

/**
 * Everything a user makes and shares: the policy, the VM settings and the saved accesses. This is what undo/redo
 * tracks and what a share link carries (as `msr-scenario/1`, see documentToScenario).
 */
export interface PlaygroundDocument {
  name?: string;
  policy: FilterPolicy;
  profile: ProfileId;
  vcpu: VcpuModelId;
  /** The host KVM runs on (backend, vendor, address width); absent: DEFAULT_HOST_MODEL, as in a scenario. */
  hostModel?: HostModelId;
  /** The KVM_CAP_X86_USER_SPACE_MSR reason mask; null: the capability is not enabled. */
  exits: bigint | null;
  ignoreMsrs: boolean;
  /** How the simulated VMM answers a user-space exit for reads and for writes. */
  vmm: { read: VmmReply; write: VmmReply };
  saved: SavedAccess[];
}

export const DECISIONS: readonly Decision[] = ['allow', 'eperm', 'gp'];

let nextId = 1;
/** A fresh id for a saved access. */
export function newSavedId(): string {
  return `a${nextId++}`;
}

export function emptyDocument(): PlaygroundDocument {
  return {
    policy: EMPTY_POLICY,
    profile: NEWEST_PROFILE,
    vcpu: 'bare',
    exits: null,
    ignoreMsrs: false,
    vmm: { read: { error: true }, write: { error: true } },
    saved: [],
  };
}

/** The saved accesses as scenario steps, in order. */
export function savedToSteps(saved: readonly SavedAccess[]): Step[] {
  return saved.map((a): Step => {
    const base = { index: a.index, host: a.host, ...(a.reply ? { reply: a.reply } : {}) };
    return a.op === 'rdmsr' ? { op: 'rdmsr', ...base } : { op: 'wrmsr', value: a.value, ...base };
  });
}

/** The document as the engine's Scenario: the policy installed before the first step, the saved accesses as steps. */
export function documentToCoreScenario(doc: PlaygroundDocument): Scenario {
  const s: Scenario = {
    profile: doc.profile,
    vcpu: doc.vcpu,
    exits: doc.exits,
    ignoreMsrs: doc.ignoreMsrs,
    vmm: doc.vmm,
    filter: doc.policy,
    steps: savedToSteps(doc.saved),
  };
  if (doc.name !== undefined) s.name = doc.name;
  if (doc.hostModel !== undefined) s.hostModel = doc.hostModel;
  return s;
}

/**
 * The document as an `msr-scenario/1` JSON object (formats.md). Each step may carry one extra field, `expect`
 * (`allow`, `eperm` or `gp`): the saved access's expected verdict. Readers that do not know it ignore it.
 */
export function documentToScenario(doc: PlaygroundDocument): Record<string, unknown> {
  const out = scenarioToJson(documentToCoreScenario(doc));
  const steps = out.steps as Record<string, unknown>[];
  doc.saved.forEach((a, i) => {
    if (a.expect !== null) steps[i].expect = a.expect;
  });
  return out;
}

/**
 * A step's `expect` as the saved access's expected verdict: the bare verdict the playground writes, or the object
 * `msrfilter test` reads (formats.md), of which the playground keeps the decision (a note says what else is dropped).
 */
export function readExpect(raw: unknown, place: string, op: string, notes?: string[]): Decision | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' && (DECISIONS as readonly string[]).includes(raw)) return raw as Decision;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      place,
      `expected one of ${DECISIONS.join(', ')}, null or an object, got ${JSON.stringify(raw)}`,
    );
  }
  const e = parseExpectation(raw, place, op);
  const others = Object.keys(e).filter((k) => k !== 'decision');
  if (others.length) {
    notes?.push(
      `${place}: the playground checks the decision only; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} not kept`,
    );
  }
  return e.decision ?? null;
}

/**
 * A parsed Scenario (plus each step's expected verdict, by step index) as a document. A `filter` of null becomes the
 * empty DEFAULT_ALLOW policy (it allows everything, as no filter does). Steps other than rdmsr/wrmsr (set-filter,
 * set-exits) have no place in the playground: they are skipped, and a sentence for each is pushed to `notes`.
 */
export function coreScenarioToDocument(
  s: Scenario,
  expectations: readonly (Decision | null | undefined)[] = [],
  notes?: string[],
): PlaygroundDocument {
  const saved: SavedAccess[] = [];
  s.steps.forEach((step, i) => {
    if (step.op !== 'rdmsr' && step.op !== 'wrmsr') {
      notes?.push(`steps[${i}]: ${step.op} is not kept (the playground saves only RDMSR/WRMSR accesses)`);
      return;
    }
    saved.push({
      id: newSavedId(),
      op: step.op,
      index: step.index,
      value: step.op === 'wrmsr' ? step.value : 0n,
      host: step.host,
      ...(step.reply ? { reply: step.reply } : {}),
      expect: expectations[i] ?? null,
    });
  });
  const doc: PlaygroundDocument = {
    policy: s.filter ?? EMPTY_POLICY,
    profile: s.profile,
    vcpu: s.vcpu,
    exits: s.exits,
    ignoreMsrs: s.ignoreMsrs,
    vmm: s.vmm,
    saved,
  };
  if (s.name !== undefined) doc.name = s.name;
  if (s.hostModel !== undefined) doc.hostModel = s.hostModel;
  return doc;
}

/**
 * Reads an `msr-scenario/1` object (already parsed from JSON) into a document; each step may carry `expect`.
 * Throws InputError naming the place of the first problem. See coreScenarioToDocument for what is kept.
 */
export function scenarioToDocument(json: unknown, notes?: string[]): PlaygroundDocument {
  const s = scenarioFromJson(json);
  const rawSteps = (json as { steps?: unknown[] }).steps ?? [];
  const expectations = s.steps.map((step, i) =>
    readExpect((rawSteps[i] as Record<string, unknown>).expect, `steps[${i}].expect`, step.op, notes),
  );
  return coreScenarioToDocument(s, expectations, notes);
}
