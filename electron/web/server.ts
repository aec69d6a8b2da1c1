/**
 * The web mode server: the built renderer over HTTP and the API over a WebSocket, on 127.0.0.1 only.
 * Every request passes the Host check and carries the token (see auth.ts) or gets a bare 403. The
 * server does not own the EngineHost: whoever started it closes it.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import fs from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH } from '../../shared/transport';
import { securityHeaders } from '../security';
import { authenticate, hostAllowed, newToken, originAllowed, tokenCookie } from './auth';
import { findPackage } from './packageRoot';
import { MAX_MESSAGE_BYTES, answer, type ShellHost } from './socket';
import { resolveStatic, sendFile } from './static';

export interface WebServerOptions {
  /** 0 or absent: any free port. */
  readonly port?: number;
  readonly staticDir: string;
  readonly host: ShellHost;
  /** What `app:info` reports; defaults to package.json's version. */
  readonly version?: string;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

interface Ctx {
  readonly root: string;
  readonly token: string;
  port: number;
}

function forbid(res: http.ServerResponse): void {
  res.writeHead(403, { 'Content-Length': '0' });
  res.end();
}

async function handleHttp(ctx: Ctx, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!hostAllowed(req, ctx.port)) return forbid(res);
  const via = authenticate(req, url, ctx.token);
  if (via === null) return forbid(res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': '0' });
    res.end();
    return;
  }
  const file = await resolveStatic(ctx.root, url.pathname);
  const headers: Record<string, string> = { ...securityHeaders(ctx.port) };
  if (file === null) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  if (via === 'query') headers['Set-Cookie'] = tokenCookie(ctx.token);
  await sendFile(res, file, headers, req.method === 'HEAD');
}

function refuseUpgrade(socket: Duplex): void {
  socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}

function handleUpgrade(ctx: Ctx, wss: WebSocketServer, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  // Until ws owns the socket nobody listens for its errors, and an unheard 'error' would end the process.
  const onError = (e: Error): void => void process.stderr.write(`cairn serve: connection failed: ${e.message}\n`);
  socket.on('error', onError);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const allowed =
    url.pathname === WS_PATH && hostAllowed(req, ctx.port) && originAllowed(req, ctx.port) && authenticate(req, url, ctx.token) !== null;
  if (!allowed) return refuseUpgrade(socket);
  wss.handleUpgrade(req, socket, head, (ws) => {
    socket.off('error', onError);
    wss.emit('connection', ws, req);
  });
}

function send(ws: WebSocket, message: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function serveSocket(ws: WebSocket, host: ShellHost, version: string): void {
  ws.on('message', (data, isBinary) => {
    void answer(data, isBinary, host, version).then((m) => send(ws, m));
  });
  // A client that breaks the protocol (oversized frame, bad frame) is closed by ws; the server goes on.
  ws.on('error', (e) => process.stderr.write(`cairn serve: client connection closed: ${e.message}\n`));
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const ctx: Ctx = { root: await fs.promises.realpath(opts.staticDir), token: newToken(), port: 0 };
  const version = opts.version ?? findPackage().version;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server = http.createServer((req, res) => {
    handleHttp(ctx, req, res).catch((e: unknown) => {
      process.stderr.write(`cairn serve: ${e instanceof Error ? e.message : String(e)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
      res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => handleUpgrade(ctx, wss, req, socket, head));
  wss.on('connection', (ws: WebSocket) => serveSocket(ws, opts.host, version));
  await listen(server, opts.port ?? 0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  ctx.port = address.port;
  const unsubscribe = opts.host.onPush((push, payload) => {
    for (const ws of wss.clients) send(ws, { push, payload });
  });
  const close = async (): Promise<void> => {
    unsubscribe();
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${ctx.port}/?token=${ctx.token}`, port: ctx.port, token: ctx.token, close };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
