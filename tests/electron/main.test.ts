/**
 * The compiled main process, wired to a recording stand-in for the `electron` module (the binary is
 * not available here) and to a real EngineHost: checks that start-up installs the guards, registers
 * one IPC channel per call, opens the window on dist-renderer, opens the command-line path, relays
 * calls and pushes, imports dropped files, remembers saved cases, and closes the engine on quit.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALLS } from '../../shared/api';
import { envelope, gz, records, tmpDir, trailKey, write } from '../helpers/evidence';
import { fakeElectron, type Recorded } from './fakeElectron';

const root = path.resolve(__dirname, '..', '..');
const dir = tmpDir('cairn-main-');
const appDir = path.join(dir, 'app');
const indexUrl = pathToFileURL(path.join(appDir, 'dist-renderer', 'index.html')).href;
const trustedEvent = { sender: { id: 7 }, senderFrame: { url: indexUrl, parent: null } };
let rec: Recorded;

type Moduleish = { _load: (request: string, ...rest: unknown[]) => unknown };

const mainJs = path.join(root, 'dist', 'electron', 'main', 'main.js');

/** Builds the Electron side when main.js is missing or older than its sources; false without the electron package. */
function electronBuilt(): boolean {
  const sources = ['electron/main', 'electron/preload', 'electron/security.ts', 'electron/web/caseFile.ts'].flatMap((p) => {
    const abs = path.join(root, p);
    return fs.statSync(abs).isDirectory() ? fs.readdirSync(abs).map((f) => path.join(abs, f)) : [abs];
  });
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (!fs.existsSync(mainJs) || fs.statSync(mainJs).mtimeMs < newest) {
    // the whole Electron build rewrites dist/: only when main.js is stale, so a normal run leaves dist/ alone
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'electron'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the Electron build failed');
  }
  return fs.existsSync(mainJs);
}

const available = electronBuilt();
if (!available) console.warn('the electron package is not installed: the main-process test is skipped');

beforeAll(async () => {
  if (!available) return;
  write(appDir, 'dist-renderer/index.html', '<!doctype html><title>Cairn</title>');
  const evidence = write(dir, `ev1/${trailKey('111122223333', 'us-east-1', '2024-03-03', 'a')}`, gz(envelope(records(7))));
  const fake = fakeElectron(appDir, path.join(dir, 'userData'));
  rec = fake.rec;
  const loader = Module as unknown as Moduleish;
  const original = loader._load;
  const argv = process.argv;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? fake.module : original.call(this, request, ...rest);
  };
  process.argv = ['electron', 'dist/electron/main/main.js', evidence];
  try {
    createRequire(__filename)(mainJs);
    loader._load = original;
    // main reads its command line once Electron is ready, after the window opened
    await waitFor(() => rec.sent.some((s) => s[1] === 'import:done') || rec.errors.length > 0);
  } finally {
    loader._load = original;
    process.argv = argv;
  }
});

async function waitFor(test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting for the main process');
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterAll(async () => {
  if (available) await rec.quit();
  fs.rmSync(dir, { recursive: true, force: true });
});

function invoke(name: string, req: unknown, event: unknown = trustedEvent): Promise<unknown> {
  const handler = rec.handlers.get(`cairn:${name}`);
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(event, req) as Promise<unknown>;
}

describe.skipIf(!available)('the main process', () => {
  it('sandboxes every renderer and installs the session guards before any window', () => {
    expect(rec.sandboxed).toBe(true);
    expect(rec.session.before).toBeTypeOf('function');
    expect(rec.session.permissionRequest).toBeTypeOf('function');
    expect(rec.session.permissionCheck).toBeTypeOf('function');
  });

  it('registers one handler per API call and the private drop channel', () => {
    expect([...rec.handlers.keys()]).toEqual(API_CALLS.map((n) => `cairn:${n}`));
    expect([...rec.listeners.keys()]).toEqual(['cairn-private:drop']);
  });

  it('opens one secure window on dist-renderer/index.html with the bundled preload', () => {
    expect(rec.windows).toHaveLength(1);
    const w = rec.windows[0];
    expect(w?.loaded).toBe(indexUrl);
    expect(w?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(w?.options.webPreferences?.preload).toBe(path.join(root, 'dist', 'electron', 'preload', 'preload.js'));
    expect(w?.guards).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'window-open']));
  });

  it('imported the command-line path and pushed progress to the window', async () => {
    expect(rec.sent.filter((s) => s[0] === 'cairn:push').map((s) => s[1])).toContain('import:progress');
    await expect(invoke('sql:run', { sql: 'SELECT count(*) FROM events', maxRows: 1 })).resolves.toMatchObject({ ok: true, value: { rows: [[7]] } });
    expect(rec.errors).toEqual([]);
  });

  it('answers app:info itself and refuses a foreign sender', async () => {
    await expect(invoke('app:info', {})).resolves.toEqual({ ok: true, value: { shell: 'electron', version: '0.1.0' } });
    const foreign = { sender: { id: 8 }, senderFrame: { url: indexUrl, parent: null } };
    await expect(invoke('case:summary', {}, foreign)).resolves.toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('imports files dropped on the window, and ignores drops from anyone else', async () => {
    const dropped = write(dir, `ev2/${trailKey('111122223333', 'us-west-2', '2024-03-04', 'b')}`, gz(envelope(records(5))));
    const listener = rec.listeners.get('cairn-private:drop');
    listener?.({ sender: { id: 8 }, senderFrame: { url: indexUrl, parent: null } }, [dropped]);
    listener?.(trustedEvent, ['relative/path']);
    const before = rec.sent.filter((s) => s[1] === 'import:done').length;
    listener?.(trustedEvent, [dropped]);
    await expect.poll(() => rec.sent.filter((s) => s[1] === 'import:done').length, { timeout: 30_000 }).toBe(before + 1);
    await expect(invoke('sql:run', { sql: 'SELECT count(*) FROM events', maxRows: 1 })).resolves.toMatchObject({ value: { rows: [[12]] } });
  });

  it('remembers a saved case in userData/recent.json and the Open recent menu', async () => {
    const casePath = path.join(dir, 'saved.cairn');
    await expect(invoke('case:save', { path: casePath })).resolves.toMatchObject({ ok: true });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'userData', 'recent.json'), 'utf8'))).toEqual([casePath]);
    expect(JSON.stringify(rec.menus.at(-1))).toContain('saved.cairn');
  });

  it('sends menu commands to the renderer as pushes', () => {
    rec.clickMenu('Open case…');
    expect(rec.sent.at(-1)).toEqual(['cairn:push', 'menu:command', { command: 'open-case' }]);
  });
});
