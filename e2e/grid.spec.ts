import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import type { HarnessApi } from '../src/ui/grid/GridHarness';

/** The grid harness (src/ui/grid/GridHarness.tsx): the grid alone with its own state, exposed on window. */
async function openHarness(page: Page, query: string) {
  await page.goto(`/?grid-harness&${query}`);
  await page.waitForFunction(() => window.__gridHarness?.perf.firstPaintEnd != null);
  return page.getByRole('application', { name: /MSR bitmap/ });
}

const cell = (page: Page, range: number, bit: number) =>
  page.evaluate(([r, b]) => (window.__gridHarness as HarnessApi).cellPoint(r, b), [range, bit] as const);
const bit = (page: Page, range: number, b: number) =>
  page.evaluate(([r, i]) => (window.__gridHarness as HarnessApi).bit(r, i), [range, b] as const);
const allowedIn = (page: Page, range: number, from: number, to: number) =>
  page.evaluate(([r, f, t]) => (window.__gridHarness as HarnessApi).countAllowed(r, f, t), [range, from, to] as const);

/** RGBA of the base canvas at a client point. */
async function pixel(page: Page, p: { x: number; y: number }) {
  return page.evaluate(({ x, y }) => {
    const canvas = document.querySelector('canvas.msr-grid-base') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const scale = canvas.width / r.width;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const d = ctx.getImageData(Math.floor((x - r.left) * scale), Math.floor((y - r.top) * scale), 1, 1).data;
    return [d[0], d[1], d[2]];
  }, p);
}

test('drag paints a run of cells, as one gesture, and the canvas shows it', async ({ page }) => {
  const grid = await openHarness(page, 'ranges=3&fill=deny&zoom=12');
  await expect(grid).toBeVisible();
  const start = await cell(page, 0, 2);
  const end = await cell(page, 0, 22);
  const mid = await cell(page, 0, 12);
  const before = await pixel(page, mid);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 12 });
  await page.mouse.up();
  expect(await allowedIn(page, 0, 0, 0x3000)).toBe(21);
  expect(await allowedIn(page, 0, 2, 23)).toBe(21);
  await expect(page.getByTestId('harness-state')).toHaveAttribute('data-gestures', '1/1');
  const after = await pixel(page, mid);
  expect(after).not.toEqual(before);
  // the allowed fill is the --grid-allow colour
  const allow = await page.evaluate(() => {
    const s = document.createElement('span');
    s.style.color = 'var(--grid-allow)';
    document.body.append(s);
    const c = getComputedStyle(s).color;
    s.remove();
    return c;
  });
  expect(`rgb(${after.join(', ')})`).toBe(allow);

  // a second drag that starts on an allowed cell denies
  const a = await cell(page, 0, 10);
  const b = await cell(page, 0, 14);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
  expect(await allowedIn(page, 0, 2, 23)).toBe(16);
  expect(await bit(page, 0, 9)).toBe(true);
  expect(await bit(page, 0, 15)).toBe(true);
});

