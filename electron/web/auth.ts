/**
 * Who may talk to the web mode server. It listens on 127.0.0.1 only, but any local process and any web
 * page open in a browser on the workstation can reach that address, so every request must carry the
 * token printed at start-up (query `token`, or the HttpOnly cookie set when the page was loaded with it),
 * the Host header must name the loopback address (DNS rebinding), and a WebSocket's Origin must be ours
 * (a page elsewhere cannot open a socket with our cookie).
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_COOKIE, TOKEN_PARAM } from '../../shared/transport';

export function newToken(): string {
  return crypto.randomBytes(32).toString('hex');
}

/** Constant-time comparison; hashing first makes both sides the same length whatever was sent. */
export function tokenMatches(candidate: string, token: string): boolean {
  const a = crypto.createHash('sha256').update(candidate, 'utf8').digest();
  const b = crypto.createHash('sha256').update(token, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

/** The value of one cookie in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export type TokenSource = 'query' | 'cookie';

/** Where a valid token came from, or null when the request carries none that matches. */
export function authenticate(req: IncomingMessage, url: URL, token: string): TokenSource | null {
  const fromQuery = url.searchParams.get(TOKEN_PARAM);
  if (fromQuery !== null && tokenMatches(fromQuery, token)) return 'query';
  const fromCookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  if (fromCookie !== null && tokenMatches(fromCookie, token)) return 'cookie';
  return null;
}

/** The cookie that lets the page's own requests and its WebSocket in without the token in every URL. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** A browser always sends Origin on a WebSocket handshake; a missing one is refused too. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}
