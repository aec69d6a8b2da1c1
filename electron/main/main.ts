/**
 * The desktop app's main process: one window showing the built renderer from disk, the native menu,
 * dialogs, and the IPC bridge. The engine never runs here: it lives in the EngineHost's worker, and
 * this process only relays calls and pushes. Security of the window is in windowSecurity.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, session, type IpcMainEvent } from 'electron';
import type { ApiName, MenuCommand, PushName, Result } from '../../shared/api';
import { EngineHost } from '../engine/host/host';
import { DROP_CHANNEL, PUSH_CHANNEL } from '../preload/channels';
import { isCaseFile } from '../web/caseFile';
import { isTrustedSender, registerIpc, type TrustedWindow } from './ipc';
import { droppedPaths, launchPath } from './launch';
import { menuTemplate } from './menu';
import { addRecent, loadRecent, saveRecent } from './recent';
import { createShellCall, type DialogsLike } from './shellCalls';
import { installSessionGuards, installWindowGuards, rendererLocation, windowOptions, type RendererLocation } from './windowSecurity';

/** Dev tools and reload only when running from the source tree with CAIRN_DEV=1. */
const dev = !app.isPackaged && process.env['CAIRN_DEV'] === '1';

interface State {
  readonly host: EngineHost;
  readonly loc: RendererLocation;
  readonly recentFile: string;
  recent: string[];
  win: BrowserWindow | null;
}

let state: State | null = null;
let quitting = false;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function sendPush(name: PushName, payload: unknown): void {
  const win = state?.win;
  if (win && !win.isDestroyed()) win.webContents.send(PUSH_CHANNEL, name, payload);
}

function trusted(): TrustedWindow | null {
  const win = state?.win;
  return state && win && !win.isDestroyed() ? { contents: win.webContents, loc: state.loc } : null;
}

function rebuildMenu(): void {
  const template = menuTemplate({
    recent: state?.recent ?? [],
    dev,
    isMac: process.platform === 'darwin',
    send: (command: MenuCommand, p?: string) => sendPush('menu:command', p === undefined ? { command } : { command, path: p }),
    about: () => void dialog.showMessageBox({ title: 'About Cairn', message: `Cairn ${app.getVersion()}`, detail: 'Offline forensic workbench for AWS CloudTrail evidence. It makes no network requests.' }),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function remember(casePath: string): void {
  if (!state) return;
  state.recent = addRecent(state.recent, casePath);
  rebuildMenu();
  try {
    saveRecent(state.recentFile, state.recent);
  } catch (e) {
    // the case itself was saved; only the list for the next start is lost
    process.stderr.write(`cairn: could not save the recent cases list: ${message(e)}\n`);
  }
}

/** Successful case:open and case:save calls feed File ▸ Open recent. */
function observe(name: ApiName, req: unknown, result: Result<unknown>): void {
  if (!result.ok || (name !== 'case:open' && name !== 'case:save')) return;
  const p = (req as { path?: unknown }).path;
  if (typeof p === 'string') remember(path.resolve(p));
}

function windowDialogs(): DialogsLike {
  return {
    showOpenDialog: (o) => (state?.win ? dialog.showOpenDialog(state.win, o) : dialog.showOpenDialog(o)),
    showSaveDialog: (o) => (state?.win ? dialog.showSaveDialog(state.win, o) : dialog.showSaveDialog(o)),
  };
}

/** Opens a case, or imports anything else as evidence; failures are shown, not thrown. */
async function openPaths(paths: readonly string[]): Promise<void> {
  if (!state || paths.length === 0) return;
  const first = paths[0];
  const asCase = paths.length === 1 && first !== undefined && fs.existsSync(first) && isCaseFile(first);
  const r = asCase ? await state.host.call('case:open', { path: first }) : await state.host.call('import:start', { paths });
  if (r.ok && asCase && first !== undefined) remember(first);
  if (!r.ok) dialog.showErrorBox(asCase ? 'Could not open the case' : 'Could not import', r.error.message);
}

function onDrop(event: IpcMainEvent, payload: unknown): void {
  const paths = droppedPaths(payload);
  if (!isTrustedSender(event, trusted()) || paths === null) return;
  void openPaths(paths);
}

async function createWindow(s: State): Promise<void> {
  const index = path.join(s.loc.dir, 'index.html');
  if (!fs.existsSync(index)) {
    dialog.showErrorBox('Cairn', `The user interface is not built (${index} is missing). Run npm run build.`);
    app.quit();
    return;
  }
  const win = new BrowserWindow(windowOptions(path.join(__dirname, '..', 'preload', 'preload.js'), dev));
  s.win = win;
  installWindowGuards(win.webContents, s.loc);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (s.win === win) s.win = null;
  });
  await win.loadURL(s.loc.indexUrl);
}

async function start(): Promise<void> {
  const loc = rendererLocation(app.getAppPath());
  installSessionGuards(session.defaultSession, loc);
  const host = await EngineHost.start();
  const recentFile = path.join(app.getPath('userData'), 'recent.json');
  const s: State = { host, loc, recentFile, recent: loadRecent(recentFile), win: null };
  state = s;
  const shell = createShellCall({ version: app.getVersion(), saveFolder: app.getPath('documents'), dialogs: windowDialogs() });
  registerIpc(ipcMain, { host, shell, trusted, observe });
  ipcMain.on(DROP_CHANNEL, onDrop);
  host.onPush(sendPush);
  rebuildMenu();
  await createWindow(s);
  const launch = launchPath(process.argv, app.isPackaged, process.cwd());
  if (launch !== null) await openPaths([launch]);
}

function onSecondInstance(argv: readonly string[], cwd: string): void {
  const win = state?.win;
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
  const launch = launchPath(argv, app.isPackaged, cwd);
  if (launch !== null) void openPaths([launch]);
}

/** Closes the engine before the process ends, so its worker exits cleanly. */
function onWillQuit(event: { preventDefault(): void }): void {
  if (quitting || !state) return;
  quitting = true;
  event.preventDefault();
  const host = state.host;
  host
    .close()
    .catch((e: unknown) => process.stderr.write(`cairn: closing the engine failed: ${message(e)}\n`))
    .finally(() => app.quit());
}

function main(): void {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_event, argv, cwd) => onSecondInstance(argv, cwd));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', onWillQuit);
  app.on('activate', () => {
    if (state && !state.win) void createWindow(state);
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      dialog.showErrorBox('Cairn could not start', message(e));
      app.exit(1);
    });
}

main();
