import {
  checkExpectation,
  documentKind,
  type ExpectationMismatch,
  expectsNothing,
  hex32,
  InputError,
  runScenarioSteps,
  SCENARIO_FORMAT,
  SCENARIO_KEYS,
  type Scenario,
  type Step,
  scenarioJsonFromText,
  shareDocumentFromJson,
} from '../core/index';

/** `--profile`/`--host` values of one run of the suite; absent: each file's own. */
export interface MatrixCell {
  profile?: string;
  host?: string;
}

/** One step that carried `expect`, and what it missed (empty: met). */
export interface CheckedStep {
  step: number;
  op: Step['op'];
  /** The MSR of an access step. */
  index?: number;
  mismatches: ExpectationMismatch[];
}

/** How reports name a step: `steps[3] rdmsr 0x00000010`. */
export const stepLabel = (s: CheckedStep) =>
  s.index === undefined ? `steps[${s.step}] ${s.op}` : `steps[${s.step}] ${s.op} ${hex32(s.index)}`;

export type SuiteCase =
  | { kind: 'checked'; file: string; cell: MatrixCell; steps: CheckedStep[] }
  | { kind: 'malformed'; file: string; cell: MatrixCell; message: string };

export function cellLabel(cell: MatrixCell): string {
  const parts: string[] = [];
  if (cell.profile !== undefined) parts.push(`profile=${cell.profile}`);
  if (cell.host !== undefined) parts.push(`host=${cell.host}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

export const caseFailed = (c: SuiteCase) => c.kind === 'checked' && c.steps.some((s) => s.mismatches.length > 0);

/** The matrix: every combination of the given profiles and hosts (one empty cell when neither is given). */
export function matrixOf(profiles: readonly string[], hosts: readonly string[]): MatrixCell[] {
  const ps = profiles.length ? profiles : [undefined];
  const hs = hosts.length ? hosts : [undefined];
  const out: MatrixCell[] = [];
  for (const profile of ps) {
    for (const host of hs) {
      const cell: MatrixCell = {};
      if (profile !== undefined) cell.profile = profile;
      if (host !== undefined) cell.host = host;
      out.push(cell);
    }
  }
  return out;
}

/** The document with the cell's overrides: `profile` replaces the file's, `host` sets its `hostModel`. */
function withOverrides(json: unknown, cell: MatrixCell): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  if (cell.profile !== undefined) out.profile = cell.profile;
  if (cell.host !== undefined) out.hostModel = cell.host;
  return out;
}

/**
 * The scenario of a test file with every expectation on its steps. The playground's JSON export (and
 * `msrfilter import --scenario`) keeps the saved accesses' expected verdicts in a top-level `expectations` array,
 * one per step (a decision or null): each becomes that step's `expect.decision`.
 */
export function testScenarioFromJson(json: unknown): Scenario {
  // A JSON file with neither a format nor any scenario key (a package.json beside the suite) is not a test that
  // passes with nothing to check.
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  if (isObject && documentKind(json) === null && (json as Record<string, unknown>).format === undefined) {
    throw new InputError(
      '(scenario)',
      `not an ${SCENARIO_FORMAT} scenario: no "format" and none of ${SCENARIO_KEYS.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  const { scenario, expectations } = shareDocumentFromJson(json);
  if (!expectations) return scenario;
  if (expectations.length > scenario.steps.length) {
    throw new InputError(
      'expectations',
      `${expectations.length} entries for ${scenario.steps.length} step${scenario.steps.length === 1 ? '' : 's'}`,
    );
  }
  expectations.forEach((decision, i) => {
    if (decision === null) return;
    const step = scenario.steps[i];
    if (step.op !== 'rdmsr' && step.op !== 'wrmsr') {
      throw new InputError(
        `expectations[${i}]`,
        `steps[${i}] is a ${step.op} step: only rdmsr and wrmsr have a verdict`,
      );
    }
    const own = step.expect?.decision;
    if (own !== undefined && own !== decision) {
      throw new InputError(`expectations[${i}]`, `"${decision}" disagrees with steps[${i}].expect.decision "${own}"`);
    }
    step.expect = { ...step.expect, decision };
  });
  return scenario;
}

/** Runs one test file's scenario (already read) under one cell of the matrix and checks every step's `expect`. */
export function checkFile(file: string, text: string, cell: MatrixCell): SuiteCase {
  try {
    const scenario = testScenarioFromJson(withOverrides(scenarioJsonFromText(text, ''), cell));
    const steps: CheckedStep[] = [];
    // Each result is checked as it comes and dropped (a million-step file never holds a million results).
    runScenarioSteps(scenario, false, (r) => {
      const expect = scenario.steps[r.step].expect;
      // `"expect": null` (a saved access with no expected verdict) or `{}` expects nothing: not a check.
      if (!expect || expectsNothing(expect)) return;
      const mismatches = checkExpectation(r, expect);
      steps.push(
        'index' in r ? { step: r.step, op: r.op, index: r.index, mismatches } : { step: r.step, op: r.op, mismatches },
      );
    });
    return { kind: 'checked', file, cell, steps };
  } catch (e) {
    if (e instanceof InputError) return { kind: 'malformed', file, cell, message: e.message };
    throw e;
  }
}
