/**
 * Vite plugin: the playground's Content-Security-Policy and anti-framing headers, on `vite` (dev) and `vite preview`,
 * and the same policy as a <meta> in the built index.html (for a static host that sets no headers).
 *
 * The policy (built page and preview, strict): scripts only from the page's own origin (no inline script, no eval),
 * styles only from files, no plugins, no <base>, no forms, connections only to the page's own origin (the /api/kvm
 * endpoint), and `frame-ancestors 'none'` with `X-Frame-Options: DENY` so that no other site can frame the page and
 * drive it. A <meta> CSP cannot carry frame-ancestors (browsers ignore it there), so framing is refused only where
 * the headers are sent: the dev and preview servers here, or a static host configured to send them.
 *
 * The dev server is the one exception: @vitejs/plugin-react injects an inline React Refresh preamble and Vite's client
 * injects CSS as <style> elements. Both get a nonce (Vite's html.cspNonce), made at server start, and the dev policy
 * allows that nonce for scripts and styles; it is otherwise the same policy (no 'unsafe-inline', no 'unsafe-eval').
 */
import { randomBytes } from 'node:crypto';
import type { Connect, Plugin } from 'vite';

export interface PolicyOptions {
  /** The dev server's nonce for its inline React Refresh preamble and injected <style> elements. */
  nonce?: string;
  /** For the <meta> form: directives a <meta> CSP cannot carry are left out. */
  meta?: boolean;
}

/** The Content-Security-Policy value. */
export function contentSecurityPolicy(opts: PolicyOptions = {}): string {
  const nonce = opts.nonce ? ` 'nonce-${opts.nonce}'` : '';
  const directives = [
    "default-src 'none'",
    `script-src 'self'${nonce}`,
    `style-src 'self'${nonce}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(opts.meta ? [] : ["frame-ancestors 'none'"]),
  ];
  return directives.join('; ');
}

/** Every response's security headers. */
export function securityHeaders(opts: PolicyOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(opts),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // The server's ?token= must not leave in a Referer (the page also removes it from the address bar at once).
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** Connect middleware that sets the headers on every response (HTML, assets, the API, 404s). */
export function securityHeadersMiddleware(headers: Record<string, string>): Connect.NextHandleFunction {
  return (_req, res, next) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The built page's <meta> CSP and referrer policy, right after <meta charset> (before any script: a <meta> CSP covers
 * only what follows it).
 */
export function withPolicyMeta(html: string): string {
  const tags =
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy({ meta: true }))}" />\n` +
    '    <meta name="referrer" content="no-referrer" />';
  const charset = /<meta\s+charset=[^>]*>/i.exec(html);
  if (charset) return html.replace(charset[0], `${charset[0]}\n    ${tags}`);
  return html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${tags}`);
}

export function securityHeadersPlugin(): Plugin {
  let nonce: string | undefined;
  return {
    name: 'msrfilter-security-headers',
    config(_config, env) {
      // Dev server only (not `vite preview`, not the build): Vite puts this nonce on the tags it injects.
      if (env.command !== 'serve' || env.isPreview) return;
      nonce = randomBytes(18).toString('base64url');
      return { html: { cspNonce: nonce } };
    },
    configureServer(server) {
      server.middlewares.use(securityHeadersMiddleware(securityHeaders({ nonce })));
    },
    configurePreviewServer(server) {
      server.middlewares.use(securityHeadersMiddleware(securityHeaders()));
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.server) return; // the dev server sends the header (with its nonce); no <meta> there
        return withPolicyMeta(html);
      },
    },
  };
}
