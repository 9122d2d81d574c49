import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { scenarioToDocument } from '../state/document';
import { renderWithStore } from '../test-utils';
import { SAVED_PAGE, SavedAccesses } from './SavedAccesses';

/** 120 saved reads of the TSC (allowed: they pass) and, at the end, 3 that expect EPERM (they fail). */
const manyDoc = () =>
  scenarioToDocument({
    steps: [
      ...Array.from({ length: 120 }, () => ({ op: 'rdmsr', index: '0x10', expect: 'allow' })),
      ...Array.from({ length: 3 }, () => ({ op: 'rdmsr', index: '0x11', expect: 'eperm' })),
    ],
  });

describe('SavedAccesses with many accesses', () => {
  it('runs them all but draws a page at a time, and can show only the failing ones', async () => {
    const { user } = renderWithStore(<SavedAccesses />, manyDoc());
    const saved = await screen.findByRole('region', { name: 'Saved accesses' });
    expect(within(saved).getByText('120 passed, 3 failed of 123')).toBeInTheDocument();
    const rows = () =>
      within(saved)
        .getAllByRole('listitem')
        .filter((li) => li.classList.contains('saved-row'));
    expect(rows()).toHaveLength(SAVED_PAGE);
    expect(within(saved).getByText(`Showing ${SAVED_PAGE} of 123.`)).toBeInTheDocument();
    await user.click(within(saved).getByRole('button', { name: 'Show only the failing' }));
    expect(rows()).toHaveLength(3);
    expect(rows().every((r) => r.classList.contains('saved-fail'))).toBe(true);
    await user.click(within(saved).getByRole('button', { name: 'Show all' }));
    await user.click(within(saved).getByRole('button', { name: /^Show \d+ more$/ }));
    expect(rows()).toHaveLength(123);
    expect(within(saved).queryByRole('button', { name: /more$/ })).toBeNull();
  });
});
