import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { perform } from '../actions/dispatch';
import { getPreset } from '../presets';
import { renderWithStore } from '../test-utils';
import { GuestConsole } from './GuestConsole';

const qemu = () => getPreset('qemu-default')?.build();
const log = () => screen.getByRole('list', { name: /Results log/ });

describe('GuestConsole', () => {
  it('fires an RDMSR the filter denies: EPERM badge, exit, value and an expandable trace', async () => {
    const { user } = renderWithStore(<GuestConsole />, qemu());
    const index = screen.getByLabelText('MSR (index or name)');
    await user.clear(index);
    await user.type(index, 'IA32_TSC');
    await user.clear(index);
    await user.type(index, '0x35');
    await user.click(screen.getByRole('button', { name: 'Fire' }));
    const entry = within(log())
      .getAllByRole('listitem')
      .find((li) => li.classList.contains('log-access'));
    if (!entry) throw new Error('no access in the log');
    // The verdict first: what the guest saw and where it came from; then the path, with the filter's EPERM.
    expect(entry.querySelector('.badge.outcome')).toHaveTextContent('0x0000000000010001');
    expect(entry).toHaveTextContent('RDMSR 0x00000035');
    expect(entry).toHaveTextContent("The guest reads 0x0000000000010001, from the VMM's reply to the FILTER exit.");
    expect(entry).toHaveTextContent('filter denied (ranges[0] bit 0)');
    expect(entry).toHaveTextContent('decision: EPERM');
    const summary = within(entry).getByText(/^Trace/);
    await user.click(summary);
    expect(summary.closest('details')).toHaveAttribute('open');
    expect(summary.closest('details')).toHaveTextContent(/ranges\[0\] bit 0 \(MSR 0x00000035\) is 0 → denied/);
  });

  it('fires with Ctrl+Enter, and a WRMSR KVM refuses is a #GP', async () => {
    const { user } = renderWithStore(<GuestConsole />, qemu());
    await user.click(screen.getByRole('radio', { name: 'WRMSR' }));
    const value = screen.getByLabelText('Value (for WRMSR)');
    await user.clear(value);
    await user.type(value, '0x1');
    await user.type(screen.getByLabelText('MSR (index or name)'), '{Control>}{Enter}{/Control}');
    expect(await within(log()).findByText('#GP')).toBeInTheDocument();
    expect(log()).toHaveTextContent('guest takes #GP');
  });

  it('shows a clear error for an MSR it cannot parse, and fires nothing', async () => {
    const { store, user } = renderWithStore(<GuestConsole />, qemu());
    const index = screen.getByLabelText('MSR (index or name)');
    await user.clear(index);
    await user.type(index, 'NOT_AN_MSR');
    await user.click(screen.getByRole('button', { name: 'Fire' }));
    expect(screen.getByRole('alert')).toHaveTextContent('MSR: "NOT_AN_MSR" is not a number or a known MSR name');
    expect(store.getState().log).toHaveLength(0);
  });

  it('runs saved accesses as tests and re-runs them on every edit', async () => {
    const { store, user } = renderWithStore(<GuestConsole />, qemu());
    const saved = screen.getByRole('region', { name: 'Saved accesses' });
    expect(within(saved).getByText('3 passed, 0 failed of 3')).toBeInTheDocument();
    act(() => {
      perform(store, 'range.fill', { index: 0, op: 'allow' });
    });
    expect(within(saved).getByText('2 passed, 1 failed of 3')).toBeInTheDocument();
    expect(within(saved).getAllByText('fail')).toHaveLength(1);
    await user.selectOptions(
      screen.getByLabelText('Expected verdict for RDMSR 0x00000035 MSR_CORE_THREAD_COUNT'),
      '#GP (KVM refuses)',
    );
    expect(within(saved).getByText('3 passed, 0 failed of 3')).toBeInTheDocument();
  });

  it('saves the form as a test that expects its current verdict', async () => {
    const { store, user } = renderWithStore(<GuestConsole />, qemu());
    const index = screen.getByLabelText('MSR (index or name)');
    await user.clear(index);
    await user.type(index, '0x12345678');
    await user.click(screen.getByRole('button', { name: /Save as test/ }));
    const doc = store.getState().doc;
    expect(doc.saved).toHaveLength(4);
    expect(doc.saved[3]).toMatchObject({ op: 'rdmsr', index: 0x12345678, expect: 'gp' });
    expect(store.getState().toast?.text).toBe('Saved as test 4, at the end of Saved accesses, expecting #GP');
    expect(store.temporal.getState().pastStates).toHaveLength(1);
  });
});
