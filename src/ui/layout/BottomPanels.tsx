import { lazy, type ReactNode, Suspense } from 'react';
import { usePerform } from '../actions/hooks';
import { useAppStore } from '../state/context';
import { PANELS, type PanelId } from '../state/view-slice';
import { Tabs } from './Tabs';

const ExplainPanel = lazy(() => import('../explain/ExplainPanel').then((m) => ({ default: m.ExplainPanel })));
const LintPanel = lazy(() => import('../explain/LintPanel').then((m) => ({ default: m.LintPanel })));
const ComparePanel = lazy(() => import('../explain/ComparePanel').then((m) => ({ default: m.ComparePanel })));
const MsrReference = lazy(() => import('../explain/MsrReference').then((m) => ({ default: m.MsrReference })));
const SavedOnKvm = lazy(() => import('../kvm/SavedOnKvm').then((m) => ({ default: m.SavedOnKvm })));

const RENDER: Record<PanelId, () => ReactNode> = {
  explain: () => <ExplainPanel />,
  lint: () => <LintPanel />,
  compare: () => <ComparePanel />,
  reference: () => <MsrReference />,
  kvm: () => <SavedOnKvm />,
};

/** Explain, compare, the MSR reference and the real-KVM comparison, as tabs under the workspace (loaded on first use). */
export function BottomPanels() {
  const active = useAppStore((s) => s.activePanel);
  const run = usePerform();
  return (
    <section className="panel bottom-panels" aria-label="Explain and compare">
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <Tabs
          label="Explain and compare"
          tabs={PANELS.map((p) => ({ ...p, render: RENDER[p.id] }))}
          active={active}
          onSelect={(panel) => run('panel.show', { panel })}
        />
      </Suspense>
    </section>
  );
}
