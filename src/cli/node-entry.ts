import { detectNativeHost } from '../node/native-host';
import { main, readFileOrStdin } from './main';

/** The CLI wired to the process: files, stdout/stderr, and the real-KVM oracle when asked for. */
export async function runNode(argv: string[]): Promise<number> {
  return main(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: readFileOrStdin,
    nativeHost: () => detectNativeHost(),
    runOnKvm: async (text, args) => {
      const { runScenarioOnKvm } = await import('../../oracle/kvm-runner');
      return runScenarioOnKvm(text, args);
    },
  });
}
