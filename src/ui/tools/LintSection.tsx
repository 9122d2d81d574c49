import { LintPanel } from '../explain/LintPanel';

/** The linter's findings on the current policy and settings (`msrfilter lint` in the page), each mention a link. */
export function LintSection() {
  return (
    <section className="tools-section" aria-labelledby="lint-heading">
      <h3 id="lint-heading">Lint</h3>
      <LintPanel />
    </section>
  );
}
