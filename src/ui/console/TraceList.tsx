import type { TraceStep } from '../../core/index';

const STAGE: Record<TraceStep['stage'], string> = {
  filter: 'filter',
  kvm: 'KVM',
  exit: 'exit',
  vmm: 'VMM',
  result: 'result',
};

/** The path an access took, stage by stage, behind a disclosure. */
export function TraceList({ trace, open }: { trace: readonly TraceStep[]; open?: boolean }) {
  return (
    <details className="trace" open={open}>
      <summary>Trace ({trace.length} steps)</summary>
      <ol>
        {trace.map((t, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a trace never changes once made
          <li key={i} className={`trace-step tone-${t.tone ?? 'neutral'}`}>
            <span className="trace-stage">{STAGE[t.stage]}</span> {t.text}
          </li>
        ))}
      </ol>
    </details>
  );
}
