import { expect, test } from '@playwright/test';
import { getPreset } from '../src/ui/presets';
import { storedText } from '../src/ui/share/storage';
import type { PlaygroundDocument } from '../src/ui/state/document';
import { consolePanel, fire, openPlayground, policyPanel, settingsPanel, shareLinkInAddressBar } from './helpers';

// A 57-bit canonical address: canonical only where the host has LA57 (max_host_virt_addr_bits() = 57).
const LA57_ADDRESS = '0x0000800000000000';

test('the host model decides what KVM does, travels in the share link and says how it is known', async ({
  page,
  browser,
}) => {
  await openPlayground(page);
  const host = settingsPanel(page).getByLabel('Host model');
  await expect(host).toHaveValue('pvm-amd');
  await expect(settingsPanel(page)).toContainText('measured: Linux 6.18.44 with kvm_pvm on AMD EPYC');
  // a host write (KVM_SET_MSRS) of LSTAR: KVM checks it is canonical for the host's address width
  let entry = await fire(page, { op: 'WRMSR', msr: 'LSTAR', value: LA57_ADDRESS, host: true });
  await expect(entry.locator('.badge')).toHaveText('ioctl error');

  await host.selectOption('pvm-intel');
  entry = await fire(page, { op: 'WRMSR', msr: 'LSTAR', value: LA57_ADDRESS, host: true });
  await expect(entry.locator('.badge')).toHaveText('written');

  await host.selectOption('vmx');
  await expect(settingsPanel(page)).toContainText('Not measured on a real kernel of this kind');

  // the link carries the host (format v3); opened in a fresh browser it chooses the same one
  await host.selectOption('pvm-intel');
  const url = await shareLinkInAddressBar(page);
  expect(url).toMatch(/#v3\./);
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(url);
  await expect(settingsPanel(fresh).getByLabel('Host model')).toHaveValue('pvm-intel');
  await other.close();
});

test('compare the saved accesses on two hosts: the differing ones first, with the host facts behind them', async ({
  page,
}) => {
  await openPlayground(page);
  const c = consolePanel(page);
  await c.getByRole('radio', { name: 'WRMSR' }).check();
  await c.getByLabel('MSR (index or name)').fill('0x277');
  await c.getByLabel('Value (for WRMSR)').fill('0x0808080808080808');
  await c.getByRole('button', { name: 'Save as test' }).click();
  await page.getByRole('tab', { name: 'Compare A/B' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Compare A/B' });
  await panel.getByRole('radio', { name: 'the saved accesses on two hosts' }).check();
  // only the two hosts to choose: no profile selects or policy-B prompt from the other modes
  await expect(panel.getByLabel('Profile A')).toHaveCount(0);
  await expect(panel).not.toContainText('Take a snapshot');
  await panel.getByLabel('Host A', { exact: true }).selectOption('pvm-amd');
  await panel.getByLabel('Host B', { exact: true }).selectOption('svm');
  await expect(panel.getByRole('list', { name: 'Where the two hosts differ' })).toContainText(
    'IA32_PAT values checked (kvm_pat_valid): no vs yes',
  );
  await expect(panel).toContainText('1 of 4 saved accesses get a different answer.');
  const first = panel.getByRole('row').nth(1);
  await expect(first).toHaveAttribute('data-differs', 'yes');
  await expect(first).toContainText('WRMSR 0x00000277');
  await expect(first.getByRole('cell').nth(1)).toContainText('written');
  await expect(first.getByRole('cell').nth(2)).toContainText('#GP');
  await panel.getByLabel('Host B', { exact: true }).selectOption('pvm-amd');
  await expect(panel).toContainText('All 4 saved accesses get the same answer on both hosts.');
});

test('a link opened over different kept work offers that work back; undo returns to the link', async ({ page }) => {
  await openPlayground(page);
  const other = getPreset('selftest-deny')?.build() as PlaygroundDocument;
  // make a link of another document, then open it over the kept QEMU preset
  await page.evaluate((text) => localStorage.setItem('msr-playground.document', text), storedText(other));
  await page.reload();
  await policyPanel(page).getByLabel('Default action').selectOption('deny');
  const link = await shareLinkInAddressBar(page);
  const qemu = getPreset('qemu-default')?.build() as PlaygroundDocument;
  await page.evaluate((text) => localStorage.setItem('msr-playground.document', text), storedText(qemu));
  await page.goto('about:blank');
  await page.goto(link);
  const notice = page.getByRole('status').filter({ hasText: 'The link replaced the work you had open.' });
  await expect(notice).toContainText('is kept in this browser until another link replaces it');
  await expect(notice).not.toContainText('msr-playground');
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('deny');
  await notice.getByRole('button', { name: 'Restore previous work' }).click();
  await expect(notice).toBeHidden();
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('allow');
  await expect(policyPanel(page)).toContainText('1 of 16');
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('deny');
});
