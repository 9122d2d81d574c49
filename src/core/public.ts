/**
 * The package's stable core API: `import { ... } from 'msrfilter/core'`. Documented in docs/api.md; names here change
 * only with a major version. (src/core/index.ts is the engine's internal surface for the UI, CLI and tests.)
 */

// Evaluate: the filter's verdict on one access; the effective policy over the whole MSR space.
export { effectivePolicyOf, evaluate, type FilterVerdict } from './api';
export type { AccessType, Errno, ExitReason } from './constants';
export type { IntervalCause, PolicyInterval } from './effective/effective-policy';
// Documents: reading and writing msr-filter/1 policies and msr-scenario/1 scenarios, and JSON Lines results.
export { InputError } from './errors';
export { ExportError, policyToC, policyToRust } from './export/index';
// Validate: would the profile's kernel accept the policy (KVM_X86_SET_MSR_FILTER)?
export { type ValidationError, type ValidationResult, validatePolicy } from './filter/validate';
export { compareHosts, type HostCompareRow, type HostComparison, hostFactDifferences } from './host/compare-hosts';
export { parseJsonText, policyFromJson, policyToJson } from './policy/policy-json';
export type { FilterPolicy, FilterRange } from './policy/types';
// Kernel profiles and vCPU models.
export { getProfile, isProfileId, NEWEST_PROFILE, PROFILE_IDS } from './profiles/profiles';
export type { KernelProfile, ProfileId } from './profiles/types';
// Expectations (a step's `expect`), as `msrfilter test` checks them.
export {
  checkExpectation,
  type ExpectationMismatch,
  expectationOf,
  parseExpectation,
  type StepExpectation,
} from './scenario/expect';
export { resultsToJsonLines, stepResultToJson } from './scenario/results-jsonl';
export type { AccessStepResult, ControlStepResult } from './scenario/run-scenario';
// Run a scenario: the simulated vCPU, filter, KVM's emulation, user-space exits and the VMM's replies.
export { isControlResult, runScenario, type ScenarioRun, type StepResult } from './scenario/run-scenario';
export {
  documentKind,
  POLICY_FORMAT,
  SCENARIO_FORMAT,
  scenarioFromJson,
  scenarioToJson,
} from './scenario/scenario-json';
export type { Scenario, Step, VmConfig, VmmReply } from './scenario/types';
// Codecs: share links, and source code for VMMs.
export {
  DEFAULT_SHARE_BASE,
  decodeShareFragment,
  decodeShareLink,
  encodeShareFragment,
  type ShareDocument,
  ShareLinkError,
  shareUrl,
} from './share/index';
export { isVcpuModelId, VCPU_MODEL_IDS, type VcpuModelId } from './vcpu/models';
export { SimulatedVm } from './vm/vm';

// Policy tools: `lint` and `pack` are exported here once they land in src/core (see docs/api.md).
