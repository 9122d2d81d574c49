import { expect, test } from '@playwright/test';
import { openPlayground, policyPanel } from './helpers';

test('the command palette: Ctrl/Cmd+K, filter, arrow keys, Enter; Escape closes and gives focus back', async ({
  page,
}) => {
  await openPlayground(page);
  await policyPanel(page).getByRole('button', { name: 'Add range' }).focus();
  await page.keyboard.press('ControlOrMeta+k');
  const dialog = page.getByRole('dialog', { name: 'Command palette' });
  await expect(dialog).toBeVisible();
  const box = dialog.getByRole('combobox', { name: 'Type a command' });
  await expect(box).toBeFocused();
  await box.fill('load preset');
  await expect(dialog.getByRole('option')).toHaveCount(4);
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('option', { selected: true })).toHaveText('Load preset: Selftest deny filter');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('application', { name: /MSR bitmap, 6 ranges/ })).toBeVisible();

  await page.getByRole('button', { name: 'Commands' }).click();
  await expect(dialog).toBeVisible();
  await box.fill('undo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('application', { name: /MSR bitmap, 1 range/ })).toBeVisible();

  await page.keyboard.press('ControlOrMeta+k');
  await box.fill('zzz no such command');
  await expect(dialog).toContainText('No command matches');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Commands' })).toBeFocused();
});
