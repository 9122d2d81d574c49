import {
  type AccessStepResult,
  type FilterPolicy,
  getProfile,
  type ProfileId,
  type ScenarioRun,
  type ValidationResult,
  validatePolicy,
} from '../../core/index';
import { documentToCoreScenario, type PlaygroundDocument, type SavedAccess } from './document';
import { engine, loadEngine } from './engine';

/**
 * Values derived from the document with the engine, memoised on object identity: the document is immutable, so
 * a new object means a change and an old one means nothing to recompute.
 */

export function memoByPolicyAndProfile<T>(fn: (policy: FilterPolicy, profile: ProfileId) => T) {
  const cache = new WeakMap<FilterPolicy, Map<ProfileId, T>>();
  return (policy: FilterPolicy, profile: ProfileId): T => {
    let byProfile = cache.get(policy);
    if (!byProfile) {
      byProfile = new Map();
      cache.set(policy, byProfile);
    }
    let v = byProfile.get(profile);
    if (v === undefined) {
      v = fn(policy, profile);
      byProfile.set(profile, v);
    }
    return v;
  };
}

/** validatePolicy under the document's profile: the kernel's errno and message, or null when it accepts it. */
export const validationOf = memoByPolicyAndProfile(
  (policy, profile): ValidationResult => validatePolicy(policy, getProfile(profile)),
);

/** effectiveOf (the effective policy) is in ./effective.ts, loaded with the panels that show it. */

export interface SavedOutcome {
  access: SavedAccess;
  result: AccessStepResult;
  /** null when the access has no expected verdict. */
  pass: boolean | null;
}

export interface SavedRun {
  setup: ScenarioRun['setup'];
  outcomes: SavedOutcome[];
  passed: number;
  failed: number;
}

const savedCache = new WeakMap<PlaygroundDocument, SavedRun>();

/**
 * Runs the saved accesses in order on a fresh simulated VM with the document's settings and policy; null while the
 * simulator's chunk is still loading (see ./engine.ts).
 */
export function savedRunOf(doc: PlaygroundDocument): SavedRun | null {
  const hit = savedCache.get(doc);
  if (hit) return hit;
  const e = engine();
  if (!e) {
    void loadEngine();
    return null;
  }
  const { isControlResult, runScenario } = e;
  const run = runScenario(documentToCoreScenario(doc));
  const outcomes: SavedOutcome[] = [];
  run.steps.forEach((r, i) => {
    if (isControlResult(r)) return;
    const access = doc.saved[i];
    outcomes.push({ access, result: r, pass: access.expect === null ? null : access.expect === r.decision });
  });
  const out: SavedRun = {
    setup: run.setup,
    outcomes,
    passed: outcomes.filter((o) => o.pass === true).length,
    failed: outcomes.filter((o) => o.pass === false).length,
  };
  savedCache.set(doc, out);
  return out;
}
