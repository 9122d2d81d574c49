import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openPlayground, policyPanel, savedPanel, shareLinkInAddressBar } from './helpers';

// a real boot: Debian's 6.1 guest under kvm_amd, recorded with oracle/trace/record-boot-trace.sh
const BOOT_TRACE = readFileSync('oracle/trace/fixtures/boot-EPYC.trace', 'utf8');

test('drop a recorded boot, see what the policy denies, save it as tests, learn a policy and open its link', async ({
  page,
  browser,
}) => {
  await openPlayground(page);
  await page.getByRole('tab', { name: 'Lint, optimize, learn' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Lint, optimize, learn' });
  const learn = panel.getByRole('region', { name: 'Learn from a recorded guest' });
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'boot-EPYC.trace', { type: 'text/plain' }));
    return d;
  }, BOOT_TRACE);
  await learn.dispatchEvent('drop', { dataTransfer: dt });
  await expect(learn).toContainText('Read boot-EPYC.trace');
  await expect(learn.getByRole('status')).toContainText(/\d+ recorded accesses \(\d+ distinct\)/);
  // the QEMU preset denies reads of 0x35 (MSR_CORE_THREAD_COUNT); the boot did not read it, so whatever is denied is
  // listed with its verdict
  const denied = learn.getByRole('list', { name: 'Recorded accesses the policy denies' });
  const shown = await denied.getByRole('listitem').count();
  const before = await savedPanel(page).locator('li.saved-row').count();
  if (shown > 0) {
    await learn.getByRole('button', { name: 'Save the denied ones as tests' }).click();
    await expect.poll(() => savedPanel(page).locator('li.saved-row').count()).toBeGreaterThan(before);
  }
  await learn.getByRole('button', { name: 'Use the learned policy' }).click();
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('deny');
  await expect(learn).toContainText('The current policy lets every recorded access through.');
  await expect(page.getByRole('status').filter({ hasText: 'Learned a policy from the recording.' })).toBeVisible();

  // its link opens the same policy elsewhere
  const url = await shareLinkInAddressBar(page);
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await other.goto(url);
  await expect(policyPanel(other).getByLabel('Default action')).toHaveValue('deny');
  await expect(policyPanel(other).getByRole('group', { name: 'ranges[0]' })).toBeVisible();
  await ctx.close();
});

test('lint findings link to the grid, and Optimize shrinks the policy as one undo step', async ({ page }) => {
  await openPlayground(page);
  // a second range that covers what ranges[0] already decides (0x35): shadowed
  await policyPanel(page).getByRole('button', { name: 'Add range' }).click();
  const added = policyPanel(page).getByRole('group', { name: 'ranges[1]' });
  await added.getByLabel('Base').fill('0x35');
  await added.getByLabel('nmsrs').fill('1');
  await page.getByRole('tab', { name: 'Lint, optimize, learn' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Lint, optimize, learn' });
  const finding = panel.getByRole('list', { name: /lint findings?$/ }).locator('li[data-rule="shadowed-range"]');
  await expect(finding).toContainText('ranges[1]');
  await finding
    .getByRole('button', { name: /^ranges\[1\]/ })
    .first()
    .click();
  await expect(page.getByTestId('msr-grid-live')).toContainText('MSR 0x00000035');
  await expect(page.getByRole('application', { name: /MSR bitmap/ })).toBeFocused();
  await expect(panel).toContainText('Now: 2 ranges');
  await panel.getByRole('button', { name: 'Optimize' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Optimized.' })).toBeVisible();
  await expect(policyPanel(page).getByRole('group', { name: 'ranges[1]' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(policyPanel(page).getByRole('group', { name: 'ranges[1]' })).toBeVisible();
});
