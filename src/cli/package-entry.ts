import { runNode } from './node-entry';

/**
 * The CLI of the installed package (bundled into dist/cli.mjs at pack time). The real-KVM oracle needs the C helper
 * and its sources from a clone, so `run --kvm` exits 3 here with a line saying so.
 */
process.exitCode = await runNode(process.argv.slice(2), async () => {
  const { CliExit } = await import('./main');
  throw new CliExit(3, 'msrfilter: --kvm needs a clone of the project (oracle/ builds the real-KVM helper)');
});
