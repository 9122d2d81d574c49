import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { openPlayground, policyPanel, rangeGroup, savedPanel, settingsPanel } from './helpers';

const POLICY = {
  format: 'msr-filter/1',
  name: 'imported policy',
  flags: 'DEFAULT_DENY',
  ranges: [
    { flags: 'READ|WRITE', base: '0x10', nmsrs: 8, bitmap: 'ff', comment: 'TSC and friends' },
    { flags: 'WRITE', base: '0xc0000080', nmsrs: 1, bitmap: '01' },
  ],
};

const SCENARIO = {
  format: 'msr-scenario/1',
  name: 'imported scenario',
  profile: 'linux-5.19',
  vcpu: 'linux64',
  exits: ['filter'],
  ignoreMsrs: false,
  filter: POLICY,
  vmm: { read: { data: '0x5' }, write: { error: true } },
  steps: [
    { op: 'rdmsr', index: '0x10' },
    { op: 'rdmsr', index: '0x1b' },
  ],
  expectations: ['allow', 'eperm'],
};

async function scan(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, what).toEqual([]);
}

const importDialog = (page: Page) => page.getByRole('dialog', { name: 'Import' });
const exportDialog = (page: Page) => page.getByRole('dialog', { name: 'Export' });
const ranges = (page: Page) => policyPanel(page).getByRole('group', { name: /^ranges\[\d+\]$/ });

test('import a policy JSON file through the file picker: the policy only, one undo step', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = importDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Or paste JSON or a link')).toBeFocused();
  await dialog.getByLabel('A JSON file').setInputFiles({
    name: 'policy.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(POLICY)),
  });
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: /^Imported the policy "imported policy"/ })).toBeVisible();
  await expect(ranges(page)).toHaveCount(2);
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('deny');
  await expect(rangeGroup(page, 0).getByLabel('Comment')).toHaveValue('TSC and friends');
  await expect(settingsPanel(page).getByLabel('Kernel profile')).toHaveValue('linux-6.12'); // settings unchanged
  await expect(savedPanel(page)).toContainText('of 3'); // saved accesses unchanged

  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(ranges(page)).toHaveCount(1);
  await expect(policyPanel(page).getByLabel('Default action')).toHaveValue('allow');
});

test('paste a scenario, a link or invalid JSON; invalid input changes nothing; drop a file on the page', async ({
  page,
}) => {
  await openPlayground(page);
  await page.keyboard.press('ControlOrMeta+o');
  const dialog = importDialog(page);
  const box = dialog.getByLabel('Or paste JSON or a link');

  const bad = { ...POLICY, ranges: [{ ...POLICY.ranges[0], bitmap: 'fg' }] };
  await box.fill(JSON.stringify(bad));
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Nothing was imported. ranges[0].bitmap: is not a hex string of whole bytes (two hex digits per byte)',
  );
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  await expect(ranges(page)).toHaveCount(1);

  await box.fill(JSON.stringify(SCENARIO));
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(settingsPanel(page).getByLabel('Kernel profile')).toHaveValue('linux-5.19');
  await expect(settingsPanel(page).getByLabel('vCPU model')).toHaveValue('linux64');
  await expect(ranges(page)).toHaveCount(2);
  await expect(savedPanel(page)).toContainText('2 passed, 0 failed of 2');

  // A pasted link: the document it holds.
  await page.getByLabel('Preset').selectOption({ label: 'Selftest deny filter' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(ranges(page)).toHaveCount(6);
  // The link of exactly this document, from the Export dialog (the address bar follows edits a little later).
  await page.getByRole('button', { name: 'Export…' }).click();
  await exportDialog(page).getByRole('tab', { name: 'Link' }).click();
  const linkBox = exportDialog(page).getByRole('textbox', { name: 'Link export' });
  await expect(linkBox).toHaveValue(/#v2\./);
  const selftestLink = await linkBox.inputValue();
  await page.keyboard.press('Escape');
  await expect(exportDialog(page)).toBeHidden();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(ranges(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Import…' }).click();
  await box.fill(selftestLink);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(ranges(page)).toHaveCount(6);
  await expect(savedPanel(page)).toContainText('6 passed, 0 failed of 6');

  // A file dropped anywhere on the page.
  const file = JSON.stringify(POLICY);
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, file);
  await expect(ranges(page)).toHaveCount(2);
  await expect(rangeGroup(page, 0).getByLabel('Comment')).toHaveValue('TSC and friends');
  await expect(savedPanel(page)).toContainText('of 6'); // a policy replaces the policy only
});

test('export C and JSON through the UI: the text, a copy and a download', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPlayground(page);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = exportDialog(page);
  await expect(dialog.getByRole('tab', { name: 'C', exact: true })).toHaveAttribute('aria-selected', 'true');
  const c = await dialog.getByRole('textbox', { name: 'C program export' }).inputValue();
  expect(c).toContain('#include <linux/kvm.h>');
  expect(c).toContain('KVM_X86_SET_MSR_FILTER');
  expect(c).toContain('.base = 0x00000035');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download msr-filter.c' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('msr-filter.c');
  expect(readFileSync(await download.path(), 'utf8')).toBe(c);

  await dialog.getByRole('button', { name: 'Copy C' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'C program copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(c);

  await dialog.getByRole('tab', { name: 'Policy JSON' }).click();
  const json = JSON.parse(await dialog.getByRole('textbox', { name: 'Policy JSON export' }).inputValue());
  expect(json).toMatchObject({
    format: 'msr-filter/1',
    flags: 'DEFAULT_ALLOW',
    ranges: [{ flags: 'READ', base: '0x00000035', nmsrs: 1 }],
  });
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download msr-filter.json' }).click(),
  ]);
  expect(JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'))).toEqual(json);

  await dialog.getByRole('tab', { name: 'Scenario JSON' }).click();
  const scenario = JSON.parse(await dialog.getByRole('textbox', { name: 'Scenario JSON export' }).inputValue());
  expect(scenario).toMatchObject({ format: 'msr-scenario/1', expectations: ['eperm', 'gp', 'allow'] });
  expect(scenario.steps).toHaveLength(3);

  await dialog.getByRole('tab', { name: 'Link' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Link export' })).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/#v2\./);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export…' })).toBeFocused();
});

test('a policy of 17 ranges shows why it cannot be C instead of code', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Import…' }).click();
  const many = {
    format: 'msr-filter/1',
    ranges: Array.from({ length: 17 }, (_, i) => ({ flags: 'READ', base: i * 8, nmsrs: 8, bitmap: '' })),
  };
  await importDialog(page).getByLabel('Or paste JSON or a link').fill(JSON.stringify(many));
  await importDialog(page).getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(exportDialog(page).getByRole('alert')).toContainText(
    'This document cannot be exported as C. ranges[16]: struct kvm_msr_filter has room for 16 ranges',
  );
  await expect(exportDialog(page).getByRole('button', { name: 'Copy C' })).toBeDisabled();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`no axe violations in the import and export dialogs, ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPlayground(page);
    await page.getByRole('button', { name: 'Import…' }).click();
    await importDialog(page).getByLabel('Or paste JSON or a link').fill('{"ranges": 1}');
    await importDialog(page).getByRole('button', { name: 'Import', exact: true }).click();
    await expect(importDialog(page).getByRole('alert')).toBeVisible();
    await scan(page, 'import dialog with an error');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(exportDialog(page).getByRole('textbox')).toBeVisible();
    await scan(page, 'export dialog, C');
    await exportDialog(page).getByRole('tab', { name: 'Link' }).click();
    await scan(page, 'export dialog, link');
  });
}
