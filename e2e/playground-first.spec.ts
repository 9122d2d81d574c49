import { expect, type Page, test } from '@playwright/test';
import { TAGLINE } from '../src/ui/layout/Header';
import {
  consolePanel,
  fire,
  keptDocument,
  openFirstVisit,
  openPlayground,
  policyPanel,
  rangeGroup,
  resultsLog,
  savedPanel,
  shareLinkInAddressBar,
} from './helpers';
import { allowedCount, gridSurface } from './stage-helpers';

/** Issue 12, items 7 and 8: the first visit, and the small ones (Add range, "custom", import errors, refusals). */

const ranges = (page: Page) => policyPanel(page).getByRole('group', { name: /^ranges\[\d+\]$/ });
const presetMenu = (page: Page) => page.getByLabel('Preset');
const presetShown = (page: Page) => presetMenu(page).evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text);

for (const size of [
  { name: '1280x800', viewport: { width: 1280, height: 800 } },
  { name: 'a phone (390x844)', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
]) {
  test.describe(`first visit at ${size.name}`, () => {
    test.use({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });

    test('one sentence says what this is, and a lit grid whose saved accesses pass', async ({ page }) => {
      await openFirstVisit(page);
      const tagline = page.getByText(TAGLINE, { exact: true });
      await expect(tagline).toBeInViewport({ ratio: 1 });
      expect(TAGLINE.split(/[.!?](\s|$)/).filter((s) => s.trim()).length).toBe(1);
      // a policy of a few ranges, with allowed and denied cells
      await expect(ranges(page)).toHaveCount(3);
      await expect(gridSurface(page)).toHaveAccessibleName('MSR bitmap, 3 ranges');
      await expect(gridSurface(page)).toBeInViewport();
      const counts = [await allowedCount(page, 0), await allowedCount(page, 1), await allowedCount(page, 2)];
      expect(counts).toEqual([507, 5, 16]);
      // the overview strip shows each range's density at once
      await expect(page.getByRole('list', { name: 'Overview of the ranges' }).getByRole('listitem')).toHaveCount(3);
      // a couple of saved accesses, all passing
      await expect(savedPanel(page)).toContainText('4 passed, 0 failed of 4');
      await expect(policyPanel(page).getByRole('status').first()).toHaveText(
        /accepts this policy \(3 ranges installed\)/,
      );
    });
  });
}

test.describe('at 1280x800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('a kept document and an old link still open as before, not the first-visit document', async ({
    page,
    browser,
  }) => {
    // kept work (the QEMU preset, one range) opens as it was
    await openPlayground(page);
    await expect(ranges(page)).toHaveCount(1);
    await expect(gridSurface(page)).toHaveAccessibleName('MSR bitmap, 1 range');

    // an edit of the first-visit document is kept over a reload: it does not come back
    await openFirstVisit(page);
    await policyPanel(page).getByRole('button', { name: 'Remove' }).first().click();
    await expect(ranges(page)).toHaveCount(2);
    await expect
      .poll(async () => ((await keptDocument(page))?.filter as { ranges: unknown[] } | null)?.ranges?.length)
      .toBe(2);
    const link = await shareLinkInAddressBar(page);
    await page.goto('/');
    await expect(ranges(page)).toHaveCount(2);

    // a link opens its document in a fresh browser
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(other.getByRole('application', { name: /MSR bitmap/ })).toHaveAccessibleName('MSR bitmap, 2 ranges');
    await fresh.close();
  });

  test('Add range continues after the last range instead of stacking at 0x0', async ({ page }) => {
    await openFirstVisit(page);
    const add = policyPanel(page).getByRole('button', { name: 'Add range' });
    await add.click();
    await expect(ranges(page)).toHaveCount(4);
    await expect(rangeGroup(page, 3).getByLabel('Base')).toHaveValue('0xc0010100');
    await expect(rangeGroup(page, 3).getByLabel('nmsrs')).toHaveValue('64');
    await add.click();
    await expect(rangeGroup(page, 4).getByLabel('Base')).toHaveValue('0xc0010140');
    // the new ranges are accepted (no overlap, nothing refused) and drawn
    await expect(policyPanel(page).getByRole('status').first()).toHaveText(
      /accepts this policy \(5 ranges installed\)/,
    );
    await expect(gridSurface(page)).toHaveAccessibleName('MSR bitmap, 5 ranges');
    // from an empty policy the first range starts at 0x0
    await policyPanel(page).getByRole('button', { name: 'New empty policy' }).click();
    await add.click();
    await expect(rangeGroup(page, 0).getByLabel('Base')).toHaveValue('0x0');
    await add.click();
    await expect(rangeGroup(page, 1).getByLabel('Base')).toHaveValue('0x40');
  });

  test('the preset menu names the preset until the document changes, then shows "custom"', async ({ page }) => {
    await openPlayground(page);
    await expect.poll(() => presetShown(page)).toBe('QEMU default');
    await rangeGroup(page, 0).getByRole('button', { name: 'Allow all MSRs of ranges[0]' }).click();
    await expect.poll(() => presetShown(page)).toBe('custom');
    await expect(page.getByRole('button', { name: 'Load preset' })).toBeDisabled();
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => presetShown(page)).toBe('QEMU default');

    // an unrelated import (a policy only) makes it "custom" too
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: /Import/ });
    await dialog.getByLabel('Or paste JSON or a link').fill(
      JSON.stringify({
        format: 'msr-filter/1',
        flags: 0,
        ranges: [{ flags: 1, base: '0x10', nmsrs: 8, bitmap: 'ff' }],
      }),
    );
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(ranges(page)).toHaveCount(1);
    await expect.poll(() => presetShown(page)).toBe('custom');

    // loading a preset names it again; a VM setting changed afterwards makes it "custom"
    await presetMenu(page).selectOption({ label: 'Selftest deny filter' });
    await page.getByRole('button', { name: 'Load preset' }).click();
    await expect.poll(() => presetShown(page)).toBe('Selftest deny filter');
    await page
      .getByRole('region', { name: 'VM settings' })
      .getByRole('checkbox', { name: /kvm.ignore_msrs/ })
      .check();
    await expect.poll(() => presetShown(page)).toBe('custom');
  });

  test('a JSON syntax error in an import gives its line and column, and imports nothing', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: /Import/ });
    // a trailing comma: the next token (line 4, column 1) is where JSON.parse stops
    const text = ['{', '  "format": "msr-filter/1",', '  "ranges": [],', '}'].join('\n');
    await dialog.getByLabel('Or paste JSON or a link').fill(text);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText('Nothing was imported.');
    await expect(alert).toContainText('This is not valid JSON: line 4, column 1');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(ranges(page)).toHaveCount(3);
  });

  test('a refused filter says what stays installed: nothing on a fresh VM, the previous filter after one', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const nmsrs = rangeGroup(page, 0).getByLabel('nmsrs');
    await nmsrs.fill('0x3001');
    await expect(policyPanel(page).getByRole('status').first()).toContainText('The kernel would refuse this');
    // a fresh VM had no filter before: the failed call leaves none, every MSR allowed
    await fire(page, { msr: '0x35' });
    const notes = resultsLog(page).locator(':scope > li.log-note');
    await expect(notes.filter({ hasText: 'KVM_X86_SET_MSR_FILTER' })).toContainText(
      'no filter was installed before, so none is: every MSR is allowed',
    );
    await expect(savedPanel(page)).toContainText('no filter was installed before, so none is');

    // after a good filter was installed, a refused one leaves it in place
    await consolePanel(page).getByRole('button', { name: 'Reset the VM' }).click();
    await nmsrs.fill('512');
    await fire(page, { msr: '0x35' });
    await nmsrs.fill('0x3001');
    await fire(page, { msr: '0x35' });
    await expect(notes.filter({ hasText: 'KVM_X86_SET_MSR_FILTER' }).first()).toContainText(
      'the previous filter stays installed (3 ranges)',
    );
  });
});
