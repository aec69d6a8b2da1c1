/**
 * The renderer's only way to the engine. In the desktop app the preload exposes `window.cairn` (one
 * function per call plus `onPush`); in web mode calls go over the WebSocket of renderer/transport.ts.
 * Answers are trusted to match the contract: the engine and the shells are typed against shared/api.ts.
 */
import type { ApiName, ApiRequest, ApiResponse, PushEvents, PushName, Result } from '../shared/api';
import { WsTransport, wsUrl, type PushListener, type StatusListener } from './transport';

/** What the preload exposes (mirrors electron/preload/bridge.ts, which the renderer may not import). */
export type CairnBridge = {
  readonly [K in ApiName]: (req: ApiRequest<K>) => Promise<Result<ApiResponse<K>>>;
} & {
  readonly onPush: (listener: PushListener) => () => void;
};

interface Transport {
  call(name: ApiName, req: unknown): Promise<Result<unknown>>;
  onPush(listener: PushListener): () => void;
  onStatus(listener: StatusListener): () => void;
}

declare global {
  interface Window {
    cairn?: CairnBridge;
  }
}

function bridgeTransport(bridge: CairnBridge): Transport {
  return {
    call: (name, req) => (bridge[name] as (r: unknown) => Promise<Result<unknown>>)(req),
    onPush: (listener) => bridge.onPush(listener),
    // IPC to the app's own main process does not drop.
    onStatus: () => () => undefined,
  };
}

let transport: Transport | null = null;

function current(): Transport {
  if (transport) return transport;
  transport = window.cairn
    ? bridgeTransport(window.cairn)
    : new WsTransport(wsUrl(window.location), (url) => new WebSocket(url));
  return transport;
}

export async function call<K extends ApiName>(name: K, req: ApiRequest<K>): Promise<Result<ApiResponse<K>>> {
  try {
    return (await current().call(name, req)) as Result<ApiResponse<K>>;
  } catch (e) {
    // The preload's IPC rejects when the main process is gone; the UI wants a Result either way.
    return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}

export function onPush<P extends PushName>(name: P, listener: (payload: PushEvents[P]) => void): () => void {
  return current().onPush((n, payload) => {
    if (n === name) listener(payload as PushEvents[P]);
  });
}

/** Web mode: hears when the connection to the engine drops and when it is back. */
export function onConnection(listener: StatusListener): () => void {
  return current().onStatus(listener);
}
