import './tools.css';
import { LearnSection } from './LearnSection';
import { LintSection } from './LintSection';
import { OptimizeSection } from './OptimizeSection';

/** Lint, optimize and learn: the policy tools of the CLI (`msrfilter lint|pack|learn`) on the open document. */
export function PolicyToolsPanel() {
  return (
    <div className="policy-tools">
      <LintSection />
      <OptimizeSection />
      <LearnSection />
    </div>
  );
}
