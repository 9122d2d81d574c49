import type { TraceStep } from '../../core/index';
import { GridLink } from '../layout/GridLink';

const STAGE: Record<TraceStep['stage'], string> = {
  filter: 'filter',
  kvm: 'KVM',
  exit: 'exit',
  vmm: 'VMM',
  result: 'result',
};

const MENTION = /ranges\[\d+\](?: bit \d+)?/;

/** A step's text with its "ranges[i] bit b" mention as a link to the grid (or the link appended when not named). */
function StepText({ step }: { step: TraceStep }) {
  if (step.range === undefined) return <>{step.text}</>;
  const link = (text: string) => (
    <GridLink range={step.range} bit={step.bit ?? 0}>
      {text}
    </GridLink>
  );
  const m = MENTION.exec(step.text);
  if (!m)
    return (
      <>
        {step.text} {link(step.bit !== undefined ? `ranges[${step.range}] bit ${step.bit}` : `ranges[${step.range}]`)}
      </>
    );
  return (
    <>
      {step.text.slice(0, m.index)}
      {link(m[0])}
      {step.text.slice(m.index + m[0].length)}
    </>
  );
}

/** The path an access took, stage by stage, behind a disclosure; every range and bit it names links to the grid. */
export function TraceList({ trace, open }: { trace: readonly TraceStep[]; open?: boolean }) {
  return (
    <details className="trace" open={open}>
      <summary>Trace ({trace.length} steps)</summary>
      <ol>
        {trace.map((t, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a trace never changes once made
          <li key={i} className={`trace-step tone-${t.tone ?? 'neutral'}`}>
            <span className="trace-stage">{STAGE[t.stage]}</span> <StepText step={t} />
          </li>
        ))}
      </ol>
    </details>
  );
}
