import { expect, test } from '@playwright/test';
import { fire, openPlayground, openTrace, policyPanel, resultsLog, settingsPanel } from './helpers';

test('RDMSR 0x802 under DEFAULT_DENY: denied by the allow list, exempt (x2APIC) on Linux 6.12', async ({ page }) => {
  await openPlayground(page);
  const policy = policyPanel(page);
  await policy.getByLabel('Default action').selectOption('DEFAULT_DENY');
  await settingsPanel(page).getByLabel('Kernel profile').selectOption('allowlist-v4');
  // the seed series has no default action: the field says so instead of offering one
  await expect(policy.getByLabel('Default action')).toBeDisabled();
  await expect(policy.getByLabel('Default action')).toHaveAccessibleDescription(/has none: with no ranges/);
  let entry = await fire(page, { msr: '0x802' });
  await expect(entry.locator('.log-decision')).toHaveText(/EPERM/);
  await expect(await openTrace(entry)).toContainText('no range covers it: the allow list denies it');

  await settingsPanel(page).getByLabel('Kernel profile').selectOption('linux-6.12');
  await expect(settingsPanel(page)).toContainText('What a current kernel does');
  await expect(policy.getByLabel('Default action')).toBeEnabled();
  entry = await fire(page, { msr: '0x802' });
  await expect(entry.locator('.log-decision')).not.toHaveText(/EPERM/);
  const trace = await openTrace(entry);
  await expect(trace).toContainText('x2APIC MSR (0x800-0x8ff): never filtered');
  await expect(resultsLog(page)).toContainText('new VM: Linux 6.12+ (newest)');
});

test('filter flags 0x2: accepted by Linux 5.10, refused by Linux 6.12', async ({ page }) => {
  await openPlayground(page);
  const policy = policyPanel(page);
  await policy.getByLabel('Filter flags').fill('0x2');
  await expect(policy.getByRole('status')).toHaveText(/would refuse this \(EINVAL\)/);
  await expect(policy.getByRole('status')).toContainText('flags 0x2 has bits outside KVM_MSR_FILTER_VALID_MASK');
  await settingsPanel(page).getByLabel('Kernel profile').selectOption('linux-5.10');
  await expect(policy.getByRole('status')).toHaveText(/Linux 5.10–5.11 accepts this policy/);
});
