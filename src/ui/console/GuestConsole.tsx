import { AccessForm } from './AccessForm';
import { MsrDatalist } from './MsrDatalist';
import { ResultsLog } from './ResultsLog';
import { SavedAccesses } from './SavedAccesses';
import './console.css';

/** Fire guest or host accesses, keep some as tests, and read what happened and why. */
export function GuestConsole() {
  return (
    <section className="panel console" aria-labelledby="console-heading">
      <h2 id="console-heading">Guest console</h2>
      <AccessForm />
      <SavedAccesses />
      <ResultsLog />
      <MsrDatalist />
    </section>
  );
}
