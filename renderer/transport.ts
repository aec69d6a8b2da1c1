/**
 * The web mode's transport: shared/transport.ts spoken over one WebSocket. Calls carry an id and wait
 * for the answer with the same id; pushes carry none. While the socket is down, calls wait in a queue;
 * when it drops, calls already sent fail with an `io-error` Result (their answer is lost) and the
 * socket reconnects with a capped exponential backoff.
 */
import type { ApiName, PushName, Result } from '../shared/api';
import { PUSH_EVENTS } from '../shared/api';
import type { CallMessage } from '../shared/transport';
import { NO_ID, TOKEN_PARAM, WS_PATH } from '../shared/transport';

/** The part of the DOM WebSocket this module uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;
export type PushListener = (name: PushName, payload: unknown) => void;
/** false when the socket dropped, true when it is back (not on the first connection). */
export type StatusListener = (connected: boolean) => void;

const OPEN = 1;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5_000;

/** `ws(s)://<host>/ws`, with the page's `?token=` when it has one (the cookie carries it otherwise). */
export function wsUrl(loc: { readonly protocol: string; readonly host: string; readonly search: string }): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(loc.search).get(TOKEN_PARAM);
  const query = token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : '';
  return `${scheme}://${loc.host}${WS_PATH}${query}`;
}

export function nextBackoff(previousMs: number): number {
  return Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, previousMs * 2));
}

type Parsed =
  | { readonly kind: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly kind: 'push'; readonly name: PushName; readonly payload: unknown }
  | { readonly kind: 'invalid'; readonly reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isResult(v: unknown): v is Result<unknown> {
  if (!isRecord(v)) return false;
  if (v.ok === true) return 'value' in v;
  return v.ok === false && isRecord(v.error) && typeof v.error.code === 'string' && typeof v.error.message === 'string';
}

/** Decodes one server message; anything that is not a ServerMessage is reported as invalid. */
export function parseServerMessage(data: unknown): Parsed {
  if (typeof data !== 'string') return { kind: 'invalid', reason: 'not text' };
  let msg: unknown;
  try {
    msg = JSON.parse(data);
  } catch (e) {
    return { kind: 'invalid', reason: `not JSON: ${(e as Error).message}` };
  }
  if (!isRecord(msg)) return { kind: 'invalid', reason: 'not an object' };
  if (typeof msg.id === 'number' && isResult(msg.result)) return { kind: 'result', id: msg.id, result: msg.result };
  if (typeof msg.push === 'string' && (PUSH_EVENTS as readonly string[]).includes(msg.push)) {
    return { kind: 'push', name: msg.push as PushName, payload: msg.payload };
  }
  return { kind: 'invalid', reason: 'neither an answer nor a push' };
}

interface Pending {
  readonly message: string;
  readonly resolve: (r: Result<unknown>) => void;
  sent: boolean;
}

export class WsTransport {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<PushListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private down = false;
  private backoffMs = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly factory: SocketFactory,
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = (fn, ms) => setTimeout(fn, ms),
  ) {
    this.connect();
  }

  call(name: ApiName, req: unknown): Promise<Result<unknown>> {
    if (this.closed) return Promise.resolve(ioError('the connection is closed'));
    const id = this.nextId++;
    const msg: CallMessage = { id, call: name, req };
    return new Promise((resolve) => {
      const p: Pending = { message: JSON.stringify(msg), resolve, sent: false };
      this.pending.set(id, p);
      this.flush();
    });
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.socket?.close();
    this.failAll('the connection is closed', true);
  }

  private connect(): void {
    this.timer = null;
    if (this.closed) return;
    const s = this.factory(this.url);
    this.socket = s;
    s.onopen = () => {
      this.backoffMs = 0;
      this.flush();
      if (this.down) this.status(true);
    };
    s.onmessage = (ev) => this.receive(ev.data);
    s.onerror = () => {
      // The close event that follows does the work; an error alone says nothing more.
    };
    s.onclose = () => this.dropped(s);
  }

  private dropped(s: SocketLike): void {
    if (this.socket !== s) return;
    this.socket = null;
    this.failAll('the connection to the engine was lost', false);
    if (this.closed) return;
    if (!this.down) this.status(false);
    this.backoffMs = nextBackoff(this.backoffMs);
    this.timer = this.schedule(() => this.connect(), this.backoffMs);
  }

  /** Calls already on the wire lost their answer; queued ones wait for the next socket unless closing. */
  private status(connected: boolean): void {
    this.down = !connected;
    for (const l of this.statusListeners) l(connected);
  }

  private failAll(message: string, includeQueued: boolean): void {
    for (const [id, p] of this.pending) {
      if (!p.sent && !includeQueued) continue;
      this.pending.delete(id);
      p.resolve(ioError(message));
    }
  }

  private flush(): void {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return;
    for (const p of this.pending.values()) {
      if (p.sent) continue;
      s.send(p.message);
      p.sent = true;
    }
  }

  private receive(data: unknown): void {
    const m = parseServerMessage(data);
    if (m.kind === 'result') {
      const p = this.pending.get(m.id);
      if (!p) {
        // The server answers a message it could not read with id -1 (NO_ID): a bug on one side.
        if (m.id === NO_ID && !m.result.ok) console.warn(`cairn: the server could not read a message: ${m.result.error.message}`);
        return;
      }
      this.pending.delete(m.id);
      p.resolve(m.result);
    } else if (m.kind === 'push') {
      for (const l of this.listeners) l(m.name, m.payload);
    } else {
      console.warn(`cairn: ignored a server message (${m.reason})`);
    }
  }
}

function ioError(message: string): Result<never> {
  return { ok: false, error: { code: 'io-error', message } };
}
