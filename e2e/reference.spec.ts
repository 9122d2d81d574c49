import { expect, test } from '@playwright/test';
import { consolePanel, openPlayground } from './helpers';

test('the MSR reference lists the catalogue, searches it and sends an MSR to the console', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('tab', { name: 'MSR reference' }).click();
  const panel = page.getByRole('tabpanel', { name: 'MSR reference' });
  const table = panel.getByRole('table');
  await expect(table.getByRole('caption')).toContainText(/of \d+ MSRs/);
  await panel.getByLabel('Search MSRs').fill('efer');
  const row = table.getByRole('row').filter({ hasText: 'IA32_EFER' });
  await expect(row).toContainText('0xc0000080');
  await row.getByRole('button', { name: 'Use IA32_EFER in the console' }).click();
  await expect(consolePanel(page).getByLabel('MSR (index or name)')).toHaveValue('IA32_EFER');
  await panel.getByLabel('Search MSRs').fill('time-stamp');
  await expect(table.getByRole('row').filter({ hasText: 'IA32_TSC' }).first()).toBeVisible();
});
