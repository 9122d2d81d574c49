import { CliExit } from './main';
import { runNode } from './node-entry';

/**
 * The CLI from a clone: everything, including `run --kvm` (which builds oracle/kvm-oracle.c on first use) and
 * `run --kvm=svm-6.1` (kvm_amd on Debian's 6.1 under QEMU, fetched and built on first use).
 */
export function runFromClone(argv: string[]): Promise<number> {
  return runNode(argv, async (text, { backend, ...args }) => {
    const { runScenarioOnKvm } = await import('../../oracle/kvm-runner');
    if (backend === undefined) return runScenarioOnKvm(text, args);
    if (backend !== 'svm-6.1') throw new CliExit(2, `msrfilter: --kvm=${backend}: unknown backend (svm-6.1)`);
    const { ensureGuestImage, INSTALL_HINT, missingTools } = await import('../../oracle/qemu/guest-image');
    const { QemuSession } = await import('../../oracle/qemu/qemu-session');
    const { svm61Kernel } = await import('../../oracle/kvm-backends');
    const missing = missingTools();
    if (missing) throw new CliExit(3, `msrfilter: --kvm=svm-6.1: ${missing}; ${INSTALL_HINT}`);
    const session = new QemuSession(await ensureGuestImage());
    try {
      const info = await session.boot();
      return await runScenarioOnKvm(text, {
        ...args,
        runScript: (script) => session.run(script),
        kernel: svm61Kernel(info.kernel),
      });
    } finally {
      await session.close();
    }
  });
}
