import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { Result } from '../../shared/api';
import type { ServerMessage } from '../../shared/transport';
import { EngineHost } from '../../electron/engine/host/host';
import { MAX_MESSAGE_BYTES, NO_ID } from '../../electron/web/socket';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { envelope, gz, records, tmpDir, trailKey, write } from '../helpers/evidence';
import { Inbox, connect } from './client';

let dir: string;
let host: EngineHost;
let server: WebServer;
const open: WebSocket[] = [];

beforeAll(async () => {
  dir = tmpDir('cairn-ws-');
  write(dir, 'static/index.html', '<!doctype html><title>Cairn</title>');
  host = await EngineHost.start();
  server = await startWebServer({ staticDir: path.join(dir, 'static'), host, version: '9.8.7' });
});

afterAll(async () => {
  for (const ws of open) ws.terminate();
  await server.close();
  await host.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function client(opts: Parameters<typeof connect>[1] = { query: `?token=${server.token}` }): Promise<Inbox> {
  const ws = await connect(server.port, opts);
  open.push(ws);
  return new Inbox(ws);
}

function result(m: ServerMessage): Result<unknown> {
  if (!('result' in m)) throw new Error(`not an answer: ${JSON.stringify(m)}`);
  return m.result;
}

function errorCode(m: ServerMessage): string {
  const r = result(m);
  return r.ok ? 'ok' : r.error.code;
}

describe('upgrade', () => {
  it('refuses a socket without the token, with a wrong one, a foreign Origin, no Origin or a foreign Host', async () => {
    const t = `?token=${server.token}`;
    await expect(connect(server.port, {})).rejects.toThrow('refused 403');
    await expect(connect(server.port, { query: `?token=${'f'.repeat(64)}` })).rejects.toThrow('refused 403');
    await expect(connect(server.port, { query: t, origin: 'http://evil.example' })).rejects.toThrow('refused 403');
    await expect(connect(server.port, { query: t, origin: `http://127.0.0.1:${server.port + 1}` })).rejects.toThrow('refused 403');
    await expect(connect(server.port, { query: t, origin: null })).rejects.toThrow('refused 403');
    await expect(connect(server.port, { query: t, headers: { Host: `rebind.example:${server.port}` } })).rejects.toThrow('refused 403');
  });

  it('accepts the token in the query or in the cookie, from our origin under either name', async () => {
    await client();
    await client({ headers: { Cookie: `cairn_token=${server.token}` }, origin: `http://localhost:${server.port}` });
  });
});

describe('calls', () => {
  it('answers the shell calls itself', async () => {
    const c = await client();
    expect(result(await c.call('app:info', {}))).toEqual({ ok: true, value: { shell: 'web', version: '9.8.7' } });
    expect(errorCode(await c.call('dialog:open', { purpose: 'case' }))).toBe('unsupported');
    expect(errorCode(await c.call('dialog:save', { purpose: 'case', defaultName: 'x.cairn' }))).toBe('unsupported');
  });

  it('imports evidence through the real engine, pushes progress to every client, then pages the events', async () => {
    const a = await client();
    const b = await client();
    const evidence = write(tmpDir('cairn-ws-evidence-'), trailKey('111122223333', 'us-east-1', '2024-01-01', 'a'), gz(envelope(records(25))));
    const started = result(await a.call('import:start', { paths: [evidence] }));
    expect(started.ok).toBe(true);
    const isDone = (m: ServerMessage): boolean => 'push' in m && m.push === 'import:done';
    const [doneA] = await Promise.all([a.next(isDone), b.next(isDone)]);
    expect(doneA).toMatchObject({ payload: { report: { records: { imported: 25 } } } });
    const count = result(await a.call('sql:run', { sql: 'SELECT count(*) AS n FROM events', maxRows: 10 }));
    expect(count).toMatchObject({ ok: true, value: { columns: ['n'], rows: [[25]] } });
    const page = result(await b.call('events:page', { filter: { clauses: [] }, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 10 }));
    expect(page, JSON.stringify(page)).toMatchObject({ ok: true });
    if (!page.ok) return;
    const value = page.value as { rows: { eventName: string }[]; total: number };
    expect(value.total).toBe(25);
    expect(value.rows).toHaveLength(10);
    expect(value.rows[0]?.eventName).toBe('DescribeInstances');
    fs.rmSync(path.dirname(evidence), { recursive: true, force: true });
  });

  it('passes the engine validation errors back', async () => {
    const c = await client();
    expect(errorCode(await c.call('events:page', { filter: 'nope' }))).toBe('bad-request');
  });
});

describe('malformed messages', () => {
  it('answers each with bad-request and keeps the connection', async () => {
    const c = await client();
    const hasId = (id: number) => (m: ServerMessage): boolean => 'id' in m && m.id === id;
    c.ws.send('not json');
    await c.next(hasId(NO_ID));
    for (const text of ['[1,2]', 'null', '{"id":"x","call":"app:info"}', '{"id":1.5,"call":"app:info"}']) c.ws.send(text);
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(JSON.stringify({ id: 41, call: 'no:such', req: {} }));
    c.ws.send(JSON.stringify({ id: 42, call: '__proto__', req: {} }));
    await Promise.all([c.next(hasId(41)), c.next(hasId(42))]);
    await expect.poll(() => c.messages.filter((m) => 'id' in m && m.id === NO_ID).length).toBe(6);
    for (const m of c.messages) expect(errorCode(m)).toBe('bad-request');
    expect(result(await c.call('app:info', {})).ok).toBe(true);
  });

  it('closes a socket that sends more than the cap and goes on serving others', async () => {
    const c = await client();
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.ws.send(JSON.stringify({ id: 1, call: 'sql:run', req: { sql: 'x'.repeat(MAX_MESSAGE_BYTES + 1), maxRows: 1 } }));
    expect(await closed).toBe(1009);
    const d = await client();
    expect(result(await d.call('app:info', {})).ok).toBe(true);
  });
});
