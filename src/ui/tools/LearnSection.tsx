import { type DragEvent, useId, useMemo, useState } from 'react';
import {
  filterExitEnabled,
  getProfile,
  hex32,
  learnPolicy,
  msrName,
  parseRecordedTrace,
  replayAccesses,
} from '../../core/index';
import { ActionButton } from '../actions/ActionButton';
import { GridLink } from '../layout/GridLink';
import { useAppStore } from '../state/context';

const VERDICT: Record<'allowed' | 'exit' | 'gp', string> = {
  allowed: 'allowed',
  exit: 'denied → exit to the VMM',
  gp: 'denied → #GP',
};

/**
 * A recorded guest (`trace-cmd report` / ftrace kvm:kvm_msr lines, or a guest's dmesg "unchecked MSR access error"
 * lines), pasted or dropped: replayed against the current policy, and the smallest DEFAULT_DENY policy that allows
 * what the guest did.
 */
export function LearnSection() {
  const policy = useAppStore((s) => s.doc.policy);
  const profile = useAppStore((s) => s.doc.profile);
  const exits = useAppStore((s) => s.doc.exits);
  const [text, setText] = useState('');
  const [fileNote, setFileNote] = useState<string | null>(null);
  const id = useId();
  const parsed = useMemo(() => (text.trim() ? parseRecordedTrace(text) : null), [text]);
  const replay = useMemo(() => {
    if (!parsed) return null;
    return replayAccesses(getProfile(profile), policy, parsed.accesses, { filterExit: filterExitEnabled(exits) });
  }, [parsed, policy, profile, exits]);
  const learned = useMemo(
    () => (parsed?.accesses.length ? learnPolicy(getProfile(profile), parsed.accesses) : null),
    [parsed, profile],
  );
  const denied = replay ? replay.replayed.filter((r) => r.verdict !== 'allowed') : [];

  const onDrop = (e: DragEvent<HTMLElement>) => {
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    e.stopPropagation(); // not the page's Import dialog: this drop is for the trace
    file.text().then(
      (t) => {
        setText(t);
        setFileNote(`Read ${file.name} (${t.length.toLocaleString('en')} characters).`);
      },
      (err: unknown) => setFileNote(`Could not read ${file.name}: ${err instanceof Error ? err.message : String(err)}`),
    );
  };

  return (
    <section
      className="tools-section learn"
      aria-labelledby="learn-heading"
      onDragOver={(e) => {
        if (Array.from(e.dataTransfer?.types ?? []).includes('Files')) {
          e.preventDefault();
          e.stopPropagation();
        }
      }}
      onDrop={onDrop}
    >
      <h3 id="learn-heading">Learn from a recorded guest</h3>
      <label htmlFor={`${id}-trace`}>
        Trace (paste or drop a file): <code>trace-cmd report</code> of <code>kvm:kvm_msr</code>, or dmesg lines
      </label>
      <textarea
        data-native-undo
        id={`${id}-trace`}
        className="learn-text mono"
        rows={5}
        spellCheck={false}
        value={text}
        placeholder="qemu-system-x86-1234 [000] 12.345678: kvm_msr: msr_read c0000080 = 0xd01"
        onChange={(e) => {
          setText(e.target.value);
          setFileNote(null);
        }}
      />
      {fileNote ? <p className="muted">{fileNote}</p> : null}
      {parsed ? (
        <div className="learn-result" role="status">
          <p>
            {parsed.accesses.length} recorded access{parsed.accesses.length === 1 ? '' : 'es'} (
            {replay?.replayed.length ?? 0} distinct){parsed.ignored ? `, ${parsed.ignored} other lines skipped` : ''}
            {parsed.malformed.length ? `, ${parsed.malformed.length} malformed` : ''}.{' '}
            {replay?.error ? <span className="form-error">The current policy is refused: {replay.error}</span> : null}
          </p>
          {parsed.malformed.length ? (
            <ul className="learn-malformed" aria-label="Malformed lines">
              {parsed.malformed.slice(0, 20).map((m) => (
                <li key={m.line}>
                  line {m.line}: {m.reason}
                </li>
              ))}
            </ul>
          ) : null}
          {replay ? (
            <p>
              The current policy{' '}
              {denied.length === 0 ? 'lets every recorded access through.' : `denies ${denied.length} of them:`}
            </p>
          ) : null}
          {denied.length ? (
            <ul className="learn-denied" aria-label="Recorded accesses the policy denies">
              {denied.slice(0, 50).map((r) => (
                <li key={`${r.op}:${r.index}`}>
                  <GridLink range={r.range} bit={r.bit} index={r.index}>
                    {r.op === 'read' ? 'RDMSR' : 'WRMSR'} {hex32(r.index)} {msrName(r.index) ?? ''}
                  </GridLink>{' '}
                  ×{r.count}: {VERDICT[r.verdict]}
                  {r.gp ? ' (KVM refused it in the recording too)' : ''}
                </li>
              ))}
              {denied.length > 50 ? <li className="muted">and {denied.length - 50} more</li> : null}
            </ul>
          ) : null}
          <div className="learn-buttons">
            <ActionButton action="tools.replayTrace" params={{ text }}>
              Save the denied ones as tests
            </ActionButton>
            <ActionButton action="tools.learnPolicy" params={{ text }}>
              Use the learned policy
            </ActionButton>
            {learned ? (
              <span className="muted">
                {learned.policy
                  ? `learned: DEFAULT_DENY, ${learned.cost.ranges} range${learned.cost.ranges === 1 ? '' : 's'}${learned.exact ? '' : ' (the nearest that fits)'}; ${learned.added.length} pass-through accesses a trace cannot show added`
                  : 'no policy fits'}
              </span>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
