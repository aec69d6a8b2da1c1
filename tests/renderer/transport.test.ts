import { describe, expect, it, vi } from 'vitest';
import { nextBackoff, parseServerMessage, wsUrl, WsTransport, type SocketLike } from '../../renderer/transport';
import type { CallMessage } from '../../shared/transport';

/** A socket the test drives by hand: open, answer, drop. */
class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  readonly sent: CallMessage[] = [];
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as CallMessage);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) } as MessageEvent);
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const t = new WsTransport(
    'ws://h/ws',
    (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    (fn, ms) => {
      timers.push({ fn, ms });
      return 0 as unknown as ReturnType<typeof setTimeout>;
    },
  );
  return { t, sockets, timers, last: () => sockets[sockets.length - 1]! };
}

describe('web transport', () => {
  it('builds the socket URL from the page, with its token', () => {
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=ab%2Bc' })).toBe('ws://127.0.0.1:5000/ws?token=ab%2Bc');
    expect(wsUrl({ protocol: 'https:', host: 'localhost:1', search: '' })).toBe('wss://localhost:1/ws');
  });

  it('queues calls until the socket opens, then matches answers by id', async () => {
    const { t, last } = setup();
    const a = t.call('case:summary', {});
    const b = t.call('facets:top', { filter: { clauses: [] }, field: 'eventName', limit: 5 });
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent.map((m) => m.call)).toEqual(['case:summary', 'facets:top']);
    const [ma, mb] = last().sent;
    last().receive({ id: mb!.id, result: { ok: true, value: 'B' } });
    last().receive({ id: ma!.id, result: { ok: false, error: { code: 'busy', message: 'later' } } });
    expect(await b).toEqual({ ok: true, value: 'B' });
    expect(await a).toEqual({ ok: false, error: { code: 'busy', message: 'later' } });
  });

  it('hands pushes to listeners until they unsubscribe', () => {
    const { t, last } = setup();
    last().open();
    const seen: unknown[] = [];
    const off = t.onPush((name, payload) => seen.push([name, payload]));
    last().receive({ push: 'case:changed', payload: { events: 1 } });
    off();
    last().receive({ push: 'case:changed', payload: { events: 2 } });
    expect(seen).toEqual([['case:changed', { events: 1 }]]);
  });

  it('ignores messages that are not answers or known pushes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { t, last } = setup();
    last().open();
    const p = t.call('app:info', {});
    const id = last().sent[0]!.id;
    for (const bad of ['nope', { id, result: { ok: 'yes' } }, { push: 'evil:push', payload: 1 }, [1, 2], { id: 'x', result: { ok: true, value: 1 } }]) last().receive(bad);
    expect(warn).toHaveBeenCalledTimes(5);
    last().receive({ id: 999, result: { ok: true, value: 'stray' } });
    last().receive({ id, result: { ok: true, value: { shell: 'web', version: '1' } } });
    expect(await p).toEqual({ ok: true, value: { shell: 'web', version: '1' } });
    warn.mockRestore();
  });

  it('fails calls in flight when the socket drops, reconnects with backoff and sends queued calls', async () => {
    const { t, sockets, timers, last } = setup();
    last().open();
    const inFlight = t.call('case:summary', {});
    last().drop();
    expect(await inFlight).toEqual({ ok: false, error: { code: 'io-error', message: 'the connection to the engine was lost' } });
    expect(timers.map((x) => x.ms)).toEqual([250]);
    const queued = t.call('app:info', {});
    timers[0]!.fn();
    expect(sockets).toHaveLength(2);
    last().drop();
    expect(timers.map((x) => x.ms)).toEqual([250, 500]);
    timers[1]!.fn();
    last().open();
    const msg = last().sent[0]!;
    expect(msg.call).toBe('app:info');
    last().receive({ id: msg.id, result: { ok: true, value: 1 } });
    expect(await queued).toEqual({ ok: true, value: 1 });
  });

  it('says when the connection drops and when it is back, once each', () => {
    const { t, timers, last } = setup();
    const seen: boolean[] = [];
    t.onStatus((c) => seen.push(c));
    last().open();
    last().drop();
    timers[0]!.fn();
    last().drop();
    timers[1]!.fn();
    last().open();
    expect(seen).toEqual([false, true]);
  });

  it('caps the backoff and refuses calls once closed', async () => {
    expect([0, 250, 4000, 5000].map(nextBackoff)).toEqual([250, 500, 5000, 5000]);
    const { t, last } = setup();
    const pending = t.call('app:info', {});
    t.close();
    expect((await pending).ok).toBe(false);
    expect((await t.call('app:info', {})).ok).toBe(false);
    expect(last().readyState).toBe(3);
  });

  it('decodes server messages', () => {
    expect(parseServerMessage('{"id":1,"result":{"ok":true,"value":null}}')).toEqual({ kind: 'result', id: 1, result: { ok: true, value: null } });
    expect(parseServerMessage('{"push":"import:progress","payload":{}}')).toEqual({ kind: 'push', name: 'import:progress', payload: {} });
    expect(parseServerMessage(new ArrayBuffer(2)).kind).toBe('invalid');
    expect(parseServerMessage('{').kind).toBe('invalid');
  });
});
