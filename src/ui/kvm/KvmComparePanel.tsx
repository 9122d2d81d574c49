import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { getProfile, HOST_MODELS, runScenario, type Scenario, type StepResult, scenarioToJson } from '../../core/index';
import { type CompareRow, compareSteps } from './compare-steps';
import {
  fetchKvmStatus,
  forbiddenMessage,
  type KernelRecord,
  KVM_MAX_STEPS,
  type KvmBackend,
  type KvmStatus,
  prepareKvmBackend,
  runScenarioOnKvm,
} from './kvm-api';
import './kvm.css';

export interface KvmComparePanelProps {
  scenario: Scenario;
  /** The simulator's results for a scenario (default: runScenario); given the scenario as the chosen kernel runs it. */
  simulate?: (scenario: Scenario) => StepResult[];
}

type RunState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; records: KernelRecord[]; notes: string[] }
  | { kind: 'failed'; message: string };

type PrepareState = { kind: 'idle' } | { kind: 'preparing' } | { kind: 'failed'; message: string };

const FIELDS = ['decision', 'exit', 'result', 'value'] as const;

const simulateDefault = (s: Scenario) => runScenario(s, false).steps;

function explanation(status: KvmStatus | null, backend: KvmBackend | null, steps: number): string | null {
  if (status === null) return 'Checking whether this machine can run it…';
  if (status.kind === 'absent') {
    return (
      'Running on a real kernel needs the local server (npm start or npm run preview) on a Linux machine with ' +
      '/dev/kvm or QEMU; this copy of the playground is served without it.'
    );
  }
  if (status.kind === 'forbidden') return forbiddenMessage(status.reason);
  if (backend && !backend.available) return `Cannot run on ${backend.label}: ${backend.reason}.`;
  if (steps > KVM_MAX_STEPS) return `The kernel run takes at most ${KVM_MAX_STEPS} steps; this scenario has ${steps}.`;
  return null;
}

/** The scenario as the backend's kernel is compared: on its host model and with the profile that matches it. */
function onBackend(scenario: Scenario, b: KvmBackend | null): Scenario {
  if (!b) return scenario;
  return { ...scenario, hostModel: b.hostModel ?? scenario.hostModel, profile: b.profile ?? scenario.profile };
}

const megabytes = (bytes: number | null) => (bytes === null ? '~70 MB' : `${Math.round(bytes / 1e6)} MB`);

