/**
 * The preload of Cairn's window: exposes `window.cairn` (see bridge.ts), one function per API call
 * generated from API_CALLS plus `onPush`, and nothing else. It runs sandboxed, where `require` knows
 * only `electron` and a few built-ins, so the build bundles it into one file (scripts/build.mjs).
 * Files and folders dropped on the window are imported: their paths exist only here
 * (webUtils.getPathForFile), and go to the main process over a private channel the page cannot use.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_CALLS, PUSH_EVENTS, err, type ApiName, type PushName, type Result } from '../../shared/api';
import type { CairnBridge } from './bridge';
import { DROP_CHANNEL, PUSH_CHANNEL, callChannel } from './channels';

function invoker(name: ApiName): (req: unknown) => Promise<Result<unknown>> {
  const channel = callChannel(name);
  return async (req) => {
    try {
      return (await ipcRenderer.invoke(channel, req)) as Result<unknown>;
    } catch (e) {
      // Structured clone refuses functions and the like: the request was not plain data.
      return err('bad-request', `${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

function onPush(listener: (name: PushName, payload: unknown) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onPush needs a function');
  // The IPC event (with its sender) never reaches the page: only the push's name and payload do.
  const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if ((PUSH_EVENTS as readonly unknown[]).includes(name)) listener(name as PushName, payload);
  };
  ipcRenderer.on(PUSH_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(PUSH_CHANNEL, handler);
  };
}

function buildBridge(): CairnBridge {
  const api: Record<string, unknown> = {};
  for (const name of API_CALLS) api[name] = invoker(name);
  api['onPush'] = onPush;
  // Generated from API_CALLS, so the compiler cannot see that every key of CairnBridge is present;
  // the preload test checks the exposed keys against the list.
  return api as CairnBridge;
}

function forwardDrops(): void {
  // Without this the browser's default for a dropped file is to navigate to it.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    const files = e.dataTransfer ? Array.from(e.dataTransfer.files) : [];
    const paths = files.map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
    if (paths.length > 0) ipcRenderer.send(DROP_CHANNEL, paths);
  });
}

contextBridge.exposeInMainWorld('cairn', buildBridge());
forwardDrops();
