import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { fire, openPlayground } from './helpers';

/**
 * The page's Content-Security-Policy (src/node/security-headers.ts): another site cannot frame it (frame-ancestors
 * 'none', X-Frame-Options: DENY), and the page itself runs under the policy without a single violation.
 */

let framer: Server;
let framerBase = '';
let playground = '';

test.beforeAll(async ({ baseURL }) => {
  playground = baseURL ?? '';
  // Another origin (another port): a page that frames the playground, and a plain page to show framing works there.
  framer = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (req.url === '/plain') return res.end('<!doctype html><title>plain</title><h1>A frameable page</h1>');
    const src = req.url === '/control' ? '/plain' : `${playground}/`;
    res.end(`<!doctype html><title>framer</title><iframe id="f" src="${src}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((r) => framer.listen(0, '127.0.0.1', r));
  framerBase = `http://127.0.0.1:${(framer.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((r) => framer.close(() => r())));

/** Records CSP violations (events and console reports) from the first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('__cspViolation', (s: string) => seen.push(s));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (s: string) => void }).__cspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  return seen;
}

test('a page on another origin cannot frame the playground', async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (m) => refusals.push(m.text()));

  // The control: the framing page's harness works (a frameable page shows up in its frame).
  await page.goto(`${framerBase}/control`);
  await expect(page.frameLocator('#f').getByRole('heading', { name: 'A frameable page' })).toBeVisible();

  await page.goto(`${framerBase}/`);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  expect(frame).toBeDefined();
  // Chromium replaces a refused frame with its error page: the playground never loads inside it.
  await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
  await expect(page.frameLocator('#f').getByRole('heading', { name: 'MSR Filter Playground' })).toHaveCount(0);
  await expect
    .poll(() => refusals.join('\n'))
    .toMatch(/(Refused to (display|frame)|Framing) '[^']+' .*frame-ancestors 'none'/);
});

test('the server sends the CSP and X-Frame-Options on the page, its assets and the API', async ({ request }) => {
  const page = await request.get('/');
  const headers = page.headers();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self'(;|$)/); // no 'unsafe-inline', no 'unsafe-eval', no nonce
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(headers['x-frame-options']).toBe('DENY');
  // The built page itself: the policy as a <meta> as well, and no inline script.
  const html = await page.text();
  expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self';/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const asset = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeDefined();
  for (const path of [`/${asset}`, '/api/kvm/status', '/no-such-file']) {
    const r = await request.get(path);
    expect(r.headers()['content-security-policy'], path).toBe(csp);
    expect(r.headers()['x-frame-options'], path).toBe('DENY');
  }
});

test('the playground loads and works without a single CSP violation', async ({ page }) => {
  const violations = await watchViolations(page);
  await openPlayground(page);
  await fire(page, { msr: '0x35' });
  // Lazy chunks and dialogs load under the policy too.
  await page.getByRole('tab', { name: 'Simulator vs KVM' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Simulator vs KVM' })).toContainText('Runs the scenario');
  await page.getByRole('tab', { name: 'MSR reference' }).click();
  await expect(page.getByRole('table', { name: /of \d+ MSRs/ })).toBeVisible();
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'MSR Filter Playground' })).toBeVisible();
  expect(violations).toEqual([]);

  // The control: an inline script is refused, and the watcher sees it.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
  });
  await expect.poll(() => violations.some((v) => /^script-src(-elem)? blocked inline/.test(v))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
});
