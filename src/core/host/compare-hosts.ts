import { hex64 } from '../numbers';
import { type AccessStepResult, isControlResult, runScenario } from '../scenario/run-scenario';
import type { Scenario } from '../scenario/types';
import { getHostModel, type HostModel, type HostModelId } from './host-models';

/** One access of a scenario as two hosts answer it. */
export interface HostCompareRow {
  step: number;
  a: AccessStepResult;
  b: AccessStepResult;
  /** The two answers differ in what the guest (or the host ioctl) saw: decision, result, value or exit. */
  differs: boolean;
  /** KVM's own words on each side, where they differ (the trace's KVM step). */
  why: { a: string; b: string } | null;
}

export interface HostComparison {
  a: HostModel;
  b: HostModel;
  /** What the two host models state differently, one sentence each. */
  facts: string[];
  rows: HostCompareRow[];
  differing: number;
}

function outcomeKey(r: AccessStepResult): string {
  const exit = r.exit ? `${r.exit.reason}:${r.exit.reply.error ? 'error' : hex64(r.exit.reply.data)}` : '-';
  return `${r.decision}|${r.result}|${r.value === null ? '-' : hex64(r.value)}|${exit}`;
}

function kvmText(r: AccessStepResult): string {
  return r.trace.find((t) => t.stage === 'kvm')?.text ?? r.trace.map((t) => t.text).join('; ');
}

/** The host facts that differ, as sentences a user can check against the trace. */
export function hostFactDifferences(a: HostModel, b: HostModel): string[] {
  const out: string[] = [];
  if (a.backend !== b.backend) out.push(`backend: ${a.backend} vs ${b.backend}`);
  if (a.vendor !== b.vendor) out.push(`CPU vendor: ${a.vendor} vs ${b.vendor}`);
  if (a.virtAddrBits !== b.virtAddrBits)
    out.push(`canonical addresses (max_host_virt_addr_bits): ${a.virtAddrBits} vs ${b.virtAddrBits} bits`);
  if (a.archCapabilities !== b.archCapabilities) {
    const show = (v: bigint | null) => (v === null ? 'none' : hex64(v));
    out.push(`IA32_ARCH_CAPABILITIES offered: ${show(a.archCapabilities)} vs ${show(b.archCapabilities)}`);
  }
  if (a.hostFeatureControl !== b.hostFeatureControl)
    out.push(
      `host access to IA32_FEATURE_CONTROL: ${a.hostFeatureControl ? 'yes' : 'no'} vs ${b.hostFeatureControl ? 'yes' : 'no'}`,
    );
  if (a.patChecked !== b.patChecked)
    out.push(
      `IA32_PAT values checked (kvm_pat_valid): ${a.patChecked ? 'yes' : 'no'} vs ${b.patChecked ? 'yes' : 'no'}`,
    );
  const fastpath = (h: HostModel) =>
    [...(h.fastpathWrites?.keys() ?? [])].map((i) => `0x${i.toString(16)}`).join(', ') || 'none';
  if (fastpath(a) !== fastpath(b))
    out.push(`guest WRMSRs completed before the filter (VM-exit fastpath): ${fastpath(a)} vs ${fastpath(b)}`);
  return out;
}

/** Runs the same scenario (policy, settings, accesses) on two host models and pairs the answers access by access. */
export function compareHosts(s: Scenario, hostA: HostModelId, hostB: HostModelId): HostComparison {
  const runA = runScenario({ ...s, hostModel: hostA });
  const runB = runScenario({ ...s, hostModel: hostB });
  const rows: HostCompareRow[] = [];
  runA.steps.forEach((ra, i) => {
    const rb = runB.steps[i];
    if (isControlResult(ra) || isControlResult(rb)) return;
    const differs = outcomeKey(ra) !== outcomeKey(rb);
    const ka = kvmText(ra);
    const kb = kvmText(rb);
    rows.push({ step: i, a: ra, b: rb, differs, why: differs && ka !== kb ? { a: ka, b: kb } : null });
  });
  const a = getHostModel(hostA);
  const b = getHostModel(hostB);
  return { a, b, facts: hostFactDifferences(a, b), rows, differing: rows.filter((r) => r.differs).length };
}
