import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ACTIONS } from '../src/ui/actions/registry';
import type { ActionDef } from '../src/ui/actions/types';
import { GRID_KEYS } from '../src/ui/grid/keys';
import { consolePanel, openFirstVisit, rangeGroup } from './helpers';
import { allowedCount, gridLive, gridSurface } from './stage-helpers';

/** Issue 12, item 6: keyboard and help (the `?` sheet, the ranked palette, skip links). */

async function scan(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, what).toEqual([]);
}

const sheet = (page: Page) => page.getByRole('dialog', { name: 'Keyboard shortcuts' });
const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' });
const paletteBox = (page: Page) => palette(page).getByRole('combobox', { name: 'Type a command' });

async function openPalette(page: Page, query: string) {
  if (!(await palette(page).isVisible())) await page.keyboard.press('ControlOrMeta+k');
  await expect(palette(page)).toBeVisible();
  await paletteBox(page).fill(query);
}

/** The registry's actions with a shortcut: what the sheet must list, built from the same source. */
const withShortcut = Object.values(ACTIONS as Record<string, ActionDef<unknown>>).filter((d) => d.shortcut?.length);

test.describe('at 1280x800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('? opens the shortcut sheet, built from the action registry and the grid keys; Escape closes it', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const help = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await help.focus();
    await page.keyboard.press('?');
    await expect(sheet(page)).toBeVisible();
    // a modal sheet over the page (not laid out at its end): on screen, the page not scrolled
    await expect(sheet(page).getByRole('heading', { name: 'Keyboard shortcuts' })).toBeInViewport();
    await expect(sheet(page).getByRole('button', { name: /^Close/ })).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const everywhere = sheet(page).getByRole('table', { name: 'Everywhere' });
    expect(withShortcut.length).toBeGreaterThan(8);
    await expect(everywhere.getByRole('row')).toHaveCount(withShortcut.length + 1);
    for (const d of withShortcut) await expect(everywhere).toContainText(d.label);
    for (const label of ['Undo', 'Redo', 'Jump to MSR…', 'Fire the access', 'Open the command palette'])
      await expect(everywhere.getByRole('row').filter({ hasText: label }).first()).toBeVisible();
    // ? is one key, however the browser reports it: listed once
    await expect(everywhere.locator('tr[data-action="help.open"] kbd')).toHaveText(['?']);
    const onGrid = sheet(page).getByRole('table', { name: 'On the bitmap grid' });
    await expect(onGrid.getByRole('row')).toHaveCount(GRID_KEYS.length + 1);
    await expect(onGrid).toContainText('allow, deny or invert the selection');
    await scan(page, 'the shortcut sheet');
    await page.keyboard.press('Escape');
    await expect(sheet(page)).toBeHidden();
    await expect(help).toBeFocused();

    // the header's ? button opens it too; typing ? in a field does not
    await help.click();
    await expect(sheet(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await consolePanel(page).getByLabel('MSR (index or name)').fill('');
    await consolePanel(page).getByLabel('MSR (index or name)').press('?');
    await expect(consolePanel(page).getByLabel('MSR (index or name)')).toHaveValue('?');
    await expect(sheet(page)).toBeHidden();
  });

  test('the palette has Undo, Redo, Jump to MSR, Help and the theme, exact and prefix matches first', async ({
    page,
  }) => {
    await openFirstVisit(page);
    // an option's label (it may be followed by "not now" and its keys)
    const first = () => palette(page).getByRole('option').first().locator(':scope > span').first();

    // "efer" names an MSR: jumping there comes first, ahead of "Show: MSR reference"
    await openPalette(page, 'efer');
    await expect(first()).toHaveText('Jump to MSR 0xc0000080 IA32_EFER');
    await expect(palette(page).getByRole('option', { selected: true })).toHaveText('Jump to MSR 0xc0000080 IA32_EFER');
    await page.keyboard.press('Enter');
    await expect(palette(page)).toBeHidden();
    await expect(gridSurface(page)).toBeFocused();
    await expect(gridLive(page)).toHaveText(/^MSR 0xc0000080 IA32_EFER, range 1 bit 0, allowed/);

    for (const [query, label] of [
      ['undo', 'Undo'],
      ['redo', 'Redo'],
      ['jump', 'Jump to MSR…'],
      ['help', 'Help: keyboard shortcuts'],
      ['theme', /^(Switch theme|Theme: )/],
    ] as const) {
      await openPalette(page, query);
      await expect(first()).toHaveText(label);
    }
    // every action of the registry the palette offers is there, the ones that cannot run now marked
    await openPalette(page, 'undo');
    await expect(palette(page).getByRole('option', { name: /^Undo/ })).toHaveAttribute('aria-disabled', 'true');

    // the theme from the palette
    await openPalette(page, 'theme dark');
    await expect(first()).toHaveText('Theme: dark');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

    // Undo and Redo from the palette after an edit
    const before = await allowedCount(page, 0);
    await rangeGroup(page, 0).getByRole('button', { name: 'Allow all MSRs of ranges[0]' }).click();
    await expect.poll(() => allowedCount(page, 0)).toBe(512);
    await openPalette(page, 'undo');
    await expect(first()).toHaveText('Undo');
    await page.keyboard.press('Enter');
    await expect.poll(() => allowedCount(page, 0)).toBe(before);
    await openPalette(page, 'redo');
    await page.keyboard.press('Enter');
    await expect.poll(() => allowedCount(page, 0)).toBe(512);

    // Jump to MSR… puts the focus in the grid's jump box
    await openPalette(page, 'jump to msr');
    await expect(first()).toHaveText('Jump to MSR…');
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Jump to MSR')).toBeFocused();

    // Help from the palette opens the sheet
    await openPalette(page, 'help');
    await page.keyboard.press('Enter');
    await expect(sheet(page)).toBeVisible();
  });

  test('skip links take the keyboard to the grid and to the console', async ({ page }) => {
    await openFirstVisit(page);
    await expect(gridSurface(page)).toBeVisible();
    await page.keyboard.press('Tab');
    const toGrid = page.getByRole('link', { name: 'Skip to the bitmap grid' });
    await expect(toGrid).toBeFocused();
    await expect(toGrid).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(gridSurface(page)).toBeFocused();
    await expect(gridLive(page)).toHaveText(/^MSR 0x00000000\b.*range 0 bit 0/);
    // the URL's fragment (the share link) is not touched by a skip link
    expect(new URL(page.url()).hash).not.toBe('#grid-heading');

    await page.reload();
    await expect(gridSurface(page)).toBeVisible();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const toConsole = page.getByRole('link', { name: 'Skip to the guest console' });
    await expect(toConsole).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(consolePanel(page).getByLabel('MSR (index or name)')).toBeFocused();
  });
});

test.describe('on a phone (390x844, touch)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the skip link to the console scrolls it on screen; the shortcut sheet fits the screen', async ({ page }) => {
    await openFirstVisit(page);
    await expect(gridSurface(page)).toBeVisible();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const field = consolePanel(page).getByLabel('MSR (index or name)');
    await expect(field).toBeFocused();
    await expect(field).toBeInViewport();

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).tap();
    await expect(sheet(page)).toBeVisible();
    await expect(sheet(page).getByRole('heading', { name: 'Keyboard shortcuts' })).toBeInViewport();
    const box = await sheet(page).boundingBox();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 999)).toBeLessThanOrEqual(390);
    await scan(page, 'the shortcut sheet on a phone');
  });
});
