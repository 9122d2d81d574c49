/**
 * Saved accesses at scale: a document with the share link's maximum of 10,000 saved accesses opens, takes edits and
 * re-runs them all, as a 100-access one does. For each document: the time from an edit (kvm.ignore_msrs toggled, which
 * re-runs every access) to the next frame after the count has changed, median of 5. The numbers go to
 * test-results/saved-perf.json for `npm run bench`; this test asserts only what the page shows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { getPreset } from '../src/ui/presets';
import { storedText } from '../src/ui/share/storage';
import { newSavedId, type PlaygroundDocument } from '../src/ui/state/document';
import { savedPanel, settingsPanel } from './helpers';

function documentWith(n: number): PlaygroundDocument {
  const qemu = getPreset('qemu-default')?.build() as PlaygroundDocument;
  // 0x12345678 is unknown to KVM: #GP, and with ignore_msrs a read of 0 (allow), so each toggle changes every verdict
  const saved = Array.from({ length: n }, () => ({
    id: newSavedId(),
    op: 'rdmsr' as const,
    index: 0x1234_5678,
    value: 0n,
    host: false,
    expect: 'gp' as const,
  }));
  return { ...qemu, saved };
}

async function editLatencies(page: Page, n: number): Promise<number[]> {
  await page.goto('/');
  await page.evaluate(
    (text) => {
      localStorage.clear();
      localStorage.setItem('msr-playground.document', text);
    },
    storedText(documentWith(n)),
  );
  await page.goto('/');
  const saved = savedPanel(page);
  await expect(saved).toContainText(`${n} passed, 0 failed of ${n}`, { timeout: 30_000 });
  const box = settingsPanel(page).getByRole('checkbox', { name: /kvm.ignore_msrs/ });
  const out: number[] = [];
  for (let i = 0; i < 6; i++) {
    const want = i % 2 === 0 ? `0 passed, ${n} failed of ${n}` : `${n} passed, 0 failed of ${n}`;
    const ms = await box.evaluate(
      (el, text) =>
        new Promise<number>((resolve) => {
          const status = document.querySelector('section.saved [role="status"]');
          const t0 = performance.now();
          (el as HTMLInputElement).click();
          const poll = () => {
            if (status?.textContent === text) requestAnimationFrame(() => resolve(performance.now() - t0));
            else requestAnimationFrame(poll);
          };
          poll();
        }),
      want,
    );
    await expect(saved).toContainText(want);
    if (i > 0) out.push(ms); // the first edit also loads code
  }
  return out;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

test('10,000 saved accesses open, re-run on every edit and draw a page at a time; latencies go to test-results/saved-perf.json', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const small = await editLatencies(page, 100);
  const large = await editLatencies(page, 10_000);
  await expect(savedPanel(page).locator('li.saved-row')).toHaveCount(50);
  await expect(savedPanel(page)).toContainText('Showing 50 of 10000.');
  const out = {
    small: { accesses: 100, medianMs: median(small) },
    large: { accesses: 10_000, medianMs: median(large) },
  };
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', 'saved-perf.json'), JSON.stringify(out, null, 2));
});
