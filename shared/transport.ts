/**
 * The web mode's WebSocket protocol: the API contract of `api.ts` as JSON messages. The renderer sends
 * a call with an id; the server answers with the same id and a `Result`; pushes carry no id.
 * Electron IPC needs none of this: the preload exposes one function per call.
 */
import type { ApiName, PushName, Result } from './api';

export interface CallMessage {
  readonly id: number;
  readonly call: ApiName;
  readonly req: unknown;
}

/** A message the server cannot tie to a call (no usable id) is answered with id -1. */
export const NO_ID = -1;

export type ServerMessage =
  | { readonly id: number; readonly result: Result<unknown> }
  | { readonly push: PushName; readonly payload: unknown };

/** Path of the WebSocket endpoint on the web mode's server. */
export const WS_PATH = '/ws';
/** Query parameter and cookie that carry the web mode's token. */
export const TOKEN_PARAM = 'token';
export const TOKEN_COOKIE = 'cairn_token';
