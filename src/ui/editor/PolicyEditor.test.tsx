import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { perform } from '../actions/dispatch';
import { getPreset } from '../presets';
import { renderWithStore } from '../test-utils';
import { PolicyEditor } from './PolicyEditor';

const range = (i: number) => screen.getByRole('group', { name: `ranges[${i}]` });

describe('PolicyEditor', () => {
  it('adds a range and edits its base by name', async () => {
    const { store, user } = renderWithStore(<PolicyEditor />);
    await user.click(screen.getByRole('button', { name: 'Add range' }));
    const base = within(range(0)).getByLabelText('Base');
    await user.clear(base);
    await user.type(base, 'EFER');
    expect(store.getState().doc.policy.ranges[0].base).toBe(0xc0000080);
    expect(within(range(0)).getByText('IA32_EFER')).toBeInTheDocument();
  });

  it('shows the error for a bad base and keeps the last good value', async () => {
    const { store, user } = renderWithStore(<PolicyEditor />);
    await user.click(screen.getByRole('button', { name: 'Add range' }));
    const base = within(range(0)).getByLabelText('Base');
    await user.clear(base);
    await user.type(base, '0x35');
    expect(store.getState().doc.policy.ranges[0].base).toBe(0x35);
    await user.type(base, 'zz');
    expect(base).toHaveValue('0x35zz');
    expect(base).toHaveAttribute('aria-invalid', 'true');
    expect(within(range(0)).getByText(/"0x35zz" is not a number.*; keeping 0x35/)).toBeInTheDocument();
    expect(store.getState().doc.policy.ranges[0].base).toBe(0x35);
  });

  it('marks a policy the kernel would refuse, with errno and message, as the user types', async () => {
    const { user } = renderWithStore(<PolicyEditor />);
    await user.click(screen.getByRole('button', { name: 'Add range' }));
    expect(screen.getByRole('status')).toHaveTextContent(/accepts this policy/);
    const nmsrs = within(range(0)).getByLabelText('nmsrs');
    await user.clear(nmsrs);
    await user.type(nmsrs, '0x3001');
    expect(screen.getByRole('status')).toHaveTextContent(/The kernel would refuse this \(EINVAL\)/);
    expect(screen.getByRole('status')).toHaveTextContent(/ranges\[0\]: nmsrs 12289/);
    expect(within(range(0)).getByText(/Refused:/)).toBeInTheDocument();
  });

  it('refuses filter flags 0x2 under linux-6.12 but not under linux-5.10', async () => {
    const { store, user } = renderWithStore(<PolicyEditor />);
    const flags = screen.getByLabelText('Filter flags');
    await user.clear(flags);
    await user.type(flags, '0x2');
    expect(screen.getByRole('status')).toHaveTextContent(/refuse this \(EINVAL\).*flags 0x2/);
    act(() => {
      perform(store, 'settings.profile', { profile: 'linux-5.10' });
    });
    expect(await screen.findByText(/Linux 5.10–5.11 accepts this policy/)).toBeInTheDocument();
  });

  it('removes, duplicates and reorders ranges', async () => {
    const { store, user } = renderWithStore(<PolicyEditor />, getPreset('deny-all-but-architectural')?.build());
    const bases = () => store.getState().doc.policy.ranges.map((r) => r.base);
    await user.click(screen.getByRole('button', { name: 'Move ranges[1] down' }));
    expect(bases()).toEqual([0, 0x4b564d00, 0x40000000, 0xc0000000, 0xc0010000]);
    await user.click(screen.getByRole('button', { name: 'Duplicate ranges[0]' }));
    expect(bases()).toHaveLength(6);
    await user.click(screen.getByRole('button', { name: 'Remove ranges[5]' }));
    await user.click(screen.getByRole('button', { name: 'Move ranges[1] up' }));
    expect(bases()).toEqual([0, 0, 0x4b564d00, 0x40000000, 0xc0000000]);
  });

  it('adds each new range after the highest one, 64 MSRs wide, never stacked on the last', async () => {
    const { store, user } = renderWithStore(<PolicyEditor />, getPreset('qemu-default')?.build());
    const add = screen.getByRole('button', { name: 'Add range' });
    await user.click(add);
    await user.click(add);
    expect(store.getState().doc.policy.ranges.map((r) => [r.base, r.nmsrs])).toEqual([
      [0x35, 1],
      [0x36, 64],
      [0x76, 64],
    ]);
  });

  it("enforces the profile's range limit (10 in allowlist-v4)", async () => {
    const { store, user } = renderWithStore(<PolicyEditor />, getPreset('allowlist-v4-example')?.build());
    const add = screen.getByRole('button', { name: 'Add range' });
    for (let i = 0; i < 8; i++) await user.click(add);
    expect(store.getState().doc.policy.ranges).toHaveLength(10);
    expect(add).toBeDisabled();
    expect(screen.getByText(/10 of 10, the limit of Allow-list series v4/)).toBeInTheDocument();
  });

  it('toggles READ/WRITE and follows undo', async () => {
    const { store, user } = renderWithStore(<PolicyEditor />);
    await user.click(screen.getByRole('button', { name: 'Add range' }));
    await user.click(within(range(0)).getByRole('checkbox', { name: 'READ' }));
    await user.click(within(range(0)).getByRole('checkbox', { name: 'WRITE' }));
    expect(screen.getByRole('status')).toHaveTextContent(/flags is 0/);
    const nmsrs = within(range(0)).getByLabelText('nmsrs');
    fireEvent.change(nmsrs, { target: { value: '8' } });
    act(() => {
      perform(store, 'history.undo');
    });
    expect(await within(range(0)).findByDisplayValue('64')).toBe(nmsrs);
  });
});
