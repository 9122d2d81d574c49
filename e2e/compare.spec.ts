import { expect, test } from '@playwright/test';
import { openPlayground, policyPanel, rangeGroup } from './helpers';

test('compare the current policy with a snapshot of itself, then with a preset', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('tab', { name: 'Compare A/B' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Compare A/B' });
  await panel.getByRole('button', { name: 'Snapshot current policy as B' }).click();
  await expect(panel.getByRole('definition').first()).toHaveText(/current policy \(Linux 6.12\+ \(newest\)\)/);
  await expect(panel).toContainText('No differences');

  // Allow reads of 0x35 in the current policy: A now allows what the snapshot B denies.
  await rangeGroup(page, 0).getByRole('button', { name: 'Allow all MSRs of ranges[0]' }).click();
  const table = panel.getByRole('table', { name: /where A and B differ/ });
  await expect(table).toBeVisible();
  const row = table.getByRole('row').nth(1);
  await expect(row).toContainText('RDMSR');
  await expect(row).toContainText('0x00000035');
  await expect(row.getByRole('cell').nth(3)).toContainText('allow');
  await expect(row.getByRole('cell').nth(4)).toContainText('deny');

  await panel.getByLabel('Or use a preset as B').selectOption({ label: 'Deny all but architectural' });
  await expect(panel.getByRole('definition').nth(1)).toContainText('preset Deny all but architectural');
  await expect(table).toContainText('default action');
});

test('compare one policy under two kernel profiles', async ({ page }) => {
  await openPlayground(page);
  await policyPanel(page).getByLabel('Default action').selectOption('DEFAULT_DENY');
  await page.getByRole('tab', { name: 'Compare A/B' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Compare A/B' });
  await panel.getByRole('radio', { name: /two kernel profiles/ }).check();
  await panel.getByLabel('Profile A').selectOption('allowlist-v4');
  await panel.getByLabel('Profile B').selectOption('linux-6.12');
  await expect(panel.getByRole('definition').nth(0)).toContainText('Allow-list series v4');
  await expect(panel.getByRole('definition').nth(1)).toContainText('Linux 6.12+');
  const table = panel.getByRole('table', { name: /where A and B differ/ });
  const x2apic = table.getByRole('row').filter({ hasText: '0x00000800–0x000008ff' }).first();
  await expect(x2apic).toContainText('x2APIC exemption');
});

test('the effective policy lists every interval with what decides it', async ({ page }) => {
  await openPlayground(page);
  const panel = page.getByRole('tabpanel', { name: 'Effective policy' });
  const reads = panel.getByRole('table', { name: 'RDMSR (read)' });
  await expect(reads.getByRole('row').filter({ hasText: '0x00000035' }).first()).toContainText('ranges[0]');
  await expect(reads.getByRole('row').filter({ hasText: '0x00000800–0x000008ff' })).toContainText('x2APIC exemption');
});
