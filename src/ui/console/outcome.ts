import { type AccessResult, hex64 } from '../../core/index';

/** What the guest (or the host's ioctl) saw in the end: the headline of a result. */
export type OutcomeKind = 'value' | 'done' | 'gp' | 'error';

export interface Outcome {
  kind: OutcomeKind;
  /** The badge: `0x… `, `ok`, `#GP`, `ioctl error`. */
  badge: string;
  /** One sentence: what was seen and where it came from. */
  sentence: string;
}

export interface PathStep {
  stage: 'filter' | 'KVM' | 'exit' | 'VMM';
  text: string;
  tone: 'allow' | 'deny' | 'neutral';
}

/**
 * The verdict first: what the guest or the VMM saw, consistent with the trace (both come from the same result).
 * A host access never takes a #GP: a refused host access is a failed ioctl.
 */
export function outcomeOf(r: AccessResult): Outcome {
  const ioctl = r.type === 'read' ? 'KVM_GET_MSRS' : 'KVM_SET_MSRS';
  if (r.host) {
    if (r.result === 'error')
      return { kind: 'error', badge: 'ioctl error', sentence: `${ioctl} fails at this MSR: 0 MSRs processed.` };
    if (r.type === 'read')
      return {
        kind: 'value',
        badge: hex64(r.value ?? 0n),
        sentence: `${ioctl} returns ${hex64(r.value ?? 0n)}, from KVM.`,
      };
    return { kind: 'done', badge: 'written', sentence: `${ioctl} writes the MSR (KVM accepts it).` };
  }
  if (r.result === 'gp') {
    const why = r.exit
      ? `the VMM answered the ${r.exit.reason.toUpperCase()} exit with error = 1`
      : r.decision === 'eperm'
        ? 'the filter denied it and no exit reason for it is enabled'
        : 'KVM refused it and no exit reason for it is enabled';
    return { kind: 'gp', badge: '#GP', sentence: `The guest takes #GP(0): ${why}.` };
  }
  const from = r.exit ? `the VMM's reply to the ${r.exit.reason.toUpperCase()} exit` : 'KVM';
  if (r.type === 'read')
    return {
      kind: 'value',
      badge: hex64(r.value ?? 0n),
      sentence: `The guest reads ${hex64(r.value ?? 0n)}, from ${from}.`,
    };
  return { kind: 'done', badge: 'written', sentence: `The write completes, accepted by ${from}.` };
}

/** What decided at the filter stage when no range's bit did. */
const NOT_A_RANGE: Record<Exclude<AccessResult['filterBy'], null>, string> = {
  range: 'a range',
  default: 'default action',
  uncovered: 'no range covers it: the allow list denies it',
  x2apic: 'x2APIC MSRs are never filtered',
  'no-filter': 'no filter installed',
  'no-ranges': 'no ranges installed',
  fastpath: "the backend's VM-exit fastpath, before the filter",
};

/** The path, stage by stage: the filter's decision, KVM's handling, then the exit and the VMM's reply. */
export function pathOf(r: AccessResult): PathStep[] {
  const out: PathStep[] = [];
  if (r.host) out.push({ stage: 'filter', text: 'not consulted (host access)', tone: 'neutral' });
  else {
    const where = r.range === null ? NOT_A_RANGE[r.filterBy ?? 'default'] : `ranges[${r.range}] bit ${r.bit}`;
    out.push(
      r.decision === 'eperm'
        ? { stage: 'filter', text: `denied (${where})`, tone: 'deny' }
        : { stage: 'filter', text: `allowed (${where})`, tone: 'allow' },
    );
  }
  if (r.kvm)
    out.push({
      stage: 'KVM',
      text: r.kvm.code === 'ok' ? 'handles it' : 'refuses it',
      tone: r.kvm.code === 'ok' ? 'allow' : 'deny',
    });
  else if (!r.host) out.push({ stage: 'KVM', text: 'does not emulate it', tone: 'deny' });
  if (r.exit) {
    out.push({ stage: 'exit', text: r.exit.reason.toUpperCase(), tone: 'neutral' });
    const reply = r.exit.reply.error ? 'error = 1' : r.type === 'read' ? `data ${hex64(r.exit.reply.data)}` : 'accepts';
    out.push({ stage: 'VMM', text: reply, tone: r.exit.reply.error ? 'deny' : 'allow' });
  } else if (!r.host && r.decision !== 'allow') out.push({ stage: 'exit', text: 'none (not enabled)', tone: 'deny' });
  return out;
}
