import { expect, test } from '@playwright/test';

test('the first page answers an RDMSR with the engine', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('MSR index').fill('0x12345678');
  await expect(page.getByLabel('verdict')).toHaveText(/gp/);
});
