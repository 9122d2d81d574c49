import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { consolePanel, fire, openFirstVisit, openPlayground, policyPanel } from './helpers';
import { allowedCount, gridScroller, gridSurface } from './stage-helpers';

/** Issue 12, item 1: the stage layout (the grid the widest pane, the form and the latest verdict beside it). */

async function scan(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, what).toEqual([]);
}

const gridRegion = (page: Page) => page.getByRole('region', { name: 'Bitmap grid' });
const width = async (page: Page, name: string) => (await page.getByRole('region', { name }).boundingBox())?.width ?? 0;
const pageScrollY = (page: Page) => page.evaluate(() => window.scrollY);

test.describe('at 1280x800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the grid, the access form and the latest verdict are all on the first screen, without scrolling', async ({
    page,
  }) => {
    for (const open of [openFirstVisit, openPlayground]) {
      await open(page);
      const entry = await fire(page, { msr: '0x35' });
      expect(await pageScrollY(page)).toBe(0);
      await expect(gridSurface(page)).toBeInViewport();
      await expect(consolePanel(page).getByLabel('MSR (index or name)')).toBeInViewport();
      await expect(consolePanel(page).getByRole('button', { name: 'Fire', exact: true })).toBeInViewport();
      // the verdict first: its badge and its sentence, whole
      await expect(entry.locator('.outcome')).toBeInViewport({ ratio: 1 });
      await expect(entry.locator('.log-sentence')).toBeInViewport({ ratio: 1 });
      // the grid is the widest pane, the policy on its left and the console on its right
      const g = await width(page, 'Bitmap grid');
      expect(g).toBeGreaterThan(await width(page, 'Policy'));
      expect(g).toBeGreaterThan(await width(page, 'Guest console'));
      const x = async (name: string) => (await page.getByRole('region', { name }).boundingBox())?.x ?? -1;
      expect(await x('Policy')).toBeLessThan(await x('Bitmap grid'));
      expect(await x('Bitmap grid')).toBeLessThan(await x('Guest console'));
    }
  });

  test('a side pane collapses and opens again; collapsed and resized panes are kept after a reload', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const before = await width(page, 'Bitmap grid');

    // collapse the console: the grid takes its room, the pane is gone from the page
    await page.getByRole('button', { name: 'Hide the console pane' }).click();
    await expect(consolePanel(page)).toBeHidden();
    await expect.poll(() => width(page, 'Bitmap grid')).toBeGreaterThan(before + 200);
    await page.reload();
    await expect(gridSurface(page)).toBeVisible();
    await expect(consolePanel(page)).toBeHidden();
    const show = page.getByRole('button', { name: 'Show the console pane' });
    await expect(show).toHaveAttribute('aria-expanded', 'false');
    await show.click();
    await expect(consolePanel(page)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Hide the console pane' })).toHaveAttribute('aria-expanded', 'true');

    // resize the policy pane from the keyboard (the separator's arrow keys), then by dragging it
    const sep = page.getByRole('separator', { name: 'Resize the policy pane' });
    await expect(sep).toHaveAttribute('aria-valuenow', '300');
    await sep.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect(sep).toHaveAttribute('aria-valuenow', '380');
    await expect.poll(() => width(page, 'Policy')).toBeGreaterThan(360);
    const box = await sep.boundingBox();
    if (!box) throw new Error('no separator');
    await page.mouse.move(box.x + box.width / 2, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 60, box.y + 40, { steps: 6 });
    await page.mouse.up();
    await expect(sep).toHaveAttribute('aria-valuenow', '320');

    // the console pane narrower from its separator (dragging right narrows it)
    const csep = page.getByRole('separator', { name: 'Resize the console pane' });
    await csep.focus();
    await page.keyboard.press('Home');
    await expect(csep).toHaveAttribute('aria-valuenow', '240');
    await page.getByRole('button', { name: 'Hide the policy pane' }).click();
    await expect(policyPanel(page)).toBeHidden();

    await page.reload();
    await expect(gridSurface(page)).toBeVisible();
    await expect(policyPanel(page)).toBeHidden();
    await expect(page.getByRole('separator', { name: 'Resize the console pane' })).toHaveAttribute(
      'aria-valuenow',
      '240',
    );
    await page.getByRole('button', { name: 'Show the policy pane' }).click();
    await expect(policyPanel(page)).toBeVisible();
    await expect(page.getByRole('separator', { name: 'Resize the policy pane' })).toHaveAttribute(
      'aria-valuenow',
      '320',
    );
    await expect.poll(() => width(page, 'Policy')).toBeGreaterThan(300);
    // the document is untouched by the layout
    await expect(policyPanel(page).getByRole('group', { name: /^ranges\[\d+\]$/ })).toHaveCount(3);
  });

  test('no axe violations on the stage with a collapsed pane', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('button', { name: 'Hide the policy pane' }).click();
    await expect(policyPanel(page)).toBeHidden();
    await fire(page, { msr: '0x35' });
    await scan(page, 'stage with the policy pane collapsed');
  });
});

