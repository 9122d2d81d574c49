import { expect, type Page } from '@playwright/test';
import { firstVisitDocument } from '../src/ui/first-visit';
import { cellCenter, computeLayout, type RangeShape } from '../src/ui/grid/geometry';

/** The shapes of the first-visit document's ranges (what a first visit draws on the grid). */
export const FIRST_VISIT_SHAPES: RangeShape[] = firstVisitDocument().policy.ranges.map((r) => ({
  base: r.base,
  nmsrs: r.nmsrs,
}));

export const gridSurface = (page: Page) => page.getByRole('application', { name: /MSR bitmap/ });
export const gridScroller = (page: Page) => page.getByTestId('msr-grid-scroll');
export const gridLive = (page: Page) => page.getByTestId('msr-grid-live');
export const gridStatus = (page: Page) => page.getByTestId('msr-grid-status');

export interface GridMetrics {
  left: number;
  top: number;
  width: number;
  height: number;
  scrollTop: number;
  /** The scroller's box on the page (client coordinates). */
  boxTop: number;
  boxBottom: number;
  zoom: number;
  cols: number;
}

export async function gridMetrics(page: Page): Promise<GridMetrics> {
  // the grid loads in its own chunk, right after the first paint
  await gridSurface(page).waitFor();
  return page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="msr-grid-scroll"]');
    const surface = document.querySelector<HTMLElement>('.msr-grid-surface');
    if (!scroller || !surface) throw new Error('no grid');
    const r = surface.getBoundingClientRect();
    const b = scroller.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      width: scroller.clientWidth,
      height: scroller.clientHeight,
      scrollTop: scroller.scrollTop,
      boxTop: b.top,
      boxBottom: b.top + scroller.clientHeight,
      zoom: Number(surface.dataset.zoom ?? 12),
      cols: Number(surface.dataset.cols ?? 32),
    };
  });
}

/**
 * The client point of a cell of the playground's grid (from the grid's own geometry, its column count and its
 * surface on screen), at the grid's current scroll position. `collapsed`: the ranges shown as a header only.
 */
export async function cellPoint(
  page: Page,
  shapes: readonly RangeShape[],
  range: number,
  bit: number,
  collapsed?: ReadonlySet<number>,
) {
  const m = await gridMetrics(page);
  const layout = computeLayout(shapes, m.zoom, m.width, { cols: m.cols, collapsed });
  const c = cellCenter(layout, range, bit);
  return { x: m.left + c.x, y: m.top + c.y - m.scrollTop };
}

/** The content y (from the top of the grid's scrolled content) of a cell's row, and of its range's header. */
export async function cellContentY(page: Page, shapes: readonly RangeShape[], range: number, bit: number) {
  const m = await gridMetrics(page);
  const layout = computeLayout(shapes, m.zoom, m.width, { cols: m.cols });
  return { cell: cellCenter(layout, range, bit).y, header: layout.bands[range].top, metrics: m };
}

/** Waits until the grid's scroll position shows a cell (its row inside the scroller's visible height). */
export async function expectCellInView(page: Page, shapes: readonly RangeShape[], range: number, bit: number) {
  await expect
    .poll(async () => {
      const { cell, metrics } = await cellContentY(page, shapes, range, bit);
      return cell >= metrics.scrollTop && cell <= metrics.scrollTop + metrics.height;
    })
    .toBe(true);
}

/** Scrolls the grid's own scroller to a content y (as a wheel or the scroll bar would). */
export async function scrollGridTo(page: Page, top: number) {
  await gridScroller(page).evaluate((el, t) => {
    el.scrollTop = t;
  }, top);
}

/** The RGBA of the overlay canvas (focus, selection, the decided cell) at a client point. */
export async function overlayPixel(page: Page, p: { x: number; y: number }): Promise<number[]> {
  return page.evaluate(({ x, y }) => {
    const canvas = document.querySelector('canvas.msr-grid-overlay') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const scale = canvas.width / r.width;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const d = ctx.getImageData(Math.floor((x - r.left) * scale), Math.floor((y - r.top) * scale), 1, 1).data;
    return [d[0], d[1], d[2], d[3]];
  }, p);
}

/** The policy editor's summary line of a range: "MSRs 0x0–0x1ff (512 MSRs), 507 allowed". */
export const rangeSummary = (page: Page, i: number) =>
  page
    .getByRole('region', { name: 'Policy' })
    .getByRole('group', { name: `ranges[${i}]` })
    .locator('.range-summary');

/** How many MSRs of range i are allowed, from the policy editor's summary. */
export async function allowedCount(page: Page, i: number): Promise<number> {
  const text = (await rangeSummary(page, i).textContent()) ?? '';
  const m = /(\d+) allowed/.exec(text);
  if (!m) throw new Error(`no allowed count in "${text}"`);
  return Number(m[1]);
}
