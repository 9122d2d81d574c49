import { detectNativeHost } from '../node/native-host';
import { expandPath } from './expand-paths';
import type { CliIo } from './main';
import { main, readFileOrStdin } from './main';
import { packageVersion } from './package-version';

/**
 * A reader that has gone (`msrfilter run big.json | head -1`) is no error: the CLI stops quietly with exit 0 instead
 * of a stack trace, and writes nothing more.
 */
function quietOnClosedPipe(): { closed: () => boolean } {
  let closed = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
      closed = true;
      process.exit(0);
    });
  }
  return { closed: () => closed };
}

/** The CLI wired to the process: files, stdout/stderr, and (from a clone) the real-KVM oracle when asked for. */
export async function runNode(argv: string[], runOnKvm?: CliIo['runOnKvm']): Promise<number> {
  const pipe = quietOnClosedPipe();
  return main(argv, {
    stdout: (s) => {
      if (!pipe.closed()) process.stdout.write(s);
    },
    stderr: (s) => {
      if (!pipe.closed()) process.stderr.write(s);
    },
    readFile: readFileOrStdin,
    expandPath,
    nativeHost: () => detectNativeHost(),
    runOnKvm,
    version: packageVersion(),
  });
}
