import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { fire, openPlayground, openTrace } from './helpers';

async function scan(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `${what}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no axe violations in any main view, ${scheme} theme`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await openPlayground(page);
    const entry = await fire(page, { msr: '0x35' });
    await openTrace(entry);
    await fire(page, { op: 'WRMSR', msr: '0x12345678', value: '0x1' });
    await scan(page, 'workspace with the effective policy');

    await page.getByRole('tab', { name: 'Compare A/B' }).click();
    await page.getByRole('button', { name: 'Snapshot current policy as B' }).click();
    await page.getByRole('button', { name: 'Allow all MSRs of ranges[0]' }).click();
    await expect(page.getByRole('table', { name: /where A and B differ/ })).toBeVisible();
    await scan(page, 'compare');

    await page.getByRole('radio', { name: 'the saved accesses on two hosts' }).check();
    await expect(page.getByRole('list', { name: 'Where the two hosts differ' })).toBeVisible();
    await scan(page, 'compare on two hosts');

    await page.getByRole('tab', { name: 'Lint, optimize, learn' }).click();
    await page
      .getByLabel(/Trace \(paste or drop a file\)/)
      .fill('CPU 0/KVM-1 [000] 1.000001: kvm_msr: msr_read 35 = 0x10001\nnot a trace line');
    await expect(page.getByRole('list', { name: 'Malformed lines' })).toBeVisible();
    await scan(page, 'lint, optimize, learn');

    await page.getByRole('tab', { name: 'MSR reference' }).click();
    await expect(page.getByRole('table', { name: /of \d+ MSRs/ })).toBeVisible();
    await scan(page, 'MSR reference');

    await page.getByLabel('Base').first().fill('bad');
    await page.getByLabel('nmsrs').first().fill('0x3001');
    await scan(page, 'a refused policy with a field error');

    await page.keyboard.press('ControlOrMeta+k');
    await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible();
    await scan(page, 'command palette');
  });
}

test('no axe violations on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await openPlayground(page);
  await scan(page, 'phone');
});
