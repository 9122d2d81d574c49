// @vitest-environment node
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders, securityHeadersPlugin, withPolicyMeta } from './security-headers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the Content-Security-Policy', () => {
  it('allows no inline script, no eval and no framing', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce/);
    expect(securityHeaders()['X-Frame-Options']).toBe('DENY');
  });

  it('leaves frame-ancestors out of the <meta> form (browsers ignore it there) and puts it before any script', () => {
    const html = withPolicyMeta(
      '<!doctype html><html><head>\n<meta charset="UTF-8" />\n<script type="module" src="./a.js"></script></head></html>',
    );
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/.exec(html);
    expect(meta?.[1]).toBe(contentSecurityPolicy({ meta: true }));
    expect(meta?.[1]).not.toContain('frame-ancestors');
    expect(html.indexOf('<meta charset')).toBeLessThan(html.indexOf('Content-Security-Policy'));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(withPolicyMeta('<html><head><title>x</title></head></html>')).toMatch(/<head>\n\s+<meta http-equiv/);
  });

  it("on the dev server: React Refresh's inline preamble carries the nonce the header allows, and nothing else is inline", async () => {
    const vite = await createServer({
      root: ROOT,
      configFile: false,
      logLevel: 'silent',
      plugins: [securityHeadersPlugin(), react()],
      server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false },
    });
    await vite.listen();
    try {
      const { port } = (vite.httpServer?.address() ?? {}) as AddressInfo;
      const r = await fetch(`http://127.0.0.1:${port}/`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(csp).toContain("frame-ancestors 'none'");
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9_-]{24})';/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      const html = await r.text();
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
      expect(inline.length).toBeGreaterThan(0); // the preamble
      for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
      expect(html).not.toContain('http-equiv="Content-Security-Policy"'); // the header alone, with its nonce
      const asset = await fetch(`http://127.0.0.1:${port}/src/ui/main.tsx`);
      expect(asset.headers.get('content-security-policy')).toBe(csp);
    } finally {
      await vite.close();
    }
  });
});
