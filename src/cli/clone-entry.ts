import { runNode } from './node-entry';

/** The CLI from a clone: everything, including `run --kvm` (which builds oracle/kvm-oracle.c on first use). */
export function runFromClone(argv: string[]): Promise<number> {
  return runNode(argv, async (text, args) => {
    const { runScenarioOnKvm } = await import('../../oracle/kvm-runner');
    return runScenarioOnKvm(text, args);
  });
}
