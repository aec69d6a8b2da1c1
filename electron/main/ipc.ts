/**
 * The main process's side of the bridge: one `ipcMain.handle` channel per API call, each refusing any
 * sender but the main frame of our window showing our index.html (a frame that navigated elsewhere,
 * a subframe or another window gets nothing), engine calls relayed to the EngineHost, shell calls to
 * the shell's handlers. Works over structural types so it is tested without the Electron binary.
 */
import {
  API_CALLS,
  SHELL_CALLS,
  err,
  type ApiName,
  type EngineCallName,
  type Result,
  type ShellCallName,
} from '../../shared/api';
import { callChannel } from '../preload/channels';
import { isAllowedNavigation, type RendererLocation } from './windowSecurity';

/** What an IPC event tells about its sender (Electron's IpcMainInvokeEvent has these). */
export interface SenderLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface TrustedWindow {
  /** The webContents of our window (compared by id, unique for the process's lifetime). */
  readonly contents: { readonly id: number };
  readonly loc: RendererLocation;
}

export function isTrustedSender(event: SenderLike, trusted: TrustedWindow | null): boolean {
  if (trusted === null || event.sender.id !== trusted.contents.id) return false;
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAllowedNavigation(frame.url, trusted.loc);
}

export type ShellCall = (name: ShellCallName, req: unknown) => Promise<Result<unknown>>;

export interface IpcDeps {
  readonly host: { call(name: EngineCallName, req: unknown): Promise<Result<unknown>> };
  readonly shell: ShellCall;
  /** The window allowed to call, once it exists. */
  readonly trusted: () => TrustedWindow | null;
  /** Told of every successful call (the recent-cases list follows case:open and case:save). */
  readonly observe?: (name: ApiName, req: unknown, result: Result<unknown>) => void;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderLike, req: unknown) => Promise<Result<unknown>>): void;
}

function isShellCall(name: ApiName): name is ShellCallName {
  return (SHELL_CALLS as readonly string[]).includes(name);
}

/** Answers one call from the page; never throws (a throw would reach the page as a bare message). */
export async function handleCall(deps: IpcDeps, name: ApiName, event: SenderLike, req: unknown): Promise<Result<unknown>> {
  if (!isTrustedSender(event, deps.trusted())) return err('bad-request', `${name} refused: the sender is not Cairn's window`);
  let result: Result<unknown>;
  try {
    result = isShellCall(name) ? await deps.shell(name, req) : await deps.host.call(name, req);
  } catch (e) {
    result = err('internal', e instanceof Error ? e.message : String(e));
  }
  if (result.ok) deps.observe?.(name, req, result);
  return result;
}

export function registerIpc(ipcMain: IpcMainLike, deps: IpcDeps): void {
  for (const name of API_CALLS) ipcMain.handle(callChannel(name), (event, req) => handleCall(deps, name, event, req));
}
