import { detectNativeHost } from '../node/native-host';
import { CliExit, main, readFileOrStdin } from './main';

/** The CLI wired to the process: files, stdout/stderr, and the real-KVM oracle when asked for. */
export async function runNode(argv: string[]): Promise<number> {
  return main(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: readFileOrStdin,
    nativeHost: () => detectNativeHost(),
    runOnKvm: async (text, { backend, ...args }) => {
      const { runScenarioOnKvm } = await import('../../oracle/kvm-runner');
      if (backend === undefined) return runScenarioOnKvm(text, args);
      if (backend !== 'svm-6.1') throw new CliExit(2, `msrfilter: --kvm=${backend}: unknown backend (svm-6.1)`);
      const { ensureGuestImage, INSTALL_HINT, missingTools } = await import('../../oracle/qemu/guest-image');
      const { QemuSession } = await import('../../oracle/qemu/qemu-session');
      const missing = missingTools();
      if (missing) throw new CliExit(3, `msrfilter: --kvm=svm-6.1: ${missing}; ${INSTALL_HINT}`);
      const session = new QemuSession(ensureGuestImage());
      try {
        await session.boot();
        return await runScenarioOnKvm(text, { ...args, runScript: (script) => session.run(script) });
      } finally {
        await session.close();
      }
    },
  });
}
