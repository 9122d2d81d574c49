import { CliExit } from '../src/cli/main';

/** Runs a scenario on the real kernel through the C helper (oracle/kvm-oracle.c). */
export async function runScenarioOnKvm(_text: string, _args: { trace: boolean }): Promise<string> {
  throw new CliExit(3, 'msrfilter: --kvm: the real-KVM runner is not built yet');
}
