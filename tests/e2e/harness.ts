/**
 * End-to-end harness: the built renderer served by the real web server over a real EngineHost, driven
 * in Debian's Chromium with playwright-core. Builds the renderer when it is missing or older than its
 * sources; the engine and server come from dist/ (built by the test suite's global setup).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'tests', 'e2e', 'screenshots');
const STATIC_DIR = path.join(ROOT, 'dist-renderer');

interface HostLike {
  close(): Promise<void>;
}
interface HostModule {
  EngineHost: { start(opts?: { casePath?: string }): Promise<HostLike> };
}
interface ServerModule {
  startWebServer(opts: { staticDir: string; host: HostLike; port?: number }): Promise<{ url: string; port: number; token: string; close(): Promise<void> }>;
}

export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is absent: browser tests skipped (apt-get install chromium)`;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function rendererStale(): boolean {
  const index = path.join(STATIC_DIR, 'index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'renderer')), fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
  return !fs.existsSync(index) || fs.statSync(index).mtimeMs < sources;
}

const LOCK = path.join(os.tmpdir(), `cairn-renderer-build-${crypto.createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const LOCK_STALE_MS = 180_000;

/** Several browser test files run at once: one builds while the others wait (a build empties dist-renderer). */
async function withBuildLock(fn: () => void): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A crashed run leaves its lock behind: take it over once it is clearly abandoned.
      if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function ensureRendererBuilt(): Promise<void> {
  await withBuildLock(() => {
    if (!rendererStale()) return;
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), 'renderer'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the renderer build failed');
  });
}

export interface App {
  readonly url: string;
  readonly origin: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function startApp(): Promise<App> {
  await ensureRendererBuilt();
  const hostMod = (await import(path.join(ROOT, 'dist', 'electron', 'engine', 'host', 'host.js'))) as HostModule;
  const serverMod = (await import(path.join(ROOT, 'dist', 'electron', 'web', 'server.js'))) as ServerModule;
  const host = await hostMod.EngineHost.start();
  const server = await serverMod.startWebServer({ staticDir: STATIC_DIR, host });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return {
    url: server.url,
    origin: new URL(server.url).origin,
    browser,
    context,
    close: async () => {
      await browser.close();
      await server.close();
      await host.close();
    },
  };
}

/** Everything the page reports that a user would never want: console errors, CSP violations, crashes. */
export function watchPage(page: Page): { readonly problems: string[]; readonly requests: string[]; readonly sockets: string[] } {
  const problems: string[] = [];
  const requests: string[] = [];
  const sockets: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  // WebSockets are not requests to Playwright: listed apart (the engine's socket).
  page.on('websocket', (ws) => sockets.push(ws.url()));
  return { problems, requests, sockets };
}

/** Records CSP violations in the page (read them back with readCspViolations). Call before the first goto. */
export async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
}

export async function readCspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ['(the recorder did not run)']);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Waits until the detail panel shows the selected event, not the previous one it keeps (dimmed) while loading. */
export async function detailSettled(page: Page): Promise<void> {
  await page.locator('[data-testid=detail] .detail-body[aria-busy=false] .json-tree').waitFor();
}
