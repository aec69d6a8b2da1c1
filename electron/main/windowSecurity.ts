/**
 * The window's security, as pure functions and installers over structural types, so tests run them
 * without the Electron binary. The page is attacker-adjacent (it renders log fields someone else
 * wrote), so it gets no Node, a sandbox, no navigation, no new windows, no permissions, and no
 * network at all: the only URLs it may load are the renderer's own files (the app is for air-gapped
 * machines, and a request out would also be a way to exfiltrate evidence).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import { securityHeaders } from '../security';

/** Where the built renderer is: its folder (absolute) and the file: URL of its index.html. */
export interface RendererLocation {
  readonly dir: string;
  readonly indexUrl: string;
}

export function rendererLocation(appPath: string): RendererLocation {
  const dir = path.resolve(appPath, 'dist-renderer');
  return { dir, indexUrl: pathToFileURL(path.join(dir, 'index.html')).href };
}

export function windowOptions(preloadPath: string, dev = false): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Cairn',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: dev,
    },
  };
}

function filePath(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    if (e instanceof TypeError) return null; // not a URL at all
    throw e;
  }
  if (u.protocol !== 'file:' || u.host !== '') return null;
  return path.resolve(fileURLToPath(u));
}

/** Only a reload of our own index.html (with any hash or query) is a navigation we allow. */
export function isAllowedNavigation(url: string, loc: RendererLocation): boolean {
  const p = filePath(url);
  return p !== null && p === path.join(loc.dir, 'index.html');
}

/**
 * Whether the page may load a URL: the renderer's own files, data: URLs (the CSP allows them for
 * images; they never leave the machine) and the devtools. Everything else is cancelled.
 */
export function isAllowedRequest(url: string, loc: RendererLocation): boolean {
  if (url.startsWith('devtools:') || url.startsWith('data:')) return true;
  const p = filePath(url);
  return p !== null && p.startsWith(loc.dir + path.sep);
}

type Headers = Record<string, string | string[]>;

/** The part of Electron's Session the guards use. */
export interface SessionLike {
  readonly webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
    onHeadersReceived(
      listener: (details: { url: string; responseHeaders?: Headers }, callback: (response: { responseHeaders?: Headers }) => void) => void,
    ): void;
  };
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
}

/** Response headers with the CSP and the other security headers set (replacing any the response had). */
export function withSecurityHeaders(headers: Headers | undefined): Headers {
  const out: Headers = {};
  const ours = securityHeaders();
  const oursLower = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(headers ?? {})) if (!oursLower.has(k.toLowerCase())) out[k] = v;
  for (const [k, v] of Object.entries(ours)) out[k] = [v];
  return out;
}

export function installSessionGuards(session: SessionLike, loc: RendererLocation): void {
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, loc) }));
  // file: responses carry no headers in Chromium, so index.html must also hold the CSP in a meta tag;
  // this covers anything that does have headers.
  session.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }));
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The part of Electron's WebContents the guards use. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function installWindowGuards(contents: WebContentsLike, loc: RendererLocation): void {
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (!isAllowedNavigation(url, loc)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
