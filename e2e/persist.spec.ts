import { expect, test } from '@playwright/test';
import { keptDocument, openPlayground, policyPanel, rangeGroup, savedPanel, settingsPanel } from './helpers';

test('a reload keeps the work (without the link too); the theme is kept apart from it', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: /^Theme:/ }).click(); // light
  await settingsPanel(page).getByLabel('vCPU model').selectOption('linux64');
  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  await rangeGroup(page, 1).getByLabel('Comment').fill('kept across reloads');
  await savedPanel(page)
    .getByRole('button', { name: /^Remove RDMSR 0x00000010/ })
    .click();
  await expect(savedPanel(page)).toContainText('of 2');

  // Reload at once: what is pending is written as the page goes.
  await page.reload();
  await expect(rangeGroup(page, 1).getByLabel('Comment')).toHaveValue('kept across reloads');
  await expect(settingsPanel(page).getByLabel('vCPU model')).toHaveValue('linux64');
  await expect(savedPanel(page)).toContainText('of 2');
  await expect(page.getByRole('button', { name: /^Theme:/ })).toHaveText(/Light/);
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();

  // Without the fragment, the work comes from local storage.
  await page.goto('/');
  await expect(rangeGroup(page, 1).getByLabel('Comment')).toHaveValue('kept across reloads');
  const kept = await keptDocument(page);
  expect(kept).toMatchObject({ format: 'msr-scenario/1', vcpu: 'linux64' });
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  expect(keys).toEqual(['msr-playground.document', 'msr-playground.theme']);
});

test('corrupt storage is ignored with a note and a console warning; the page works and keeps the bad copy', async ({
  page,
}) => {
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await openPlayground(page);
  await page.evaluate(() => localStorage.setItem('msr-playground.document', '{"version":1,"document":{"steps":7}}'));
  await page.reload();
  const note = page.getByRole('status').filter({ hasText: 'Your saved work could not be restored.' });
  await expect(note).toContainText('steps: expected an array, got 7');
  await expect(note).toContainText('msr-playground.document.unreadable');
  await expect(policyPanel(page).getByRole('status')).toHaveText(/accepts this policy/);
  await expect(savedPanel(page)).toContainText('4 passed, 0 failed of 4');
  expect(warnings.join('\n')).toMatch(/saved work in local storage could not be read/);
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem('msr-playground.document.unreadable'))).toBe(
    '{"version":1,"document":{"steps":7}}',
  );
  await note.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(note).toBeHidden();
});
