import { useId, useMemo, useState } from 'react';
import { policyToC } from '../../core/export/c';
import { ExportError, jsonText } from '../../core/export/common';
import { policyToRust } from '../../core/export/rust';
import { policyToJson } from '../../core/policy/policy-json';
import { usePerform } from '../actions/hooks';
import { Tabs } from '../layout/Tabs';
import { useAppStore, useStoreApi } from '../state/context';
import type { PlaygroundDocument } from '../state/document';
import type { ExportFormat } from '../state/share-slice';
import { Dialog } from './Dialog';
import { documentToJson } from './document-json';
import { shareEnvOf } from './env';
import { writeLink } from './link-codec';

interface FormatDef {
  id: ExportFormat;
  label: string;
  /** What a copy is confirmed as: "C program copied". */
  what: string;
  filename: string;
  type: string;
}

export const EXPORT_FORMATS: readonly FormatDef[] = [
  { id: 'c', label: 'C', what: 'C program', filename: 'msr-filter.c', type: 'text/x-csrc' },
  { id: 'rust', label: 'Rust', what: 'Rust code', filename: 'msr_filter.rs', type: 'text/rust' },
  {
    id: 'policy-json',
    label: 'Policy JSON',
    what: 'Policy JSON',
    filename: 'msr-filter.json',
    type: 'application/json',
  },
  {
    id: 'scenario-json',
    label: 'Scenario JSON',
    what: 'Scenario JSON',
    filename: 'msr-scenario.json',
    type: 'application/json',
  },
  { id: 'link', label: 'Link', what: 'Link', filename: 'msr-playground-link.txt', type: 'text/plain' },
];

const DESCRIPTION: Record<ExportFormat, string> = {
  c: 'A C program that installs the filter with KVM_X86_SET_MSR_FILTER on a new VM (gcc, the system <linux/kvm.h>).',
  rust: "Rust for rust-vmm's kvm-bindings and kvm-ioctls: the filter as a kvm_msr_filter.",
  'policy-json': 'The policy alone, as msr-filter/1 (the CLI reads it: msrfilter validate, export).',
  'scenario-json':
    'The whole document as msr-scenario/1: settings, policy, saved accesses and their expected verdicts.',
  link: 'A link that opens this whole document in the playground (everything is in the #fragment).',
};

export type ExportOutput = { ok: true; text: string } | { ok: false; message: string };

/** The document in one export format. Never throws: a policy the format cannot hold gives the reason. */
export function exportDocument(doc: PlaygroundDocument, format: ExportFormat, base: string): ExportOutput {
  const options = {
    exits: doc.exits,
    name: doc.policy.name ?? doc.name,
    profile: doc.profile,
    hostModel: doc.hostModel,
  };
  try {
    switch (format) {
      case 'c':
        return { ok: true, text: policyToC(doc.policy, options) };
      case 'rust':
        return { ok: true, text: policyToRust(doc.policy, options) };
      case 'policy-json':
        return { ok: true, text: `${jsonText(policyToJson(doc.policy))}\n` };
      case 'scenario-json':
        return { ok: true, text: `${jsonText(documentToJson(doc))}\n` };
      case 'link': {
        const r = writeLink(base, doc);
        return r.ok ? { ok: true, text: r.url } : r;
      }
    }
  } catch (e) {
    if (e instanceof ExportError) return { ok: false, message: e.message };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function ExportView({ format }: { format: FormatDef }) {
  const store = useStoreApi();
  const doc = useAppStore((s) => s.doc);
  const run = usePerform();
  const id = useId();
  const out = useMemo(
    () => exportDocument(doc, format.id, String(shareEnvOf(store).location.href)),
    [doc, format.id, store],
  );
  return (
    <div className="export-view">
      <p className="dialog-intro">{DESCRIPTION[format.id]}</p>
      {out.ok ? (
        <textarea
          id={`${id}-text`}
          readOnly
          rows={format.id === 'link' ? 3 : 16}
          spellCheck={false}
          className="code-text"
          aria-label={`${format.what} export`}
          value={out.text}
        />
      ) : (
        <p role="alert" className="dialog-error">
          <strong>This document cannot be exported as {format.label}.</strong> {out.message}
        </p>
      )}
      <div className="dialog-buttons">
        <button
          type="button"
          className="primary"
          disabled={!out.ok}
          onClick={() => out.ok && run('share.copyText', { text: out.text, what: format.what })}
        >
          Copy {format.label}
        </button>
        <button
          type="button"
          disabled={!out.ok}
          onClick={() =>
            out.ok && run('share.download', { text: out.text, filename: format.filename, type: format.type })
          }
        >
          Download {format.filename}
        </button>
      </div>
    </div>
  );
}

/** Export: C, Rust, the policy or the whole scenario as JSON, and the link; each to copy or download. */
export function ExportDialog({ initial = 'c' }: { initial?: ExportFormat }) {
  const [format, setFormat] = useState<ExportFormat>(initial);
  return (
    <Dialog title="Export" className="export-dialog">
      <Tabs
        label="Export format"
        idPrefix="export"
        tabs={EXPORT_FORMATS.map((f) => ({ id: f.id, label: f.label, render: () => <ExportView format={f} /> }))}
        active={format}
        onSelect={setFormat}
      />
    </Dialog>
  );
}
