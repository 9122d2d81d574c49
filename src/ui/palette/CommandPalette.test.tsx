import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { perform } from '../actions/dispatch';
import { renderWithStore } from '../test-utils';
import { CommandPalette } from './CommandPalette';

describe('CommandPalette', () => {
  it('is an accessible dialog whose list filters as you type and runs the chosen action with Enter', async () => {
    const { store, user } = renderWithStore(<CommandPalette />);
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => {
      perform(store, 'palette.open');
    });
    const dialog = screen.getByRole('dialog', { name: 'Command palette' });
    const box = screen.getByRole('combobox', { name: 'Type a command' });
    expect(box).toHaveFocus();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    await user.type(box, 'preset selftest');
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      'Load preset: Selftest deny filter',
      'Compare with preset: Selftest deny filter',
    ]);
    expect(box).toHaveAttribute('aria-activedescendant', options[0].id);
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().doc.policy.ranges).toHaveLength(6);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
  });

  it('moves with the arrow keys, lists only enabled actions and closes on Escape', async () => {
    const { store, user } = renderWithStore(<CommandPalette />);
    act(() => {
      perform(store, 'palette.open');
    });
    const box = screen.getByRole('combobox');
    expect(screen.queryByRole('option', { name: 'Undo' })).toBeNull();
    await user.type(box, 'theme');
    const first = screen.getByRole('option', { selected: true }).textContent;
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('option', { selected: true }).textContent).not.toBe(first);
    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('option', { selected: true }).textContent).toBe(first);
    await user.type(box, ': l');
    // The prefix match ranks first.
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('Theme: light');
    await user.keyboard('{Enter}');
    expect(store.getState().theme).toBe('light');
    act(() => {
      perform(store, 'palette.open');
    });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().paletteOpen).toBe(false);
  });
});
