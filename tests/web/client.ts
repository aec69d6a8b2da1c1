/** HTTP and WebSocket clients for the web mode tests: raw enough to send any Host, Origin or path. */
import http from 'node:http';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/transport';

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request whose path is sent exactly as given (no normalisation of `..`). */
export function request(port: number, rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it, or rejects with the HTTP status the upgrade was refused with. */
export function connect(port: number, opts: { query?: string; headers?: Record<string, string>; origin?: string | null } = {}): Promise<WebSocket> {
  const origin = opts.origin === undefined ? `http://127.0.0.1:${port}` : opts.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${opts.query ?? ''}`, {
    headers: { ...(origin === null ? {} : { Origin: origin }), ...opts.headers },
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`refused ${res.statusCode ?? 0}`));
    });
    ws.once('error', reject);
  });
}

/** Collects every message a socket receives, and lets a test wait for one that matches. */
export class Inbox {
  readonly messages: ServerMessage[] = [];
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  next(test: (m: ServerMessage) => boolean, timeoutMs = 30_000): Promise<ServerMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
      this.waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  private nextId = 1;

  /** Sends a call and waits for its answer. */
  async call(call: string, req: unknown): Promise<ServerMessage> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, call, req }));
    return this.next((m) => 'id' in m && m.id === id);
  }
}
