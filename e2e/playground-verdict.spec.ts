import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { consolePanel, fire, openFirstVisit, openTrace, rangeGroup, savedPanel } from './helpers';
import {
  allowedCount,
  cellPoint,
  expectCellInView,
  gridLive,
  gridMetrics,
  gridStatus,
  gridSurface,
  overlayPixel,
  FIRST_VISIT_SHAPES as SHAPES,
  scrollGridTo,
} from './stage-helpers';

/**
 * Issue 12, items 3 to 5: the verdict first; after Fire the grid shows the deciding cell; every range/bit mention
 * links to the grid; A/D/I and the toolbar act on what the user sees.
 */

const zoomIn = (page: Page) => page.getByRole('button', { name: 'Zoom in' });

/** 24 px cells: the first-visit document is then several times taller than the grid's pane. */
async function bigCells(page: Page) {
  for (let i = 0; i < 5; i++) if (await zoomIn(page).isEnabled()) await zoomIn(page).click();
  await expect(page.getByLabel('Cell size')).toHaveText('24 px');
}

/** The grid has the keyboard focus on a cell: announced by its live region, and on screen. */
async function expectGridFocusOn(page: Page, range: number, bit: number, msr: string) {
  await expect(gridSurface(page)).toBeFocused();
  await expect(gridLive(page)).toHaveText(new RegExp(`^MSR ${msr}\\b.*, range ${range} bit ${bit}, `));
  await expectCellInView(page, SHAPES, range, bit);
}

const pathOf = (entry: Locator) => entry.getByRole('list', { name: 'Path' });

