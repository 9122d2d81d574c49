import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatTraceLine } from '../../core/index';
import { scenarioToDocument } from '../state/document';
import { renderWithStore } from '../test-utils';
import { PolicyToolsPanel } from './PolicyToolsPanel';

/** Two ranges of which the second is shadowed by the first for reads, and a deny without a FILTER exit. */
const lintDoc = () =>
  scenarioToDocument({
    filter: {
      flags: 'DEFAULT_ALLOW',
      ranges: [
        { flags: 'READ', base: '0x10', nmsrs: 8, bitmap: '00' },
        { flags: 'READ', base: '0x10', nmsrs: 8, bitmap: 'ff' },
      ],
    },
    steps: [],
  });

const trace = [
  formatTraceLine({ op: 'read', index: 0xc000_0080, value: 0xd01n, gp: false }),
  formatTraceLine({ op: 'write', index: 0x10, value: 5n, gp: false }),
  formatTraceLine({ op: 'read', index: 0x10, value: 5n, gp: false }),
  'this line is not a trace line',
].join('\n');

describe('PolicyToolsPanel', () => {
  it('lints the policy: the shadowed range is named and its finding links to the grid', async () => {
    const { store, user } = renderWithStore(<PolicyToolsPanel />, lintDoc());
    const list = screen.getByRole('list', { name: /lint findings?$/ });
    const shadowed = list.querySelector('li[data-rule="shadowed-range"]') as HTMLElement;
    expect(shadowed).not.toBeNull();
    await user.click(within(shadowed).getAllByRole('button', { name: /^ranges\[1\]/ })[0]);
    expect(store.getState().jumpTo).toMatchObject({ index: 0x10, range: 1 });
  });

  it('optimizes a policy into a smaller proven-equal one as one undo step', async () => {
    const { store, user } = renderWithStore(<PolicyToolsPanel />, lintDoc());
    expect(screen.getByText(/Now: 2 ranges/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Optimize' }));
    await waitFor(() => expect(store.getState().doc.policy.ranges.length).toBeLessThan(2));
    expect(JSON.stringify(store.getState().notices)).not.toMatch(/comment/);
    store.temporal.getState().undo();
    expect(store.getState().doc.policy.ranges).toHaveLength(2);
  });

  it('says that range comments do not carry over to the optimized ranges', async () => {
    const doc = lintDoc();
    doc.policy.ranges[0].comment = 'deny the low ones';
    const { store, user } = renderWithStore(<PolicyToolsPanel />, doc);
    await user.click(screen.getByRole('button', { name: 'Optimize' }));
    await waitFor(() => expect(store.getState().doc.policy.ranges.length).toBeLessThan(2));
    expect(JSON.stringify(store.getState().notices)).toMatch(/The comment did not carry over to the new ranges/);
  });

  it('replays a pasted trace against the policy, saves the denied accesses and learns a policy', async () => {
    const doc = scenarioToDocument({
      filter: { flags: 'DEFAULT_DENY', ranges: [{ flags: 'READ', base: '0xc0000080', nmsrs: 1, bitmap: '01' }] },
      steps: [],
    });
    const { store, user } = renderWithStore(<PolicyToolsPanel />, doc);
    fireEvent.change(screen.getByLabelText(/Trace \(paste or drop a file\)/), { target: { value: trace } });
    expect(screen.getByText(/3 recorded accesses \(3 distinct\).*1 malformed/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Malformed lines' })).toHaveTextContent('line 4');
    const denied = screen.getByRole('list', { name: 'Recorded accesses the policy denies' });
    expect(within(denied).getAllByRole('listitem')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Save the denied ones as tests' }));
    await waitFor(() => expect(store.getState().doc.saved).toHaveLength(2));
    expect(store.getState().doc.saved.find((a) => a.op === 'wrmsr')?.value).toBe(5n);
    await user.click(screen.getByRole('button', { name: 'Use the learned policy' }));
    await waitFor(() => expect(store.getState().doc.policy.name).toBe('learned from a recorded guest'));
    expect(screen.getByText(/lets every recorded access through/)).toBeInTheDocument();
  });
});
