import type { Errno } from '../constants';
import type { FilterPolicy } from '../policy/types';
import type { KernelProfile } from '../profiles/types';
import { buildInstalledFilter, type InstalledFilter } from './installed-filter';
import { type ValidationError, validatePolicy } from './validate';

export interface InstallOutcome {
  /** The filter in force after the call (null: never installed, or cleared). */
  installed: InstalledFilter | null;
  errno: Errno | null;
  error: ValidationError | null;
  /** What happened to the filter, in words, for the trace. */
  effect: string;
}

/**
 * Installs `policy` (null: the empty DEFAULT_ALLOW filter, or the allow list's clear) over `previous`, leaving
 * exactly what the profile's kernel leaves: the new filter; on error, the previous one (>= 5.12) or the ranges
 * accepted before the failing one with the new default action (5.10, and the allow list's add-range calls).
 */
export function installPolicy(
  profile: KernelProfile,
  previous: InstalledFilter | null,
  policy: FilterPolicy | null,
): InstallOutcome {
  const effective = policy ?? { flags: 0, ranges: [] };
  const v = validatePolicy(effective, profile);
  if (!v.error) {
    const installed = buildInstalledFilter(effective, v.accepted, profile);
    const n = installed.count;
    const effect = policy
      ? `filter installed (${n} range${n === 1 ? '' : 's'})`
      : 'empty filter installed: nothing filtered';
    return { installed, errno: null, error: null, effect };
  }
  const failedBeforeClear = v.error.range === null;
  if (profile.failedInstallLeaves === 'previous' || failedBeforeClear) {
    const effect = previous
      ? `call failed: the previous filter stays installed (${previous.count} range${previous.count === 1 ? '' : 's'})`
      : 'call failed: no filter was installed before, so none is: every MSR is allowed';
    return { installed: previous, errno: v.error.errno, error: v.error, effect };
  }
  const partial = buildInstalledFilter(effective, v.accepted, profile);
  return {
    installed: partial,
    errno: v.error.errno,
    error: v.error,
    effect: `call failed part-way: previous filter gone, ${partial.count} range(s) before ranges[${v.error.range}] installed`,
  };
}
