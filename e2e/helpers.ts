import { expect, type Locator, type Page } from '@playwright/test';
import { getPreset } from '../src/ui/presets';
import { storedText } from '../src/ui/share/storage';

/**
 * Opens the playground on the QEMU preset, kept in an otherwise clean local storage (as a returning visitor who
 * left it there would); with `kvmToken`, from the URL the server prints (`/?token=…`), which the real-KVM endpoint
 * needs. A first visit, with nothing kept, opens the first-visit document instead: openFirstVisit.
 */
export async function openPlayground(page: Page, opts: { kvmToken?: string } = {}) {
  const qemu = getPreset('qemu-default')?.build();
  if (!qemu) throw new Error('no QEMU preset');
  const kept = storedText(qemu);
  await page.goto('/');
  await page.evaluate((text) => {
    localStorage.clear();
    localStorage.setItem('msr-playground.document', text);
  }, kept);
  await page.goto(opts.kvmToken === undefined ? '/' : `/?token=${encodeURIComponent(opts.kvmToken)}`);
  await expect(page.getByRole('heading', { name: 'MSR Filter Playground' })).toBeVisible();
}

/** A first visit: no link, nothing kept. */
export async function openFirstVisit(page: Page) {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'MSR Filter Playground' })).toBeVisible();
}

export const consolePanel = (page: Page) => page.getByRole('region', { name: 'Guest console' });
export const policyPanel = (page: Page) => page.getByRole('region', { name: 'Policy' });
export const settingsPanel = (page: Page) => page.getByRole('region', { name: 'VM settings' });
export const savedPanel = (page: Page) => page.getByRole('region', { name: 'Saved accesses' });
export const resultsLog = (page: Page) => consolePanel(page).getByRole('list', { name: /Results log/ });
export const rangeGroup = (page: Page, i: number) => policyPanel(page).getByRole('group', { name: `ranges[${i}]` });

/** Fires one access from the console and returns the newest line of the results log. */
export async function fire(
  page: Page,
  access: { op?: 'RDMSR' | 'WRMSR'; msr: string; value?: string; host?: boolean; keyboard?: boolean },
): Promise<Locator> {
  const c = consolePanel(page);
  await c.getByRole('radio', { name: access.op ?? 'RDMSR' }).check();
  await c.getByLabel('MSR (index or name)').fill(access.msr);
  if (access.value !== undefined) await c.getByLabel('Value (for WRMSR)').fill(access.value);
  await c.getByRole('checkbox', { name: /Host access/ }).setChecked(access.host ?? false);
  const log = c.getByRole('list', { name: /Results log/ });
  const before = (await log.count()) ? await log.locator(':scope > li.log-access').count() : 0;
  if (access.keyboard) await c.getByLabel('MSR (index or name)').press('ControlOrMeta+Enter');
  else await c.getByRole('button', { name: 'Fire', exact: true }).click();
  await expect(log.locator(':scope > li.log-access')).toHaveCount(before + 1);
  return log.locator(':scope > li.log-access').first();
}

export async function openTrace(entry: Locator): Promise<Locator> {
  await entry.getByText(/^Trace \(\d+ steps\)$/).click();
  const list = entry.locator('details.trace ol');
  await expect(list).toBeVisible();
  return list;
}

/**
 * Waits until the address bar holds a share link (`#v2.…`, other than `not`) that has stopped changing (it follows
 * edits after a 300 ms pause), and returns the URL.
 */
export async function shareLinkInAddressBar(page: Page, not?: string): Promise<string> {
  await expect.poll(() => page.url()).toMatch(/#v[23]\.[A-Za-z0-9_-]+$/);
  if (not !== undefined) await expect.poll(() => page.url()).not.toBe(not);
  let url = page.url();
  for (;;) {
    await page.waitForTimeout(450);
    if (page.url() === url) return url;
    url = page.url();
  }
}

/** The document kept in local storage (the envelope's `document`), or null. */
export async function keptDocument(page: Page): Promise<Record<string, unknown> | null> {
  return page.evaluate(() => {
    const text = localStorage.getItem('msr-playground.document');
    return text ? (JSON.parse(text).document as Record<string, unknown>) : null;
  });
}
