import { useState } from 'react';
import { hex64, parseMsrIndex, runScenario, scenarioFromJson } from '../core/index';

/** First page: one RDMSR against the newest kernel with no filter. The full playground replaces it. */
export function App() {
  const [index, setIndex] = useState('0x1b');
  let verdict = '';
  try {
    const run = runScenario(scenarioFromJson({ steps: [{ op: 'rdmsr', index: parseMsrIndex(index, 'index') }] }));
    const step = run.steps[0];
    verdict = 'decision' in step ? `${step.decision} ${step.value === null ? '' : hex64(step.value)}` : '';
  } catch (e) {
    verdict = (e as Error).message;
  }
  return (
    <main>
      <h1>MSR Filter Playground</h1>
      <label>
        MSR index <input value={index} onChange={(e) => setIndex(e.target.value)} />
      </label>
      <output aria-label="verdict">{verdict}</output>
    </main>
  );
}
