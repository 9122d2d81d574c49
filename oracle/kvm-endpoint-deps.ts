/**
 * The endpoint's real dependencies: the engine's scenario reader, the availability probe and the runner. Loaded on
 * first use (see vite-kvm-plugin.ts), so that vite.config.ts does not pull the engine into its bundle.
 */
import { parseJsonText, scenarioFromJson } from '../src/core/index';
import { kvmAvailability } from './helper-process';
import type { EndpointDeps } from './kvm-endpoint';
import { runParsedScenarioOnKvm } from './kvm-runner';

export const endpointDeps: EndpointDeps = {
  availability: () => kvmAvailability(),
  parse: (text) => scenarioFromJson(parseJsonText(text, 'scenario')),
  run: (s, opts) => runParsedScenarioOnKvm(s, opts),
};
