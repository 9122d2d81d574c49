import { expect, type Page, test } from '@playwright/test';
import { openFirstVisit } from './helpers';
import {
  allowedCount,
  cellContentY,
  cellPoint,
  gridMetrics,
  gridScroller,
  gridStatus,
  gridSurface,
  FIRST_VISIT_SHAPES as SHAPES,
  scrollGridTo,
} from './stage-helpers';

/** Issue 12, item 2: the grid as an instrument (columns, overview, collapse, tooltip, auto-scroll, touch). */

const columns = (page: Page) => page.getByLabel('Columns per row');
const zoomIn = (page: Page) => page.getByRole('button', { name: 'Zoom in' });

/** Zooms the grid to 24 px cells, so that the first-visit document is several screens tall. */
async function bigCells(page: Page) {
  for (let i = 0; i < 5; i++) if (await zoomIn(page).isEnabled()) await zoomIn(page).click();
  await expect(page.getByLabel('Cell size')).toHaveText('24 px');
}

async function hover(page: Page, range: number, bit: number, collapsed?: ReadonlySet<number>) {
  const p = await cellPoint(page, SHAPES, range, bit, collapsed);
  await page.mouse.move(p.x, p.y);
}

test.describe('at 1280x800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('16, 32 or 64 columns, hex-aligned: every row starts at a multiple of its width', async ({ page }) => {
    await openFirstVisit(page);
    // "fit" picks one of the hex-aligned widths too (never 24 or 48)
    const fit = Number(await gridSurface(page).getAttribute('data-cols'));
    expect([16, 32, 64]).toContain(fit);
    await expect(columns(page).locator('option')).toHaveText([`fit (${fit})`, '16', '32', '64']);
    for (const cols of [16, 32, 64]) {
      await columns(page).selectOption(String(cols));
      await expect(gridSurface(page)).toHaveAttribute('data-cols', String(cols));
      // the first cell of the second row is MSR `cols` (0x10, 0x20, 0x40): the row label's value
      await hover(page, 0, cols);
      await expect(gridStatus(page)).toHaveText(
        new RegExp(`^MSR 0x${cols.toString(16).padStart(8, '0')}.*, range 0 bit ${cols}, allowed`),
      );
      // and the last cell of the first row is MSR cols - 1 (the columns are headed 0..cols-1); a wide grid scrolls
      // sideways to it
      await gridScroller(page).evaluate((el) => {
        el.scrollLeft = el.scrollWidth;
      });
      await hover(page, 0, cols - 1);
      await expect(gridStatus(page)).toHaveText(new RegExp(`, range 0 bit ${cols - 1}, `));
    }
    // 64 columns of 12 px are wider than the pane: the grid scrolls sideways, the page does not
    const m = await gridMetrics(page);
    expect(await gridScroller(page).evaluate((el) => el.scrollWidth)).toBeGreaterThan(m.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  });

  test('a tooltip names the MSR, its name, allowed or denied, its range and bit', async ({ page }) => {
    await openFirstVisit(page);
    const tooltip = page.locator('.msr-grid-tooltip');
    await hover(page, 0, 0x35);
    await expect(tooltip).toHaveText('0x00000035 MSR_CORE_THREAD_COUNT · denied · ranges[0] bit 53');
    await expect(tooltip).toBeVisible();
    await hover(page, 0, 0x10);
    await expect(tooltip).toHaveText('0x00000010 IA32_TSC · allowed · ranges[0] bit 16');
    await expect(gridStatus(page)).toHaveText(/^MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed/);
    await page.mouse.move(5, 5);
    await expect(tooltip).toHaveCount(0);
  });

  test('the overview strip shows each range and scrolls the grid to the one clicked', async ({ page }) => {
    await openFirstVisit(page);
    await bigCells(page);
    const overview = page.getByRole('list', { name: 'Overview of the ranges' });
    await expect(overview.getByRole('listitem')).toHaveCount(3);
    await expect(
      overview.getByRole('button', { name: /^Show ranges\[0\] 0x00000000: 507 of 512 allowed$/ }),
    ).toBeVisible();
    await expect(
      overview.getByRole('button', { name: /^Show ranges\[1\] 0xc0000080: 5 of 64 allowed$/ }),
    ).toBeVisible();
    expect((await gridMetrics(page)).scrollTop).toBe(0);

    await overview.getByRole('button', { name: /^Show ranges\[2\]/ }).click();
    const r2 = await cellContentY(page, SHAPES, 2, 0);
    await expect.poll(async () => (await gridMetrics(page)).scrollTop).toBeGreaterThan(0);
    const m = await gridMetrics(page);
    expect(r2.header).toBeGreaterThanOrEqual(m.scrollTop);
    expect(r2.header).toBeLessThan(m.scrollTop + m.height);

    await overview.getByRole('button', { name: /^Show ranges\[0\]/ }).click();
    await expect.poll(async () => (await gridMetrics(page)).scrollTop).toBe(0);
  });

  test('a range collapses to its header and expands again, from the overview or its title line', async ({ page }) => {
    await openFirstVisit(page);
    const overview = page.getByRole('list', { name: 'Overview of the ranges' });
    const spacerHeight = () => page.locator('.msr-grid-spacer').evaluate((el) => el.getBoundingClientRect().height);
    const full = await spacerHeight();

    await overview.getByRole('button', { name: 'Collapse ranges[0]' }).click();
    await expect(overview.getByRole('button', { name: 'Expand ranges[0]' })).toHaveAttribute('aria-expanded', 'false');
    await expect.poll(spacerHeight).toBeLessThan(full - 100);
    // range 1 now sits where range 0's cells were: hovering its first cell names it
    const collapsed = new Set([0]);
    await hover(page, 1, 0, collapsed);
    await expect(gridStatus(page)).toHaveText(/^MSR 0xc0000080 IA32_EFER, range 1 bit 0, allowed/);

    await overview.getByRole('button', { name: 'Expand ranges[0]' }).click();
    await expect(overview.getByRole('button', { name: 'Collapse ranges[0]' })).toHaveAttribute('aria-expanded', 'true');
    await expect.poll(spacerHeight).toBe(full);

    // a click on a range's title line (drawn on the canvas) collapses it too, and a second click opens it
    const m = await gridMetrics(page);
    const title = { x: m.left + 150, y: m.top + 8 };
    await page.mouse.click(title.x, title.y);
    await expect(overview.getByRole('button', { name: 'Expand ranges[0]' })).toBeVisible();
    await page.mouse.click(title.x, title.y);
    await expect(overview.getByRole('button', { name: 'Collapse ranges[0]' })).toBeVisible();

    // a jump into a collapsed range opens it and shows the MSR
    await overview.getByRole('button', { name: 'Collapse ranges[2]' }).click();
    await page.getByLabel('Jump to MSR').fill('0xc0010012');
    await page.getByRole('button', { name: 'Go' }).click();
    await expect(overview.getByRole('button', { name: 'Collapse ranges[2]' })).toBeVisible();
    await expect(page.getByTestId('msr-grid-live')).toHaveText(/^MSR 0xc0010012, range 2 bit 18, allowed/);
  });

  test('dragging past the bottom edge scrolls the grid and keeps painting', async ({ page }) => {
    await openFirstVisit(page);
    await bigCells(page);
    const before = await allowedCount(page, 0);
    const start = await cellPoint(page, SHAPES, 0, 0x80);
    const m = await gridMetrics(page);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    // down the same column, then below the grid's bottom edge, and hold there
    await page.mouse.move(start.x, m.boxBottom - 4, { steps: 8 });
    await page.mouse.move(start.x, m.boxBottom + 40, { steps: 4 });
    await expect.poll(async () => (await gridMetrics(page)).scrollTop, { timeout: 10_000 }).toBeGreaterThan(200);
    await page.mouse.up();
    const scrolled = (await gridMetrics(page)).scrollTop;
    // more cells are painted (denied) than the column had rows in view when the drag began
    const startY = (await cellContentY(page, SHAPES, 0, 0x80)).cell;
    const rowsInView = Math.ceil((m.scrollTop + m.height - startY) / m.zoom);
    expect(before - (await allowedCount(page, 0))).toBeGreaterThan(rowsInView + 3);
    // the scroll stops when the drag ends
    expect((await gridMetrics(page)).scrollTop).toBe(scrolled);
    // one undo step takes the whole drag back
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => allowedCount(page, 0)).toBe(before);
  });
});

