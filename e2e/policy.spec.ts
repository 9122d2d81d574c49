import { expect, test } from '@playwright/test';
import { fire, openPlayground, openTrace, policyPanel, rangeGroup, savedPanel } from './helpers';

test('build a policy from empty and see allow, EPERM and #GP with their traces', async ({ page }) => {
  await openPlayground(page);
  const policy = policyPanel(page);
  await policy.getByRole('button', { name: 'New empty policy' }).click();
  await expect(policy.getByRole('list', { name: 'Ranges' })).toHaveCount(0);
  await policy.getByRole('button', { name: 'Add range' }).click();
  await rangeGroup(page, 0).getByLabel('Base').fill('IA32_TSC');
  await expect(rangeGroup(page, 0).getByText('IA32_TSC', { exact: true })).toBeVisible();
  await rangeGroup(page, 0).getByLabel('nmsrs').fill('16');
  await policy.getByLabel('Default action').selectOption('DEFAULT_DENY');
  await expect(policy.getByRole('status')).toHaveText(/accepts this policy \(1 range installed\)/);

  // The range's bits are all clear: RDMSR of the TSC is denied by ranges[0].
  let entry = await fire(page, { msr: '0x10' });
  await expect(entry.locator('.log-decision')).toHaveText(/EPERM/);
  await expect(entry).toContainText('ranges[0] bit 0');
  let trace = await openTrace(entry);
  await expect(trace).toContainText('ranges[0] bit 0 (MSR 0x00000010) is 0 → denied');
  await expect(trace).toContainText('KVM_EXIT_X86_RDMSR to user space, reason FILTER');

  // Allow the whole range: the same RDMSR is allowed and KVM returns the TSC.
  await rangeGroup(page, 0).getByRole('button', { name: 'Allow all MSRs of ranges[0]' }).click();
  entry = await fire(page, { msr: 'IA32_TSC' });
  await expect(entry.locator('.log-decision')).toHaveText(/allow/);
  await expect(entry.locator('.log-sentence')).toHaveText(/^The guest reads 0x[0-9a-f]{16}, from KVM\.$/);
  trace = await openTrace(entry);
  await expect(trace).toContainText('is 1 → allowed');
  await expect(trace).toContainText('KVM handles the read');

  // The filter lets a covered MSR KVM does not know through: #GP.
  entry = await fire(page, { msr: '0x1f' });
  await expect(entry.locator('.log-decision')).toHaveText(/#GP/);
  trace = await openTrace(entry);
  await expect(trace).toContainText('KVM refuses the read');

  // An MSR no range covers gets the default action.
  entry = await fire(page, { op: 'WRMSR', msr: '0x12345678', value: '0x1' });
  await expect(entry.locator('.log-decision')).toHaveText(/EPERM/);
  trace = await openTrace(entry);
  await expect(trace).toContainText('default action DEFAULT_DENY → denied');

  // A host access is never filtered.
  entry = await fire(page, { msr: '0x12345678', host: true });
  await expect(entry.locator('.badge')).toHaveText('ioctl error');
  await expect(entry.getByRole('list', { name: 'Path' })).toContainText('filter not consulted (host access)');
});

test('a bad field shows its error, keeps the last good value and the kernel verdict updates as one types', async ({
  page,
}) => {
  await openPlayground(page);
  const base = rangeGroup(page, 0).getByLabel('Base');
  await base.fill('0x35q');
  await expect(base).toHaveAttribute('aria-invalid', 'true');
  await expect(rangeGroup(page, 0)).toContainText('keeping 0x35');
  await expect(policyPanel(page).getByRole('status')).toHaveText(/accepts/);
  await rangeGroup(page, 0).getByLabel('nmsrs').fill('0x3001');
  await expect(policyPanel(page).getByRole('status')).toHaveText(/The kernel would refuse this \(EINVAL\)/);
  await expect(rangeGroup(page, 0)).toContainText('Refused: ranges[0]: nmsrs 12289');
  await rangeGroup(page, 0).getByLabel('nmsrs').fill('0x3000');
  await expect(policyPanel(page).getByRole('status')).toHaveText(/accepts/);
});

test('saved accesses re-run on every edit and show pass or fail', async ({ page }) => {
  await openPlayground(page);
  const saved = savedPanel(page);
  await expect(saved).toContainText('3 passed, 0 failed of 3');
  await rangeGroup(page, 0).getByRole('checkbox', { name: 'READ' }).uncheck();
  await expect(policyPanel(page).getByRole('status')).toHaveText(/flags is 0/);
  await expect(saved).toContainText('The filter was refused (EINVAL)');
  await expect(saved).toContainText('2 passed, 1 failed of 3');
  await expect(saved.locator('.badge-fail')).toHaveCount(1);
  await expect(saved.locator('.badge-fail')).toHaveText(/fail/);
  await rangeGroup(page, 0).getByRole('checkbox', { name: 'READ' }).check();
  await expect(saved).toContainText('3 passed, 0 failed of 3');
});