/** What the simulator answers for beside the chosen kernel, and what that changes from the document's settings. */
function Simulated({ scenario, compared, backend }: { scenario: Scenario; compared: Scenario; backend: KvmBackend }) {
  const host = backend.hostModel;
  const notDocument: string[] = [];
  if (host && scenario.hostModel && scenario.hostModel !== host)
    notDocument.push(`the document's ${HOST_MODELS[scenario.hostModel].label}`);
  if (compared.profile !== scenario.profile) notDocument.push(`its profile ${getProfile(scenario.profile).label}`);
  return (
    <span className="kvm-native-host">
      {host ? (
        <>
          The simulator answers for {backend.id === 'native' ? "this machine's host model" : 'its host model'},{' '}
          {HOST_MODELS[host].label}
          {backend.hostWhy ? ` (${backend.hostWhy})` : ''}
        </>
      ) : (
        <>The simulator answers for the document's host model</>
      )}
      , with the kernel profile {getProfile(compared.profile).label} ({compared.profile})
      {notDocument.length ? `, not ${notDocument.join(' or ')}` : ''}.{' '}
    </span>
  );
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

/** The simulated results beside a real kernel's (a backend the server offers), step by step, every difference in words. */
export function KvmComparePanel({ scenario, simulate = simulateDefault }: KvmComparePanelProps) {
  const [status, setStatus] = useState<KvmStatus | null>(null);
  const [choice, setChoice] = useState<string | null>(null);
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const [prepare, setPrepare] = useState<PrepareState>({ kind: 'idle' });
  const explainId = useId();
  const backends = status?.kind === 'server' ? status.backends : [];
  // the user's choice, else the first backend that can run, else the first
  const backend = backends.find((b) => b.id === choice) ?? backends.find((b) => b.available) ?? backends[0] ?? null;
  const compared = useMemo(() => onBackend(scenario, backend), [scenario, backend]);
  const runKey = useMemo(() => `${backend?.id}:${JSON.stringify(scenarioToJson(compared))}`, [backend, compared]);
  const currentKey = useRef(runKey);
  currentKey.current = runKey;

  useEffect(() => {
    const abort = new AbortController();
    fetchKvmStatus(abort.signal).then(setStatus, () => {});
    return () => abort.abort();
  }, []);

  // Results belong to the scenario and the kernel that ran it: a change clears them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runKey is the trigger
  useEffect(() => setRun({ kind: 'idle' }), [runKey]);

  const simulated = useMemo(() => simulate(compared), [simulate, compared]);
  const blocked = explanation(status, backend, scenario.steps.length);
  const comparison = useMemo(
    () => (run.kind === 'done' ? compareSteps(compared, simulated, run.records) : null),
    [run, compared, simulated],
  );

  async function start() {
    if (!backend) return;
    setRun({ kind: 'running' });
    const ranKey = runKey;
    const r = await runScenarioOnKvm(compared, backend.id);
    if (currentKey.current !== ranKey) return; // the scenario or the kernel changed meanwhile: not their results
    setRun(r.ok ? { kind: 'done', records: r.records, notes: r.notes } : { kind: 'failed', message: r.message });
  }

  async function download() {
    if (!backend) return;
    setPrepare({ kind: 'preparing' });
    const r = await prepareKvmBackend(backend.id);
    if (r.ok) {
      setStatus(r.status);
      setPrepare({ kind: 'idle' });
    } else setPrepare({ kind: 'failed', message: r.message });
  }

  const label = backend?.label ?? "this machine's KVM";
  return (
    <section className="kvm-compare" aria-labelledby={`${explainId}-title`}>
      <h2 id={`${explainId}-title`}>Simulator vs a real kernel</h2>
      {backends.length > 1 && (
        <fieldset className="kvm-backends">
          <legend>Kernel to run on</legend>
          {backends.map((b) => (
            <label key={b.id} className="kvm-backend">
              <input
                type="radio"
                name={`${explainId}-backend`}
                value={b.id}
                checked={b.id === backend?.id}
                onChange={() => setChoice(b.id)}
                disabled={run.kind === 'running' || prepare.kind === 'preparing'}
              />
              <span>
                {b.label}: {b.kernel}
                {b.hostModel ? `, host model ${HOST_MODELS[b.hostModel].label}` : ''}
                {b.available ? '' : b.download ? ' (guest kernel not downloaded yet)' : ' (not available here)'}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <p className="kvm-intro">
        {backend ? `Kernel: ${backend.kernel}. ` : ''}
        {backend ? <Simulated scenario={scenario} compared={compared} backend={backend} /> : null}
        {!backend || backend.id === 'native' ? (
          <>
            Runs the scenario through <code>/dev/kvm</code> on a fresh VM and puts the kernel's answers beside the
            simulated ones.
          </>
        ) : (
          <>
            Runs the scenario on a fresh VM in that kernel, booted under QEMU by the local server (the first run boots
            it, a few seconds; later runs reuse it), and puts its answers beside the simulated ones.
          </>
        )}
      </p>
      <div className="kvm-actions">
        <button
          type="button"
          onClick={start}
          disabled={blocked !== null || run.kind === 'running' || prepare.kind === 'preparing'}
          aria-describedby={blocked ? explainId : undefined}
        >
          {run.kind === 'running' ? `Running on ${label}…` : `Run on ${label}`}
        </button>
        {backend?.download && !backend.available && (
          <button type="button" onClick={download} disabled={prepare.kind === 'preparing'}>
            {prepare.kind === 'preparing'
              ? `Downloading ${backend.download.package}…`
              : `Download the guest kernel (${megabytes(backend.download.bytes)})`}
          </button>
        )}
        {blocked && (
          <p id={explainId} className="kvm-explain">
            {blocked}
          </p>
        )}
      </div>
      <div role="status" aria-live="polite" className="kvm-status">
        {run.kind === 'failed' && <p className="kvm-error">The kernel run failed: {run.message}</p>}
        {prepare.kind === 'failed' && <p className="kvm-error">The download failed: {prepare.message}</p>}
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
