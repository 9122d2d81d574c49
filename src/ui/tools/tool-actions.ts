/**
 * What the policy tools' actions do (registry.ts loads this module on demand, so lint, pack and learn stay out of
 * the first screen's code): optimize the policy, replay a recorded trace as saved accesses, learn a policy from it.
 */
import {
  filterExitEnabled,
  getProfile,
  learnPolicy,
  parseRecordedTrace,
  replayAccesses,
  rewritePolicy,
} from '../../core/index';
import { newSavedId, type SavedAccess } from '../state/document';
import type { PlaygroundStore } from '../state/types';

export const TOOLS_NOTICE = 'tools';

/** Replaces the policy with its smallest proven-equal rewrite (one undo step), or says why it stays. */
export function optimizePolicy(store: PlaygroundStore): void {
  const s = store.getState();
  const r = rewritePolicy(s.doc.policy, getProfile(s.doc.profile));
  const smaller = r.after.ranges < r.before.ranges || r.after.kernelBytes < r.before.kernelBytes;
  if (r.provenEqual && smaller) {
    const comments = s.doc.policy.ranges.filter((x) => x.comment).length;
    s.updatePolicy(() => r.policy);
    s.addNotice({
      id: TOOLS_NOTICE,
      tone: 'info',
      title: 'Optimized.',
      text:
        `${r.before.ranges} → ${r.after.ranges} ranges, ${r.before.kernelBytes} → ${r.after.kernelBytes} bitmap bytes ` +
        'the kernel copies; the effective policy is unchanged (compared over all 2^32 MSRs, reads and writes). ' +
        (comments
          ? `The ${comments === 1 ? 'comment' : `${comments} range comments`} did not carry over to the new ranges. `
          : '') +
        'Undo puts the old one back.',
    });
    return;
  }
  s.addNotice({
    id: TOOLS_NOTICE,
    tone: 'info',
    title: 'Nothing to optimize.',
    text: r.notes.length ? r.notes.join(' ') : 'No equivalent policy is smaller than this one.',
  });
}

/**
 * Adds the recorded accesses the current policy denies as saved accesses (one undo step), each expecting what the
 * guest got in the recording (allow, or #GP where KVM refused it): they fail where the policy would change that.
 */
export function replayTrace(store: PlaygroundStore, text: string): number {
  const s = store.getState();
  const parsed = parseRecordedTrace(text);
  const { replayed } = replayAccesses(getProfile(s.doc.profile), s.doc.policy, parsed.accesses, {
    filterExit: filterExitEnabled(s.doc.exits),
  });
  const valueAt = new Map(parsed.accesses.map((a) => [a.line, a.value]));
  const added: SavedAccess[] = replayed
    .filter((r) => r.verdict !== 'allowed')
    .map((r) => ({
      id: newSavedId(),
      op: r.op === 'read' ? 'rdmsr' : 'wrmsr',
      index: r.index,
      // the value the guest wrote first (what it read, for a read: unused)
      value: r.op === 'write' ? (valueAt.get(r.firstLine) ?? 0n) : 0n,
      host: false,
      expect: r.gp === r.count ? 'gp' : 'allow',
    }));
  if (added.length) s.updateDoc((d) => ({ ...d, saved: [...d.saved, ...added] }));
  return added.length;
}

/** Replaces the policy with the smallest DEFAULT_DENY one that allows what the recorded guest did (one undo step). */
export function applyLearnedPolicy(store: PlaygroundStore, text: string): boolean {
  const s = store.getState();
  const parsed = parseRecordedTrace(text);
  const r = learnPolicy(getProfile(s.doc.profile), parsed.accesses);
  if (!r.policy) {
    s.addNotice({ id: TOOLS_NOTICE, tone: 'alert', title: 'No policy could be learned.', text: r.notes.join(' ') });
    return false;
  }
  const policy = r.policy;
  s.updateDoc((d) => ({ ...d, name: policy.name, policy }));
  s.addNotice({
    id: TOOLS_NOTICE,
    tone: 'info',
    title: r.exact ? 'Learned a policy from the recording.' : 'Learned the nearest policy that fits.',
    text: `${r.learned.length} distinct accesses, ${r.cost.ranges} ranges. ${r.notes.join(' ')}`,
  });
  return true;
}
