import { expect, test } from '@playwright/test';
import { openPlayground } from './helpers';

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('the theme follows the system, and the header toggle cycles light, dark, system and is remembered', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openPlayground(page);
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  await expect(toggle).toHaveText(/System/);
  expect(await background(page)).toBe('rgb(13, 17, 23)');

  await toggle.click();
  await expect(toggle).toHaveText(/Light/);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background(page)).toBe('rgb(255, 255, 255)');

  await toggle.click();
  await expect(toggle).toHaveText(/Dark/);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(page)).toBe('rgb(13, 17, 23)');

  await page.reload();
  await expect(page.getByRole('button', { name: /^Theme:/ })).toHaveText(/Dark/);
  await page.getByRole('button', { name: /^Theme:/ }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  expect(await background(page)).toBe('rgb(255, 255, 255)');
});
