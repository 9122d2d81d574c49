import { expect, test } from '@playwright/test';
import { consolePanel, openPlayground, policyPanel, settingsPanel } from './helpers';

test('the playground loads with its editor, grid, console and panels, and no errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await openPlayground(page);
  await expect(policyPanel(page)).toBeVisible();
  await expect(settingsPanel(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Bitmap' })).toBeVisible();
  await expect(page.getByRole('application', { name: /MSR bitmap, 1 range/ })).toBeVisible();
  await expect(consolePanel(page)).toBeVisible();
  await expect(page.getByRole('tablist', { name: 'Explain and compare' })).toBeVisible();
  await expect(policyPanel(page).getByRole('status')).toHaveText(/accepts this policy/);
  expect(errors).toEqual([]);
});

test('three columns on a laptop, one column on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openPlayground(page);
  const x = async (name: string) => (await page.getByRole('region', { name }).boundingBox())?.x ?? -1;
  const laptop = [await x('Policy'), await x('Bitmap'), await x('Guest console')];
  expect(laptop[0]).toBeLessThan(laptop[1]);
  expect(laptop[1]).toBeLessThan(laptop[2]);
  await page.setViewportSize({ width: 390, height: 800 });
  const phone = [await x('Policy'), await x('Bitmap'), await x('Guest console')];
  expect(new Set(phone).size).toBe(1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});
