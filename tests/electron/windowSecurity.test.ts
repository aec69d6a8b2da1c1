import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  installSessionGuards,
  installWindowGuards,
  isAllowedNavigation,
  isAllowedRequest,
  rendererLocation,
  windowOptions,
  withSecurityHeaders,
  type SessionLike,
  type WebContentsLike,
} from '../../electron/main/windowSecurity';

const appDir = path.resolve('/opt/cairn/resources/app');
const loc = rendererLocation(appDir);
const index = pathToFileURL(path.join(appDir, 'dist-renderer', 'index.html')).href;
const asset = pathToFileURL(path.join(appDir, 'dist-renderer', 'assets', 'index-abc.js')).href;

describe('windowOptions', () => {
  it('isolates and sandboxes the page, with no Node, no webview and the preload given', () => {
    const web = windowOptions('/x/preload.js').webPreferences;
    expect(web).toMatchObject({
      preload: '/x/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(windowOptions('/x/preload.js', true).webPreferences?.devTools).toBe(true);
    expect(windowOptions('/x/preload.js').show).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  it('allows only our index.html (a reload), with any hash or query', () => {
    expect(loc.indexUrl).toBe(index);
    expect(isAllowedNavigation(index, loc)).toBe(true);
    expect(isAllowedNavigation(`${index}#/events`, loc)).toBe(true);
    expect(isAllowedNavigation(`${index}?x=1`, loc)).toBe(true);
  });

  it('refuses the web, other files, other schemes and junk', () => {
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      asset,
      pathToFileURL('/etc/passwd').href,
      pathToFileURL(path.join(appDir, 'dist-renderer', '..', 'index.html')).href,
      'file://server/share/dist-renderer/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAllowedNavigation(url, loc), url).toBe(false);
    }
  });
});

describe('isAllowedRequest', () => {
  it('allows the renderer files, data: and devtools:', () => {
    expect(isAllowedRequest(index, loc)).toBe(true);
    expect(isAllowedRequest(asset, loc)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', loc)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', loc)).toBe(true);
  });

  it('cancels every network request and every file outside the renderer', () => {
    for (const url of [
      'https://example.com/x.js',
      'http://169.254.169.254/latest/meta-data/',
      'ws://127.0.0.1:1234/ws',
      'ftp://example.com/',
      pathToFileURL('/etc/passwd').href,
      pathToFileURL(path.join(appDir, 'dist-renderer-evil', 'x.js')).href,
      `file://${path.join(appDir, 'dist-renderer')}/../package.json`,
      'file://attacker.example/share/x.js',
      'blob:file:///abc',
      'garbage',
    ]) {
      expect(isAllowedRequest(url, loc), url).toBe(false);
    }
  });
});

/** Records what the guards install, then lets the test call the handlers as Electron would. */
function recordingSession() {
  const seen: {
    before?: Parameters<SessionLike['webRequest']['onBeforeRequest']>[0];
    headers?: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
    request?: Parameters<SessionLike['setPermissionRequestHandler']>[0];
    check?: Parameters<SessionLike['setPermissionCheckHandler']>[0];
  } = {};
  const session: SessionLike = {
    webRequest: { onBeforeRequest: (l) => void (seen.before = l), onHeadersReceived: (l) => void (seen.headers = l) },
    setPermissionRequestHandler: (h) => void (seen.request = h),
    setPermissionCheckHandler: (h) => void (seen.check = h),
  };
  return { session, seen };
}

describe('installSessionGuards', () => {
  const { session, seen } = recordingSession();
  installSessionGuards(session, loc);

  it('cancels requests that are not ours', () => {
    const answers: { cancel?: boolean }[] = [];
    seen.before?.({ url: 'https://example.com/' }, (r) => answers.push(r));
    seen.before?.({ url: asset }, (r) => answers.push(r));
    expect(answers).toEqual([{ cancel: true }, { cancel: false }]);
  });

  it('denies every permission request and check', () => {
    const granted: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) seen.request?.(null, p, (g) => granted.push(g));
    expect(granted).toEqual([false, false, false, false, false]);
    expect(seen.check?.(null, 'clipboard-sanitized-write')).toBe(false);
  });

  it('puts the CSP on responses, replacing any other', () => {
    let out: Record<string, string | string[]> | undefined;
    seen.headers?.({ url: index, responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
    expect(out?.['Content-Security-Policy']?.[0]).toContain("default-src 'self'");
    expect(out?.['content-security-policy']).toBeUndefined();
    expect(out?.['X-Other']).toEqual(['1']);
    expect(withSecurityHeaders(undefined)['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(String(withSecurityHeaders(undefined)['Content-Security-Policy'])).not.toContain('ws:');
  });
});

describe('installWindowGuards', () => {
  type Listener = (event: { preventDefault(): void }, url?: string) => void;
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, l: Listener) => listeners.set(event, l),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => void (openHandler = h),
  } as unknown as WebContentsLike;
  installWindowGuards(contents, loc);

  function prevented(event: string, url?: string): boolean {
    let p = false;
    listeners.get(event)?.({ preventDefault: () => void (p = true) }, url);
    return p;
  }

  it('stops navigation and redirects away from index.html, and every webview', () => {
    expect(prevented('will-navigate', 'https://example.com/')).toBe(true);
    expect(prevented('will-redirect', pathToFileURL('/etc/passwd').href)).toBe(true);
    expect(prevented('will-navigate', index)).toBe(false);
    expect(prevented('will-attach-webview')).toBe(true);
  });

  it('denies every new window', () => {
    expect(openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler?.({ url: index })).toEqual({ action: 'deny' });
  });
});
