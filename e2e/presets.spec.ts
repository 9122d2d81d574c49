import { expect, test } from '@playwright/test';
import { fire, openPlayground, openTrace, policyPanel, savedPanel, settingsPanel } from './helpers';

test('loading a preset replaces the document in one undoable step', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Preset').selectOption({ label: 'Selftest deny filter' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('deny');
  await expect(policyPanel(page).getByRole('group', { name: /^ranges\[\d+\]$/ })).toHaveCount(6);
  await expect(page.getByRole('application', { name: /MSR bitmap, 6 ranges/ })).toBeVisible();
  await expect(settingsPanel(page).getByRole('checkbox', { name: /UNKNOWN/ })).toBeChecked();
  await expect(savedPanel(page)).toContainText('6 passed, 0 failed of 6');

  // T2's step 2.1: WRMSR 0xc0000084 skips D3 (READ only) and is allowed by D4.
  const entry = await fire(page, { op: 'WRMSR', msr: '0xc0000084', value: '0' });
  await expect(entry.locator('.log-decision')).toHaveText(/allow/);
  const trace = await openTrace(entry);
  await expect(trace).toContainText('ranges[3] covers it but allows only READ: skipped');
  await expect(trace).toContainText('ranges[4] bit 132');

  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(policyPanel(page).getByRole('group', { name: /^ranges\[\d+\]$/ })).toHaveCount(1);
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('allow');
});

test('the allow-list preset switches to the allowlist-v4 profile and its limit', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Preset').selectOption({ label: 'Allow-list (v4 series)' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(settingsPanel(page).getByLabel('Kernel profile')).toHaveValue('allowlist-v4');
  await expect(policyPanel(page)).toContainText('2 of 10, the limit of Allow-list series v4');
  const entry = await fire(page, { msr: '0x1b' });
  await expect(entry.locator('.log-decision')).toHaveText(/EPERM/);
  await expect(await openTrace(entry)).toContainText('the allow list denies it');
});