test('the keyboard moves, toggles and announces; the grid is one tab stop', async ({ page }) => {
  const grid = await openHarness(page, 'ranges=2&fill=deny&zoom=10');
  // the grid follows the overview strip in tab order
  await page.getByRole('button', { name: 'Collapse ranges[1]' }).focus();
  await page.keyboard.press('Tab');
  await expect(grid).toBeFocused();
  const live = page.getByTestId('msr-grid-live');
  await expect(live).toHaveText('MSR 0x00000000 IA32_P5_MC_ADDR, range 0 bit 0, denied');
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  await expect(live).toHaveText('MSR 0x00000010 IA32_TSC, range 0 bit 16, denied');
  await page.keyboard.press('Space');
  await expect(live).toHaveText('MSR 0x00000010 IA32_TSC, range 0 bit 16, allowed');
  expect(await bit(page, 0, 16)).toBe(true);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await expect(live).toContainText('range 0 bit');
  await page.keyboard.press('Control+End');
  await expect(live).toHaveText(/range 1 bit 12287, denied$/);
  await page.keyboard.press('Control+Home');
  await expect(live).toHaveText(/range 0 bit 0, denied$/);
  // the focused cell is scrolled into view by PageDown
  const scroller = page.getByTestId('msr-grid-scroll');
  for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
  expect(await scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  // one tab stop: Tab leaves the grid
  await page.keyboard.press('Tab');
  await expect(grid).not.toBeFocused();
  await expect(page.locator('.msr-grid canvas:focus')).toHaveCount(0);
});

test('Shift+drag selects a span; Invert and the I key flip it', async ({ page }) => {
  await openHarness(page, 'ranges=2&fill=deny&zoom=12');
  const a = await cell(page, 0, 3);
  const b = await cell(page, 0, 40);
  await page.keyboard.down('Shift');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  expect(await page.evaluate(() => (window.__gridHarness as HarnessApi).selection)).toEqual({
    range: 0,
    from: 3,
    to: 41,
  });
  expect(await allowedIn(page, 0, 0, 0x3000)).toBe(0);
  await expect(page.getByTestId('msr-grid-live')).toContainText('selected 38 MSRs 0x00000003–0x00000028');
  await page.getByRole('button', { name: 'Invert' }).click();
  expect(await allowedIn(page, 0, 3, 41)).toBe(38);
  expect(await allowedIn(page, 0, 0, 0x3000)).toBe(38);
  await page.getByRole('application').focus();
  await page.keyboard.press('i');
  expect(await allowedIn(page, 0, 0, 0x3000)).toBe(0);
  await page.keyboard.press('a');
  expect(await allowedIn(page, 0, 3, 41)).toBe(38);
  await expect(page.getByTestId('harness-state')).toHaveAttribute('data-gestures', '3/3');
});

test('jumps to an MSR by name, by index and through the jumpTo prop', async ({ page }) => {
  const grid = await openHarness(page, 'zoom=8');
  const live = page.getByTestId('msr-grid-live');
  const scroller = page.getByTestId('msr-grid-scroll');
  await page.getByLabel('Jump to MSR').fill('IA32_EFER');
  await page.getByLabel('Jump to MSR').press('Enter');
  await expect(grid).toBeFocused();
  await expect(live).toHaveText(/^MSR 0xc0000080 IA32_EFER, range 8 bit 128, (allowed|denied)$/);
  expect(await page.evaluate(() => (window.__gridHarness as HarnessApi).focus)).toEqual({
    range: 8,
    bit: 128,
    index: 0xc000_0080,
  });
  expect(await scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
  expect((await cell(page, 8, 128)).visible).toBe(true);

  await page.getByLabel('Jump to MSR').fill('0x35');
  await page.getByLabel('Jump to MSR').press('Enter');
  await expect(live).toHaveText(/^MSR 0x00000035\b.*, range 0 bit 53, /);
  expect((await cell(page, 0, 53)).visible).toBe(true);

  await page.getByLabel('Jump to MSR').fill('NOPE');
  await page.getByLabel('Jump to MSR').press('Enter');
  await expect(page.getByRole('alert')).toHaveText('No MSR is called "NOPE".');

  await page.getByLabel('Jump to MSR').fill('0x40000000');
  await page.getByLabel('Jump to MSR').press('Enter');
  await expect(page.getByRole('alert')).toHaveText(/MSR 0x40000000 .*is not in any range\./);

  await page.getByRole('button', { name: 'Jump to IA32_TSC (prop)' }).click();
  await expect(grid).toBeFocused();
  await expect(live).toHaveText(/^MSR 0x00000010 IA32_TSC, range 0 bit 16/);
});

test('zooms with the buttons and Ctrl+wheel, keeping the cell under the pointer in place', async ({ page }) => {
  const grid = await openHarness(page, 'ranges=4&zoom=8');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(grid).toHaveAttribute('data-zoom', '10');
  await expect(page.getByLabel('Cell size')).toHaveText('10 px');
  // scroll deep into range 0, then zoom around a cell in the middle of the view
  await page.getByLabel('Jump to MSR').fill('0x1000');
  await page.getByLabel('Jump to MSR').press('Enter');
  const before = await cell(page, 0, 0x1000);
  expect(before.visible).toBe(true);
  await page.mouse.move(before.x, before.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -120);
  await page.keyboard.up('Control');
  await expect(grid).toHaveAttribute('data-zoom', '12');
  const after = await cell(page, 0, 0x1000);
  expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(12);
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await expect(grid).toHaveAttribute('data-zoom', '8');
  // the focused cell (0x1000, from the jump) stays in view across button zooms
  expect((await cell(page, 0, 0x1000)).visible).toBe(true);
});

test('the decided cell is highlighted and hover names the MSR', async ({ page }) => {
  await openHarness(page, 'ranges=2&fill=deny&zoom=16');
  const p = await cell(page, 0, 0x10);
  await page.mouse.move(p.x, p.y);
  await expect(page.getByTestId('msr-grid-status')).toContainText('MSR 0x00000010 IA32_TSC, range 0 bit 16, denied');
  await expect(page.locator('.msr-grid-tooltip')).toHaveText('0x00000010 IA32_TSC · denied · ranges[0] bit 16');
  await page.getByRole('button', { name: 'Mark 0x10 as decided' }).click();
  await expect(page.getByTestId('msr-grid-status')).toContainText('last access decided by MSR 0x00000010 IA32_TSC');
  // marking the cell scrolls the grid to it: measure it again, then the overlay draws a ring in --grid-decided round it
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const q = await cell(page, 0, 0x10);
  expect(q.visible).toBe(true);
  const ring = await page.evaluate(({ x, y }) => {
    const canvas = document.querySelector('canvas.msr-grid-overlay') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const s = canvas.width / r.width;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const d = ctx.getImageData(Math.round((x - r.left - 8 - 1.5) * s), Math.round((y - r.top) * s), 1, 1).data;
    return d[3];
  }, q);
  expect(ring).toBeGreaterThan(0);
});

test('follows the colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openHarness(page, 'ranges=1&fill=deny&zoom=8');
  // a background pixel: the right margin of the canvas, below the header
  const gutter = () =>
    page.evaluate(() => {
      const canvas = document.querySelector('canvas.msr-grid-base') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const d = ctx.getImageData(canvas.width - 2, Math.round(canvas.height / 2), 1, 1).data;
      return [d[0], d[1], d[2]];
    });
  const light = await gutter();
  expect(light[0]).toBeGreaterThan(200);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(gutter).not.toEqual(light);
  expect((await gutter())[0]).toBeLessThan(60);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`no axe violations on the grid, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openHarness(page, 'ranges=3&zoom=10');
    await page.getByLabel('Jump to MSR').fill('nope');
    await page.getByLabel('Jump to MSR').press('Enter');
    const p = await cell(page, 0, 5);
    await page.mouse.move(p.x, p.y);
    await page.getByRole('application').focus();
    await page.keyboard.press('Shift+ArrowRight');
    const results = await new AxeBuilder({ page }).analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(summary).toEqual([]);
  });
}
