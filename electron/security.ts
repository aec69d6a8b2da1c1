/**
 * What both shells (the Electron window and the web mode server) agree on about what the page may
 * load: one Content Security Policy, and the headers that go with it. Plain data and pure functions:
 * no `electron`, no `node:*`, so the web server, the main process and the tests share this file.
 */

/** The CSP of the renderer. `wsPort` adds the web mode's WebSocket to connect-src; the app has none. */
export function contentSecurityPolicy(wsPort?: number): string {
  const connect = wsPort === undefined ? "'self'" : `'self' ws://127.0.0.1:${wsPort} ws://localhost:${wsPort}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every page and asset of the renderer carries, in both shells. */
export function securityHeaders(wsPort?: number): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(wsPort),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
