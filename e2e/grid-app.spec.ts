import { expect, type Page, test } from '@playwright/test';
import { cellCenter, computeLayout } from '../src/ui/grid/geometry';
import { openPlayground, policyPanel, rangeGroup } from './helpers';

/** The page point of a cell of the playground's grid, from the grid's own geometry and its surface on screen. */
async function cellPoint(page: Page, ranges: { base: number; nmsrs: number }[], range: number, bit: number) {
  const box = await page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="msr-grid-scroll"]');
    const surface = document.querySelector<HTMLElement>('.msr-grid-surface');
    if (!scroller || !surface) throw new Error('no grid');
    const r = surface.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      width: scroller.clientWidth,
      scrollTop: scroller.scrollTop,
      zoom: Number(surface.dataset.zoom ?? 12),
    };
  });
  const layout = computeLayout(ranges, box.zoom, box.width);
  const c = cellCenter(layout, range, bit);
  return { x: box.left + c.x, y: box.top + c.y - box.scrollTop };
}

/** A fresh policy with one 64-MSR READ range at 0x10, every bit denied. */
async function oneDeniedRange(page: Page) {
  await openPlayground(page);
  await policyPanel(page).getByRole('button', { name: 'New empty policy' }).click();
  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  const r = rangeGroup(page, 0);
  await r.getByLabel('Base').fill('0x10');
  await r.getByLabel('nmsrs').fill('64');
  await expect(r).toContainText('(64 MSRs), 0 allowed');
  return r;
}

test('drag-painting in the playground allows the cells; undo takes the whole drag back in one step', async ({
  page,
}) => {
  const r = await oneDeniedRange(page);
  const shape = [{ base: 0x10, nmsrs: 64 }];
  const from = await cellPoint(page, shape, 0, 2);
  const to = await cellPoint(page, shape, 0, 12);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
  await expect(r).toContainText('(64 MSRs), 11 allowed');

  // the painted bits are the ones the engine sees: RDMSR 0x12 (bit 2) is now allowed by ranges[0]
  await page.getByRole('tab', { name: 'Effective policy' }).click();
  await expect(page.getByRole('row').filter({ hasText: '0x00000012' }).first()).toContainText('allow');

  await page.keyboard.press('ControlOrMeta+z');
  await expect(r).toContainText('(64 MSRs), 0 allowed');
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(r).toContainText('(64 MSRs), 11 allowed');
});

test('the keyboard toggles a cell in the playground', async ({ page }) => {
  const r = await oneDeniedRange(page);
  const grid = page.getByRole('application', { name: /MSR bitmap/ });
  await grid.focus();
  await expect(page.getByTestId('msr-grid-live')).toHaveText(/^MSR 0x00000010 IA32_TSC, range 0 bit 0, denied/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('msr-grid-live')).toHaveText(/^MSR 0x00000011 .*range 0 bit 1, allowed/);
  await expect(r).toContainText('(64 MSRs), 1 allowed');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(r).toContainText('(64 MSRs), 0 allowed');
});
