import { AccessForm } from './AccessForm';
import { MsrDatalist } from './MsrDatalist';
import { ResultsLog } from './ResultsLog';
import { SavedAccesses } from './SavedAccesses';
import './console.css';

/** Fire guest or host accesses, read what happened and why (the latest result right under the form), keep tests. */
export function GuestConsole() {
  return (
    <section className="panel console" aria-labelledby="console-heading">
      <h2 id="console-heading">Guest console</h2>
      <AccessForm />
      <ResultsLog />
      <SavedAccesses />
      <MsrDatalist />
    </section>
  );
}