test.describe('on a phone (390x844, touch)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('a tap toggles one cell; a long press then drag paints a run, as one undo step', async ({ page }) => {
    await openFirstVisit(page);
    await expect(gridSurface(page)).toHaveAttribute('data-cols', '16');
    const before = await allowedCount(page, 0);
    const tsc = await cellPoint(page, SHAPES, 0, 0x10);
    await page.touchscreen.tap(tsc.x, tsc.y);
    await expect.poll(() => allowedCount(page, 0)).toBe(before - 1);
    await expect(gridStatus(page)).toHaveText(/^MSR 0x00000010 IA32_TSC, range 0 bit 16, denied/);
    await page.touchscreen.tap(tsc.x, tsc.y);
    await expect.poll(() => allowedCount(page, 0)).toBe(before);

    // a long press on 0x40 (allowed), held until the paint begins (that cell turns denied), then a drag along the row
    const cdp = await page.context().newCDPSession(page);
    const from = await cellPoint(page, SHAPES, 0, 0x40);
    const to = await cellPoint(page, SHAPES, 0, 0x47);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] });
    await expect.poll(() => allowedCount(page, 0)).toBe(before - 1);
    for (let i = 1; i <= 8; i++) {
      const x = from.x + ((to.x - from.x) * i) / 8;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: from.y }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect.poll(() => allowedCount(page, 0)).toBe(before - 8);
    // the page did not scroll under the painting finger
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => allowedCount(page, 0)).toBe(before);
  });

  test('with "Drag selects", a long press then drag selects a span; Deny denies it', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('radio', { name: 'Drag selects' }).check();
    const before = await allowedCount(page, 0);
    const cdp = await page.context().newCDPSession(page);
    const from = await cellPoint(page, SHAPES, 0, 0x20);
    const to = await cellPoint(page, SHAPES, 0, 0x23);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] });
    const clear = page.getByRole('button', { name: 'Clear selection' });
    await expect(clear).toBeEnabled();
    for (let i = 1; i <= 4; i++) {
      const x = from.x + ((to.x - from.x) * i) / 4;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: from.y }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    // selecting edits nothing
    expect(await allowedCount(page, 0)).toBe(before);
    await page.getByRole('group', { name: 'Apply to the selection' }).getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => allowedCount(page, 0)).toBe(before - 4);
  });

  test('the overview strip moves the grid on a phone (its own scrolling is not under the finger)', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('button', { name: /^Show ranges\[2\]/ }).click();
    await expect.poll(async () => (await gridMetrics(page)).scrollTop).toBeGreaterThan(0);
    const r2 = await cellContentY(page, SHAPES, 2, 0);
    const m = await gridMetrics(page);
    expect(r2.header).toBeGreaterThanOrEqual(m.scrollTop);
    expect(r2.header).toBeLessThan(m.scrollTop + m.height);
    await scrollGridTo(page, 0);
  });
});
