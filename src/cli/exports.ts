import { type FilterPolicy, InputError, policyToJson } from '../core/index';

/** Export targets; c, rust and url are provided by the share/export module (src/core/share, src/core/export). */
export const EXPORT_TARGETS = ['json'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export function isExportTarget(v: string): v is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(v);
}

export function exportPolicy(policy: FilterPolicy, to: ExportTarget): string {
  switch (to) {
    case 'json':
      return `${JSON.stringify(policyToJson(policy), null, 2)}\n`;
  }
}

export function importFromUrl(url: string): FilterPolicy {
  throw new InputError('url', `share links are not supported yet: ${url.slice(0, 40)}`);
}
