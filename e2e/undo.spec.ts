import { expect, test } from '@playwright/test';
import { consolePanel, openPlayground, policyPanel, rangeGroup } from './helpers';

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

test("Ctrl/⌘+Z in the access form is the field's own text undo, not the document's", async ({ page }) => {
  await openPlayground(page);
  const action = policyPanel(page).getByLabel('Default action');
  const before = await action.inputValue();
  const other = before === 'deny' ? 'allow' : 'deny';
  await action.selectOption(other);
  const msr = consolePanel(page).getByLabel('MSR (index or name)');
  await msr.click();
  await msr.press('ControlOrMeta+a');
  await msr.pressSequentially('0x10', { delay: 20 });
  await msr.press('ControlOrMeta+z');
  // the document keeps its edit; the page's Undo still has it
  await expect(action).toHaveValue(other);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(action).toHaveValue(before);
  // a radio button of the same form keeps no text: there Ctrl/⌘+Z is the document's undo again
  await action.selectOption(other);
  await consolePanel(page).getByRole('radio', { name: 'RDMSR' }).focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(action).toHaveValue(before);
});
