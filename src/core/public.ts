/**
 * The package's stable core API: `import { ... } from 'msrfilter/core'`. Documented in docs/api.md; names here change
 * only with a major version. (src/core/index.ts is the engine's internal surface for the UI, CLI and tests.)
 */
// biome-ignore-all assist/source/organizeImports: grouped by topic, in the order docs/api.md explains them

// Documents: reading and writing msr-filter/1 policies and msr-scenario/1 scenarios; errors that name the place.
export { InputError } from './errors';
export { parseJsonText, policyFromJson, policyToJson } from './policy/policy-json';
export type { FilterPolicy, FilterRange } from './policy/types';
export {
  documentKind,
  POLICY_FORMAT,
  SCENARIO_FORMAT,
  scenarioFromJson,
  scenarioFromText,
  scenarioToJson,
} from './scenario/scenario-json';
export type { Scenario, Step, VmConfig, VmmReply } from './scenario/types';

// Kernel profiles, host models and vCPU models.
export type { AccessType, Errno, ExitReason } from './constants';
export { DEFAULT_HOST_MODEL, HOST_MODEL_IDS, type HostModelId, isHostModelId } from './host/host-models';
export {
  getProfile,
  isProfileId,
  NEWEST_PROFILE,
  PROFILE_IDS,
  resolveProfileId,
  unknownProfileMessage,
} from './profiles/profiles';
export type { KernelProfile, ProfileId } from './profiles/types';
export { isVcpuModelId, VCPU_MODEL_IDS, type VcpuModelId } from './vcpu/models';

// Validate: would the profile's kernel accept the policy (KVM_X86_SET_MSR_FILTER)?
export { type ValidationError, type ValidationResult, validatePolicy } from './filter/validate';

// Evaluate: the filter's verdict on one access; the effective policy over the whole MSR space.
export { effectivePolicyOf, evaluate, type FilterVerdict } from './api';
export type { IntervalCause, PolicyInterval } from './effective/effective-policy';

// Run a scenario: the simulated vCPU, filter, KVM's emulation, user-space exits and the VMM's replies.
export {
  type AccessStepResult,
  type ControlStepResult,
  isControlResult,
  runScenario,
  type ScenarioRun,
  type StepResult,
} from './scenario/run-scenario';
export { SimulatedVm } from './vm/vm';
// The same scenario on two host models, access by access, with the host facts that differ.
export { compareHosts, type HostCompareRow, type HostComparison, hostFactDifferences } from './host/compare-hosts';

// Results: JSON Lines, and the expectations (a step's `expect`) as `msrfilter test` checks them.
export {
  checkExpectation,
  type ExpectationMismatch,
  expectationOf,
  parseExpectation,
  type StepExpectation,
} from './scenario/expect';
export { resultsToJsonLines, stepResultToJson } from './scenario/results-jsonl';

// Codecs: share links, and source code for VMMs.
export { ExportError, policyToC, policyToRust } from './export/index';
export {
  DEFAULT_SHARE_BASE,
  decodeShareFragment,
  decodeShareLink,
  encodeShareFragment,
  type ShareDocument,
  ShareLinkError,
  type ShareLinkErrorKind,
  shareUrl,
} from './share/index';

// Lint: findings with a stable rule id and severity, for a policy or for exported C/Rust source.
export {
  LINT_RULES,
  type LintContext,
  type LintFinding,
  type LintRuleId,
  type LintSeverity,
  lintExportedSource,
  lintPolicy,
} from './lint/index';

// Pack: the fewest-ranges (then fewest-bytes) valid policy for a list of MSRs; a proven-equal smaller rewrite.
export type { MsrInterval } from './pack/intervals';
export { listToTargets, type MsrList, parseMsrList } from './pack/msr-list';
export type { PackCost } from './pack/optimal-ranges';
export { type PackResult, type PackTargets, packTargets, type RewriteResult, rewritePolicy } from './pack/pack';
