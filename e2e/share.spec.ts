import { expect, type Page, test } from '@playwright/test';
import {
  fire,
  keptDocument,
  openPlayground,
  policyPanel,
  rangeGroup,
  savedPanel,
  settingsPanel,
  shareLinkInAddressBar,
} from './helpers';

interface Work {
  summary: string;
  rows: string[];
}

const savedRows = (page: Page) => savedPanel(page).locator('.saved-row .log-head');

/** Work worth sharing: settings, a second range, a saved access that fails its expectation. */
async function makeWork(page: Page): Promise<Work> {
  await openPlayground(page);
  await settingsPanel(page).getByLabel('Kernel profile').selectOption('linux-5.10');
  await settingsPanel(page)
    .getByRole('checkbox', { name: /UNKNOWN/ })
    .check();
  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  await rangeGroup(page, 1).getByLabel('Base').fill('0xc0000080');
  await rangeGroup(page, 1).getByLabel('nmsrs').fill('16');
  await rangeGroup(page, 1).getByRole('button', { name: 'Allow all MSRs of ranges[1]' }).click();
  await policyPanel(page).getByLabel('Default action').selectOption('deny');
  await fire(page, { msr: 'IA32_EFER' });
  await page.getByRole('button', { name: 'Save as test' }).click();
  await expect(savedRows(page)).toHaveCount(4);
  await savedPanel(page)
    .getByLabel(/^Expected verdict for RDMSR 0xc0000080/)
    .selectOption('gp');
  await expect(savedPanel(page).getByRole('status')).toContainText('failed of 4');
  await expect(savedPanel(page).locator('.saved-fail')).toContainText(['RDMSR 0xc0000080']);
  return {
    summary: (await savedPanel(page).getByRole('status').textContent()) ?? '',
    rows: await savedRows(page).allTextContents(),
  };
}

async function expectTheWork(page: Page, work: Work) {
  await expect(settingsPanel(page).getByLabel('Kernel profile')).toHaveValue('linux-5.10');
  await expect(settingsPanel(page).getByRole('checkbox', { name: /UNKNOWN/ })).toBeChecked();
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('deny');
  await expect(policyPanel(page).getByRole('group', { name: /^ranges\[\d+\]$/ })).toHaveCount(2);
  await expect(rangeGroup(page, 1).getByLabel('Base')).toHaveValue('0xc0000080');
  await expect(rangeGroup(page, 1)).toContainText('16 MSRs), 16 allowed');
  await expect(savedPanel(page).getByRole('status')).toHaveText(work.summary);
  await expect(savedRows(page)).toHaveText(work.rows);
  await expect(savedPanel(page).getByLabel(/^Expected verdict for RDMSR 0xc0000080/)).toHaveValue('gp');
}

test('Copy link copies the URL; opened in a fresh browser, it shows the same policy, settings and results', async ({
  page,
  context,
  browser,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const work = await makeWork(page);
  const url = await shareLinkInAddressBar(page);

  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v2\.[A-Za-z0-9_-]+$/);
  expect(copied).toBe(url);

  // A fresh context: no local storage, nothing shared but the link.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  const errors: string[] = [];
  fresh.on('pageerror', (e) => errors.push(e.message));
  await fresh.goto(copied);
  await expectTheWork(fresh, work);
  // Undo has nothing to go back to: the link's document is where this page starts.
  await expect(fresh.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  expect(errors).toEqual([]);
  await other.close();

  // The keyboard shortcut does the same.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+Shift+L');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
});

test('a corrupt link shows what is wrong and keeps the previous work; the address bar follows after an edit', async ({
  page,
}) => {
  const work = await makeWork(page);
  const good = await shareLinkInAddressBar(page);
  await expect.poll(() => keptDocument(page)).not.toBeNull();
  const corrupt = `${good.slice(0, good.indexOf('#'))}#v2.${good.slice(good.indexOf('.') + 1, -5)}Zq9`;

  // Pasted into the address bar of the open page…
  await page.goto(corrupt);
  const alert = page.getByRole('alert').filter({ hasText: 'This link could not be opened.' });
  await expect(alert).toContainText(/This link is (damaged|incomplete)/);
  await expect(alert).toContainText('Your work is still here.');
  await expectTheWork(page, work);

  // …and opened in a new tab (a full start-up) after the work was kept.
  await page.reload();
  await expect(alert).toContainText(/This link is (damaged|incomplete)/);
  await expect(alert).toContainText('Your previous work is still here.');
  await expectTheWork(page, work);
  await page.waitForTimeout(600);
  expect(page.url()).toBe(corrupt); // not rewritten before an edit or a dismissal

  await alert.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(alert).toBeHidden();
  await expect.poll(() => page.url()).toBe(good);

  // A foreign fragment on a fresh start says so too, and an edit makes the address bar follow the work again.
  await page.goto('about:blank');
  await page.goto(`${good.slice(0, good.indexOf('#'))}#section-2`);
  const foreign = page.getByRole('alert').filter({ hasText: 'This link could not be opened.' });
  await expect(foreign).toContainText('("section-2") is not an MSR Filter Playground document');
  await expectTheWork(page, work);
  await policyPanel(page).getByLabel('Default action').selectOption('allow');
  const after = await shareLinkInAddressBar(page, good);
  expect(after).not.toContain('section-2');
  await expect(foreign).toBeVisible(); // the message stays until dismissed
});

test('the address bar follows edits and undo without adding history entries', async ({ page }) => {
  await openPlayground(page);
  const length = await page.evaluate(() => history.length);
  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  const one = await shareLinkInAddressBar(page);
  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  const two = await shareLinkInAddressBar(page, one);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(() => page.url()).toBe(one);
  expect(await page.evaluate(() => history.length)).toBe(length);
  expect(two).not.toBe(one);
});