test.describe('on a phone (390x844, touch)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('one column in a sensible order: the grid, the console, then the policy; nothing wider than the screen', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const y = async (name: string) => (await page.getByRole('region', { name }).boundingBox())?.y ?? -1;
    const x = async (name: string) => (await page.getByRole('region', { name }).boundingBox())?.x ?? -1;
    const grid = await y('Bitmap grid');
    const console_ = await y('Guest console');
    const policy = await y('Policy');
    expect(grid).toBeLessThan(console_);
    expect(console_).toBeLessThan(policy);
    expect(new Set([await x('Bitmap grid'), await x('Guest console'), await x('Policy')]).size).toBe(1);
    // the grid starts on the first screen
    await expect(gridSurface(page)).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the pane rails are for a wide screen only
    await expect(page.getByRole('button', { name: 'Hide the console pane' })).toBeHidden();
  });

  test('the header tools are one row that scrolls sideways, so the grid starts in the top half of the screen', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const tools = page.getByRole('navigation', { name: 'Tools' });
    const tops = await tools.getByRole('button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(new Set(tops).size).toBe(1);
    // the last tool is reached by scrolling the row, not the page
    const theme = tools.getByRole('button').last();
    await theme.scrollIntoViewIfNeeded();
    await expect(theme).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect((await page.getByRole('region', { name: 'Bitmap grid' }).boundingBox())?.y ?? 999).toBeLessThan(422);
  });

  test('no scroll trap: a vertical swipe on the grid scrolls the page, not the grid, and paints nothing', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const box = await gridScroller(page).boundingBox();
    if (!box) throw new Error('no grid');
    expect(await pageScrollY(page)).toBe(0);
    const allowed = await allowedCount(page, 0);
    // a finger on the grid's cells, moved up by 300 px (real touch input, through the browser's compositor)
    const x = Math.round(box.x + box.width / 2);
    const y = Math.round(Math.min(box.y + box.height - 20, 800));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 10; i++)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - i * 30 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect.poll(() => pageScrollY(page)).toBeGreaterThan(150);
    expect(await gridScroller(page).evaluate((el) => el.scrollTop)).toBe(0);
    expect(await allowedCount(page, 0)).toBe(allowed);
  });

  test('firing from the console on a phone shows the verdict under the form', async ({ page }) => {
    await openFirstVisit(page);
    const entry = await fire(page, { msr: '0x35' });
    await entry.locator('.log-sentence').scrollIntoViewIfNeeded();
    await expect(entry.locator('.log-sentence')).toBeInViewport();
    await expect(consolePanel(page).getByRole('button', { name: 'Fire', exact: true })).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test('no axe violations in the phone layout', async ({ page }) => {
    await openFirstVisit(page);
    await fire(page, { msr: '0x35' });
    await expect(gridRegion(page)).toBeVisible();
    await scan(page, 'phone layout');
  });
});
