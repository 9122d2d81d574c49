import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openPlayground, savedPanel } from './helpers';
import { E2E_KVM_TOKEN } from './token';

test("the saved accesses really run on this machine's /dev/kvm, beside the simulated results", async ({ page }) => {
  test.skip(!existsSync('/dev/kvm'), 'this machine has no /dev/kvm');
  await openPlayground(page, { kvmToken: E2E_KVM_TOKEN });
  // The page keeps the token for this tab and takes it out of the address bar.
  await expect.poll(() => page.url()).not.toContain('token=');
  await expect(savedPanel(page)).toContainText('3 passed, 0 failed of 3');
  await page.getByRole('tab', { name: 'Simulator vs KVM' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Simulator vs KVM' });
  await expect(panel).toContainText('The 3 saved accesses run in order');
  await expect(panel).toContainText(/Kernel: Linux /);
  const run = panel.getByRole('button', { name: "Run on this machine's KVM" });
  await expect(run).toBeEnabled();
  await run.click();
  await expect(panel.getByRole('status')).toHaveText('3 of 3 steps agree', { timeout: 30_000 });
  const table = panel.getByRole('table', { name: /simulated value, then the kernel's/ });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').nth(1)).toContainText('rdmsr 0x00000035');
  await expect(table.getByRole('row').nth(1)).toContainText('eperm');
  await expect(table.getByText('same')).toHaveCount(3);

  // An edit is a new scenario: its results are cleared until it is run again.
  await page.getByRole('button', { name: /^Remove RDMSR 0x00000010/ }).click();
  await expect(panel).toContainText('The 2 saved accesses run in order');
  await expect(table).toBeHidden();
  await run.click();
  await expect(panel.getByRole('status')).toHaveText('2 of 2 steps agree', { timeout: 30_000 });
});

test('the saved accesses run on kvm_amd 6.1 under QEMU where it can, beside the svm simulation; else the reason', async ({
  page,
}) => {
  test.setTimeout(150_000); // the first run on svm-6.1 builds the initramfs and boots the guest (~4 s idle)
  await openPlayground(page, { kvmToken: E2E_KVM_TOKEN });
  await page.getByRole('tab', { name: 'Simulator vs KVM' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Simulator vs KVM' });
  // what the server says about the backend, as the page gets it
  const status = await (
    await page.request.get('/api/kvm/status', { headers: { 'X-Msrfilter-Token': E2E_KVM_TOKEN } })
  ).json();
  const svm = (status.backends as { id: string; available: boolean; reason?: string }[]).find(
    (b) => b.id === 'svm-6.1',
  );
  expect(svm).toBeDefined();
  await panel
    .getByRole('group', { name: 'Kernel to run on' })
    .getByRole('radio', { name: /^kvm_amd 6\.1 under QEMU/ })
    .check();
  await expect(panel).toContainText('The simulator answers for its host model, kvm_amd (SVM), Linux 6.1');
  await expect(panel).toContainText('with the kernel profile Linux 5.19–6.3 (linux-5.19)');
  const run = panel.getByRole('button', { name: 'Run on kvm_amd 6.1 under QEMU' });
  if (!svm?.available) {
    // qemu or the guest kernel is missing here: the plain reason, and nothing to run
    await expect(run).toBeDisabled();
    await expect(panel).toContainText(`Cannot run on kvm_amd 6.1 under QEMU: ${svm?.reason}`);
    return;
  }
  await expect(run).toBeEnabled();
  await run.click();
  await expect(panel.getByRole('status')).toHaveText('3 of 3 steps agree', { timeout: 120_000 });
  const table = panel.getByRole('table', { name: /simulated value, then the kernel's/ });
  await expect(table.getByRole('row').nth(1)).toContainText('rdmsr 0x00000035');
  await expect(table.getByText('same')).toHaveCount(3);
  // the guest stays up: a second run needs no boot
  await page.getByRole('button', { name: /^Remove RDMSR 0x00000010/ }).click();
  await run.click();
  await expect(panel.getByRole('status')).toHaveText('2 of 2 steps agree', { timeout: 30_000 });
});

test('a page opened without the server token is refused by the endpoint, and says so plainly', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('tab', { name: 'Simulator vs KVM' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Simulator vs KVM' });
  await expect(panel).toContainText('The local server refused this page (403: missing or wrong token');
  await expect(panel).toContainText('the one ending in ?token=');
  await expect(panel.getByRole('button', { name: "Run on this machine's KVM" })).toBeDisabled();
});
