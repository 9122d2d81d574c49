import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { HOST_MODELS, type HostModelId, type Scenario, type StepResult, scenarioToJson } from '../../core/index';
import { type CompareRow, compareSteps } from './compare-steps';
import {
  fetchKvmStatus,
  forbiddenMessage,
  type KernelRecord,
  KVM_MAX_STEPS,
  type KvmStatus,
  runScenarioOnKvm,
} from './kvm-api';
import './kvm.css';

export interface KvmComparePanelProps {
  scenario: Scenario;
  /** The simulator's results on a host model (this machine's, once the endpoint has named it). */
  simulate: (hostModel?: HostModelId) => StepResult[];
}

type RunState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; records: KernelRecord[]; notes: string[] }
  | { kind: 'failed'; message: string };

const FIELDS = ['decision', 'exit', 'result', 'value'] as const;

function explanation(status: KvmStatus | null, steps: number): string | null {
  if (status === null) return 'Checking whether this machine can run it…';
  if (status.kind === 'absent') {
    return (
      'Running on a real kernel needs the local server (npm start or npm run preview) on a Linux machine with ' +
      '/dev/kvm; this copy of the playground is served without it.'
    );
  }
  if (status.kind === 'forbidden') return forbiddenMessage(status.reason);
  if (status.kind === 'unavailable') return `This machine's KVM is not available: ${status.reason}.`;
  if (steps > KVM_MAX_STEPS) return `The kernel run takes at most ${KVM_MAX_STEPS} steps; this scenario has ${steps}.`;
  return null;
}

function Cell({ row, field }: { row: CompareRow; field: (typeof FIELDS)[number] }) {
  const sim = row.sim?.[field] ?? '—';
  const kvm = row.kvm?.[field] ?? '—';
  const differs = row.differs.includes(field) || (field === 'result' && row.differs.includes('errno'));
  return (
    <td className={differs ? 'kvm-cell-differs' : undefined}>
      <span className="kvm-sim">{sim}</span>
      <span className="kvm-kernel">
        {differs && <span aria-hidden="true">≠ </span>}
        {kvm}
        {field === 'value' && row.varies && <span className="kvm-varies"> (changes on its own: not compared)</span>}
      </span>
    </td>
  );
}

/** The simulated results beside this machine's kernel, step by step, with every difference marked in words. */
export function KvmComparePanel({ scenario, simulate }: KvmComparePanelProps) {
  const [status, setStatus] = useState<KvmStatus | null>(null);
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const explainId = useId();
  const scenarioKey = useMemo(() => JSON.stringify(scenarioToJson(scenario)), [scenario]);
  const currentKey = useRef(scenarioKey);
  currentKey.current = scenarioKey;

  useEffect(() => {
    const abort = new AbortController();
    fetchKvmStatus(abort.signal).then(setStatus, () => {});
    return () => abort.abort();
  }, []);

  // Results belong to the scenario that was run: a changed scenario clears them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scenarioKey is the trigger
  useEffect(() => setRun({ kind: 'idle' }), [scenarioKey]);

  const native = status?.kind === 'available' || status?.kind === 'unavailable' ? status.hostModel : null;
  // the kernel here is this machine's: the simulator answers for the host model that matches it
  const simulated = useMemo(() => simulate(native ?? undefined), [simulate, native]);
  const blocked = explanation(status, scenario.steps.length);
  const comparison = useMemo(
    () => (run.kind === 'done' ? compareSteps(scenario, simulated, run.records) : null),
    [run, scenario, simulated],
  );

  async function start() {
    setRun({ kind: 'running' });
    const ranKey = scenarioKey;
    const r = await runScenarioOnKvm(scenario);
    if (currentKey.current !== ranKey) return; // the scenario changed meanwhile: these results are not its own
    setRun(r.ok ? { kind: 'done', records: r.records, notes: r.notes } : { kind: 'failed', message: r.message });
  }

  return (
    <section className="kvm-compare" aria-labelledby={`${explainId}-title`}>
      <h2 id={`${explainId}-title`}>Simulator vs this machine's kernel</h2>
      <p className="kvm-intro">
        {status?.kind === 'available' || status?.kind === 'unavailable' ? `Kernel: ${status.kernel}. ` : ''}
        {native ? (
          <span className="kvm-native-host">
            The simulator answers for this machine's host model, {HOST_MODELS[native].label}
            {status && 'hostWhy' in status && status.hostWhy ? ` (${status.hostWhy})` : ''}
            {scenario.hostModel && scenario.hostModel !== native
              ? `, not the document's ${HOST_MODELS[scenario.hostModel].label}`
              : ''}
            .{' '}
          </span>
        ) : null}
        Runs the scenario through <code>/dev/kvm</code> on a fresh VM and puts the kernel's answers beside the simulated
        ones.
      </p>
      <div className="kvm-actions">
        <button
          type="button"
          onClick={start}
          disabled={blocked !== null || run.kind === 'running'}
          aria-describedby={blocked ? explainId : undefined}
        >
          {run.kind === 'running' ? 'Running on KVM…' : "Run on this machine's KVM"}
        </button>
        {blocked && (
          <p id={explainId} className="kvm-explain">
            {blocked}
          </p>
        )}
      </div>
      <div role="status" aria-live="polite" className="kvm-status">
        {run.kind === 'failed' && <p className="kvm-error">The kernel run failed: {run.message}</p>}
        {comparison && (
          <p className={comparison.agree === comparison.total ? 'kvm-summary kvm-all-agree' : 'kvm-summary'}>
            <strong>
              {comparison.agree} of {comparison.total} steps agree
            </strong>
            {comparison.agree === comparison.total ? '' : ` — ${comparison.total - comparison.agree} differ`}
          </p>
        )}
      </div>
      {run.kind === 'done' && run.notes.length > 0 && (
        <ul className="kvm-notes">
          {run.notes.map((n) => (
            <li key={n}>{n.replace(/^msrfilter: note: /, '')}</li>
          ))}
        </ul>
      )}
      {comparison && (
        <div className="kvm-table-wrap">
          <table className="kvm-table">
            <caption>Each cell: simulated value, then the kernel's. ≠ marks a difference.</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Access</th>
                {FIELDS.map((f) => (
                  <th scope="col" key={f}>
                    {f === 'result' ? 'result / errno' : f}
                  </th>
                ))}
                <th scope="col">Agreement</th>
              </tr>
            </thead>
            <tbody>
              {comparison.rows.map((row) => (
                <tr key={row.step} className={row.differs.length ? 'kvm-row-differs' : undefined}>
                  <th scope="row">{row.step}</th>
                  <td className="kvm-access">{row.label}</td>
                  {FIELDS.map((f) => (
                    <Cell key={f} row={row} field={f} />
                  ))}
                  <td>
                    {row.differs.length ? (
                      <span className="kvm-verdict-differs">
                        <span aria-hidden="true">✗ </span>differs: {row.differs.join(', ')}
                      </span>
                    ) : (
                      <span className="kvm-verdict-same">
                        <span aria-hidden="true">✓ </span>same
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
