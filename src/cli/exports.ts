import {
  DEFAULT_SHARE_BASE,
  decodeShareLink,
  documentKind,
  EMPTY_POLICY,
  type FilterPolicy,
  jsonText,
  NEWEST_PROFILE,
  type ProfileId,
  policyFromJson,
  policyToC,
  policyToJson,
  policyToRust,
  type ShareDocument,
  shareDocumentFromJson,
  shareDocumentToJson,
  shareUrl,
} from '../core/index';

/** `msrfilter export --to` targets. */
export const EXPORT_TARGETS = ['c', 'rust', 'json', 'url'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export function isExportTarget(v: string): v is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(v);
}

/** What an export works from: a policy file is a document with default settings and no steps. */
export interface ExportSource {
  kind: 'policy' | 'scenario';
  document: ShareDocument;
}

/** Reads an `msr-filter/1` policy or, when its format or keys say so, an `msr-scenario/1` scenario. Throws InputError. */
export function readExportSource(json: unknown): ExportSource {
  // Both formats may leave out `format`: a scenario without it is still a scenario (not an empty policy).
  if (documentKind(json) === 'scenario') return { kind: 'scenario', document: shareDocumentFromJson(json) };
  const policy = policyFromJson(json);
  return {
    kind: 'policy',
    document: {
      scenario: {
        profile: NEWEST_PROFILE,
        vcpu: 'bare',
        exits: null,
        ignoreMsrs: false,
        vmm: { read: { error: true }, write: { error: true } },
        filter: policy,
        steps: [],
      },
    },
  };
}

export interface ExportResult {
  text: string;
  /** Things worth saying on stderr. */
  notes: string[];
}

export interface ExportSettings {
  /** For `url`: where the link points. */
  base?: string;
  /** For `c` and `rust`: whose verdict the header comment states. */
  profile?: ProfileId;
}

/**
 * Writes the source as C, Rust, msr-filter/1 JSON or a share URL. C, Rust and JSON carry the filter (and, for code,
 * the exit mask); the URL carries the whole document. Throws ExportError (more than 16 ranges for code) and
 * ShareLinkError (a document too large for a link).
 */
export function exportSource(source: ExportSource, to: ExportTarget, settings: ExportSettings = {}): ExportResult {
  const notes: string[] = [];
  const { scenario } = source.document;
  let policy: FilterPolicy | null = scenario.filter;
  if (to !== 'url' && policy === null) {
    notes.push('the scenario installs no filter; exporting an empty DEFAULT_ALLOW filter');
    policy = EMPTY_POLICY;
  }
  const codeOptions = { exits: scenario.exits, profile: settings.profile, hostModel: scenario.hostModel };
  switch (to) {
    case 'json':
      return { text: `${jsonText(policyToJson(policy ?? EMPTY_POLICY))}\n`, notes };
    case 'c':
      return { text: policyToC(policy ?? EMPTY_POLICY, codeOptions), notes };
    case 'rust':
      return {
        text: policyToRust(policy ?? EMPTY_POLICY, codeOptions),
        notes,
      };
    case 'url':
      return { text: `${shareUrl(settings.base ?? DEFAULT_SHARE_BASE, source.document)}\n`, notes };
  }
}

/** Decodes a share link (URL, `#v1.…` or `v1.…`) into JSON text: the policy, or with `scenario` the whole document. */
export function importFromUrl(link: string, opts: { scenario?: boolean } = {}): ExportResult {
  const doc = decodeShareLink(link);
  if (opts.scenario) return { text: `${jsonText(shareDocumentToJson(doc))}\n`, notes: [] };
  const notes: string[] = [];
  if (doc.scenario.filter === null) notes.push("the link's scenario installs no filter; printing an empty one");
  if (doc.scenario.steps.length || doc.scenario.exits !== null) {
    const steps = doc.scenario.steps.length;
    notes.push(
      `the link also holds VM settings and ${steps} step${steps === 1 ? '' : 's'}; --scenario prints them all`,
    );
  }
  return { text: `${jsonText(policyToJson(doc.scenario.filter ?? EMPTY_POLICY))}\n`, notes };
}
