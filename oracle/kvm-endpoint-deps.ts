/**
 * The endpoint's real dependencies: the engine's scenario reader, the backends (this machine's /dev/kvm, and the
 * svm-6.1 QEMU guest, booted on its first run and kept warm until the server closes) and the runner. Loaded on
 * first use (see vite-kvm-plugin.ts), so that vite.config.ts does not pull the engine into its bundle.
 */
import { CliExit } from '../src/cli/main';
import { parseJsonText, scenarioFromJson } from '../src/core/index';
import { kvmAvailability } from './helper-process';
import { nativeBackend, svm61Backend, svm61Kernel } from './kvm-backends';
import type { EndpointDeps } from './kvm-endpoint';
import { runParsedScenarioOnKvm } from './kvm-runner';
import { cacheDir, ensureGuestImage, guestImageState } from './qemu/guest-image';
import { QemuSession } from './qemu/qemu-session';
import { WarmSession } from './qemu/warm-session';

export function createEndpointDeps(): EndpointDeps {
  // never downloads: that is prepare's job, on the user's request
  const warm = new WarmSession(async () => new QemuSession(await ensureGuestImage(cacheDir(), { download: false })));
  return {
    backends: async () => {
      const [native, image] = await Promise.all([kvmAvailability(), guestImageState()]);
      return [nativeBackend(native), svm61Backend(image, cacheDir())];
    },
    parse: (text) => scenarioFromJson(parseJsonText(text, 'scenario')),
    run: async (backend, s, opts) => {
      if (backend === 'native') return runParsedScenarioOnKvm(s, opts);
      let uname: string;
      try {
        uname = (await warm.boot()).kernel;
      } catch (e) {
        throw new CliExit(3, `msrfilter: --kvm=svm-6.1: the QEMU guest could not start: ${(e as Error).message}`);
      }
      return runParsedScenarioOnKvm(s, {
        ...opts,
        runScript: (script) => warm.run(script, opts.timeoutMs),
        kernel: svm61Kernel(uname),
      });
    },
    prepare: async (backend) => {
      if (backend !== 'svm-6.1') throw new Error(`${backend}: nothing to prepare`);
      await ensureGuestImage(cacheDir(), { download: true });
    },
    close: () => warm.close(),
  };
}

export const endpointDeps: EndpointDeps = createEndpointDeps();