test.describe('at 1280x800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('each result says first what the guest or the VMM saw, then the path, consistent with the trace', async ({
    page,
  }) => {
    await openFirstVisit(page);

    // a denied read that the VMM answers: the guest reads the VMM's value (not "#GP", not "EPERM")
    let entry = await fire(page, { msr: '0x35' });
    await expect(entry.locator('.outcome')).toHaveText('0x0000000000010001');
    await expect(entry.locator('.log-sentence')).toHaveText(
      "The guest reads 0x0000000000010001, from the VMM's reply to the FILTER exit.",
    );
    await expect(pathOf(entry).getByRole('listitem')).toHaveText([
      'filter denied (ranges[0] bit 53)',
      'KVM does not emulate it',
      'exit FILTER',
      'VMM data 0x0000000000010001',
      'decision: EPERM',
    ]);
    let trace = await openTrace(entry);
    await expect(trace).toContainText('ranges[0] bit 53 (MSR 0x00000035) is 0 → denied');
    await expect(trace).toContainText('the VMM answers data = 0x0000000000010001');

    // a denied write the VMM refuses: #GP, and the sentence says who refused it
    entry = await fire(page, { op: 'WRMSR', msr: '0x174', value: '0x10' });
    await expect(entry.locator('.outcome')).toHaveText('#GP');
    await expect(entry.locator('.log-sentence')).toHaveText(
      'The guest takes #GP(0): the VMM answered the FILTER exit with error = 1.',
    );
    await expect(pathOf(entry)).toContainText('VMM error = 1');
    trace = await openTrace(entry);
    await expect(trace).toContainText('the VMM sets error = 1: KVM injects #GP(0)');
    await expect(trace).toContainText('the guest takes #GP(0)');

    // an allowed read KVM handles: the value comes from KVM
    entry = await fire(page, { msr: 'EFER' });
    await expect(entry.locator('.log-sentence')).toHaveText(/^The guest reads 0x[0-9a-f]{16}, from KVM\.$/);
    await expect(pathOf(entry)).toContainText('filter allowed (default action)');
    await expect(pathOf(entry)).toContainText('KVM handles it');

    // a host write KVM refuses: a failed ioctl, never a #GP
    entry = await fire(page, { op: 'WRMSR', msr: '0x12345678', value: '0x1', host: true });
    await expect(entry.locator('.outcome')).toHaveText('ioctl error');
    await expect(entry).not.toContainText('#GP');
    await expect(pathOf(entry)).toContainText('decision: ioctl error');
    await expect(entry.locator('.log-sentence')).toHaveText('KVM_SET_MSRS fails at this MSR: 0 MSRs processed.');
    await expect(pathOf(entry)).toContainText('filter not consulted (host access)');
    trace = await openTrace(entry);
    await expect(trace).toContainText('the ioctl stops at this MSR');
  });

  test('after Fire the grid scrolls to the cell that decided and marks it; the focus stays in the console', async ({
    page,
  }) => {
    await openFirstVisit(page);
    await bigCells(page);
    // the grid scrolled to its end, far from 0x35
    await scrollGridTo(page, 100_000);
    expect((await gridMetrics(page)).scrollTop).toBeGreaterThan(400);

    await fire(page, { msr: '0x35', keyboard: true });
    await expectCellInView(page, SHAPES, 0, 0x35);
    // the grid's focus moved there too (without taking the keyboard focus): the status line says it decided
    await expect(gridStatus(page)).toHaveText(
      'MSR 0x00000035 MSR_CORE_THREAD_COUNT, range 0 bit 53, denied — decided the last access',
    );
    await expect(consolePanel(page).getByLabel('MSR (index or name)')).toBeFocused();
    // the mark: a ring drawn around the cell on the overlay (nothing is drawn there before a fire)
    const c = await cellPoint(page, SHAPES, 0, 0x35);
    const ring = { x: c.x - 12 - 1, y: c.y };
    await expect.poll(async () => (await overlayPixel(page, ring))[3]).toBeGreaterThan(0);

    // the next access is decided in another range: the grid moves there
    await fire(page, { msr: '0xc0010015' });
    await expectCellInView(page, SHAPES, 2, 0x15);
    await expect(gridStatus(page)).toHaveText(/^MSR 0xc0010015 .*range 2 bit 21, allowed — decided the last access$/);
    // hovering another cell names it, and still says which one decided
    await page.mouse.move((await cellPoint(page, SHAPES, 2, 0)).x, (await cellPoint(page, SHAPES, 2, 0)).y);
    await expect(gridStatus(page)).toHaveText(
      /^MSR 0xc0010000 .*range 2 bit 0, denied — last access decided by MSR 0xc0010015 .*range 2 bit 21, allowed$/,
    );
    await page.mouse.move(5, 5);
    await expect.poll(async () => (await overlayPixel(page, ring))[3]).toBe(0);

    // decided by the default action: no cell decided, nothing claimed
    await fire(page, { msr: '0x12345678' });
    await expect(gridStatus(page)).not.toContainText('decided');
  });

  test('range and bit mentions link to the grid: a result, its trace, a saved test, the effective policy', async ({
    page,
  }) => {
    await openFirstVisit(page);
    await bigCells(page);

    // the result's path
    await scrollGridTo(page, 100_000);
    const entry = await fire(page, { msr: '0x35' });
    await scrollGridTo(page, 100_000);
    await pathOf(entry).getByRole('button', { name: 'denied (ranges[0] bit 53)' }).click();
    await expectGridFocusOn(page, 0, 53, '0x00000035');

    // the trace
    await scrollGridTo(page, 100_000);
    const trace = await openTrace(entry);
    await trace.getByRole('button', { name: 'ranges[0] bit 53' }).click();
    await expectGridFocusOn(page, 0, 53, '0x00000035');

    // a saved test's trace: RDMSR 0xc0010000, denied by ranges[2] bit 0
    const row = savedPanel(page).getByRole('listitem').filter({ hasText: 'RDMSR 0xc0010000' });
    const savedTrace = await openTrace(row);
    await savedTrace.getByRole('button', { name: 'ranges[2] bit 0' }).click();
    await expectGridFocusOn(page, 2, 0, '0xc0010000');

    // the effective policy: the range that decides an interval, at the interval's first MSR
    await page.getByRole('tab', { name: 'Effective policy' }).click();
    const reads = page.getByRole('table', { name: 'RDMSR (read)' });
    const interval = reads.getByRole('row').filter({ hasText: '0x00000035' }).first();
    await expect(interval).toContainText('deny');
    await interval.getByRole('button', { name: 'ranges[0]' }).click();
    await expectGridFocusOn(page, 0, 53, '0x00000035');
    // an interval the default action decides is plain text: nothing on the grid to show
    const outside = reads.getByRole('row').filter({ hasText: 'default action' }).first();
    await expect(outside.getByRole('button')).toHaveCount(0);
  });

  test('lint findings name ranges, bits and MSRs as links to the grid', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('tab', { name: 'Lint' }).click();
    const findings = page.getByRole('list', { name: /lint finding/ });
    const sysenter = findings.getByRole('listitem').filter({ hasText: 'SYSENTER_CS' });
    await expect(sysenter).toContainText('info');
    await sysenter.getByRole('button', { name: '0x00000174' }).click();
    await expectGridFocusOn(page, 0, 0x174, '0x00000174');

    // a finding about a range: its "ranges[0]" goes to the bit it is about (the x2APIC block of the selftest filter)
    await page.getByLabel('Preset').selectOption({ label: 'Selftest deny filter' });
    await page.getByRole('button', { name: 'Load preset' }).click();
    const x2apic = findings.getByRole('listitem').filter({ hasText: 'x2APIC' }).first();
    await x2apic.getByRole('button', { name: 'ranges[0]' }).click();
    await expect(gridSurface(page)).toBeFocused();
    await expect(gridLive(page)).toHaveText(/^MSR 0x00000800\b.*, range 0 bit 2048, /);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  test('a compare row links its MSRs to the grid', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('tab', { name: 'Compare A/B' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Compare A/B' });
    await panel.getByRole('button', { name: 'Snapshot current policy as B' }).click();
    await expect(panel).toContainText('No differences');
    await rangeGroup(page, 2).getByRole('button', { name: 'Allow all MSRs of ranges[2]' }).click();
    const table = panel.getByRole('table', { name: /where A and B differ/ });
    await table.getByRole('button', { name: /^0xc0010000/ }).click();
    await expectGridFocusOn(page, 2, 0, '0xc0010000');
  });

  test('a compare paints its differences on the grid while the Compare tab is open', async ({ page }) => {
    await openFirstVisit(page);
    await page.getByRole('tab', { name: 'Compare A/B' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Compare A/B' });
    await panel.getByRole('button', { name: 'Snapshot current policy as B' }).click();
    await expect(panel).toContainText('No differences');
    const legend = page.getByTestId('msr-grid-marks');
    await expect(legend).toHaveCount(0);

    // toggle 0x35 (denied) on the grid: A now allows it where the snapshot B denies it
    const p35 = await cellPoint(page, SHAPES, 0, 0x35);
    const p36 = await cellPoint(page, SHAPES, 0, 0x37);
    const tint = async (p: { x: number; y: number }) => (await overlayPixel(page, { x: p.x, y: p.y }))[3];
    expect(await tint(p35)).toBe(0);
    await page.mouse.click(p35.x, p35.y);
    await expect(legend).toHaveText('Differs between A and B (1 span)');
    await page.mouse.move(5, 5);
    // the differing cell is outlined and tinted; its unchanged neighbour two cells on is not
    await expect.poll(() => tint(p35)).toBeGreaterThan(0);
    expect(await tint(p36)).toBe(0);
    await expect(panel.getByRole('table', { name: /where A and B differ/ })).toContainText('0x00000035');

    // another tab: the grid shows the policy alone again
    await page.getByRole('tab', { name: 'Effective policy' }).click();
    await expect(legend).toHaveCount(0);
    await expect.poll(() => tint(p35)).toBe(0);
  });

  test('the selection bug: after a jump to another range, D denies the MSR in view, not the old selection', async ({
    page,
  }) => {
    await openFirstVisit(page);
    const low = await allowedCount(page, 0);
    const amd = await allowedCount(page, 2);

    // select 0x10..0x13 (allowed) in ranges[0], from the keyboard
    await page.getByLabel('Jump to MSR').fill('0x10');
    await page.getByRole('button', { name: 'Go' }).click();
    await expect(gridSurface(page)).toBeFocused();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect(gridLive(page)).toContainText('4 MSRs');
    const clear = page.getByRole('button', { name: 'Clear selection' });
    await expect(clear).toBeEnabled();

    // jump to an MSR of ranges[2] (allowed), then press D
    await page.getByLabel('Jump to MSR').fill('0xc0010010');
    await page.getByRole('button', { name: 'Go' }).click();
    await expectGridFocusOn(page, 2, 16, '0xc0010010');
    await expect(clear).toBeDisabled();
    await page.keyboard.press('d');
    await expect(gridLive(page)).toHaveText(/^MSR 0xc0010010\b.*range 2 bit 16, denied/);
    await expect.poll(() => allowedCount(page, 2)).toBe(amd - 1);
    // the old, off-screen selection is untouched
    expect(await allowedCount(page, 0)).toBe(low);

    // the same through a link and the toolbar: select in ranges[0], follow a link into ranges[2], click Deny
    await page.getByLabel('Jump to MSR').fill('0x20');
    await page.getByRole('button', { name: 'Go' }).click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect(clear).toBeEnabled();
    const row = savedPanel(page).getByRole('listitem').filter({ hasText: 'RDMSR 0xc0010000' });
    const savedTrace = await openTrace(row);
    await savedTrace.getByRole('button', { name: 'ranges[2] bit 0' }).click();
    await expectGridFocusOn(page, 2, 0, '0xc0010000');
    await page.getByRole('group', { name: 'Apply to the focused MSR' }).getByRole('button', { name: 'Invert' }).click();
    await expect.poll(() => allowedCount(page, 2)).toBe(amd);
    expect(await allowedCount(page, 0)).toBe(low);

    // a jump inside the selection keeps it: D then denies the whole span
    await page.getByLabel('Jump to MSR').fill('0x40');
    await page.getByRole('button', { name: 'Go' }).click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.getByLabel('Jump to MSR').fill('0x42');
    await page.getByRole('button', { name: 'Go' }).click();
    await expect(clear).toBeEnabled();
    await page.keyboard.press('d');
    await expect.poll(() => allowedCount(page, 0)).toBe(low - 4);
  });
});

test.describe('on a phone (390x844, touch)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('a link in a result below the grid brings the grid back on screen, focused on the cell', async ({ page }) => {
    await openFirstVisit(page);
    const entry = await fire(page, { msr: '0xc0010015' });
    const link = pathOf(entry).getByRole('button', { name: 'allowed (ranges[2] bit 21)' });
    await link.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expect(gridSurface(page)).not.toBeInViewport();
    await link.tap();
    await expect(gridSurface(page)).toBeInViewport();
    await expectGridFocusOn(page, 2, 21, '0xc0010015');
  });
});
