import { expect, test } from '@playwright/test';
import { openPlayground, policyPanel, rangeGroup } from './helpers';

test('undo and redo, by button and by keyboard; typing in a field is one step', async ({ page }) => {
  await openPlayground(page);
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const redo = page.getByRole('button', { name: 'Redo', exact: true });
  await expect(undo).toBeDisabled();
  await expect(redo).toBeDisabled();

  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  await expect(rangeGroup(page, 1)).toBeVisible();
  const base = rangeGroup(page, 1).getByLabel('Base');
  await base.click();
  await base.press('ControlOrMeta+a');
  await base.pressSequentially('0xc0000080', { delay: 20 });
  await expect(rangeGroup(page, 1)).toContainText('IA32_EFER');
  await expect(policyPanel(page).getByRole('status')).toHaveText(/accepts/);

  // The burst of typing is one step: one undo puts the base back, a second removes the range.
  await undo.click();
  await expect(rangeGroup(page, 1).getByLabel('Base')).toHaveValue('0x36');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(rangeGroup(page, 1)).toHaveCount(0);
  await expect(undo).toBeDisabled();

  await redo.click();
  await expect(rangeGroup(page, 1)).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(rangeGroup(page, 1).getByLabel('Base')).toHaveValue('0xc0000080');
  await expect(redo).toBeDisabled();
});
