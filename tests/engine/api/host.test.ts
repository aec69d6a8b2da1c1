import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushEvents, Result } from '../../../shared/api';
import { EngineHost } from '../../../electron/engine/host/host';
import { envelope, gz, records, tmpDir, trailKey, write } from '../../helpers/evidence';

/** Waits for the first push of `name` that satisfies `pred`. */
function nextPush<K extends keyof PushEvents>(host: EngineHost, name: K, pred: (p: PushEvents[K]) => boolean = () => true): Promise<PushEvents[K]> {
  return new Promise((resolve) => {
    const off = host.onPush((n, payload) => {
      if (n === name && pred(payload as PushEvents[K])) {
        off();
        resolve(payload as PushEvents[K]);
      }
    });
  });
}

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('EngineHost', () => {
  const dir = tmpDir('cairn-host-');
  const evidence = path.join(dir, 'AWSLogs');
  let host: EngineHost;

  beforeAll(async () => {
    write(dir, trailKey('111122223333', 'us-east-1', '2024-01-01', 'a'), gz(envelope(records(40, (i) => ({ eventName: i % 4 === 0 ? 'PutObject' : 'GetObject' })))));
    write(dir, trailKey('111122223333', 'eu-west-1', '2024-01-02', 'b'), gz(envelope(records(25))));
    host = await EngineHost.start();
  });
  afterAll(async () => {
    await host.close();
  });

  it('imports through import:start, pushing progress and the report', async () => {
    const progress: unknown[] = [];
    const offProgress = host.onPush((n, p) => {
      if (n === 'import:progress') progress.push(p);
    });
    const started = value<{ importId: string }>(await host.call('import:start', { paths: [evidence] }));
    const done = await nextPush(host, 'import:done', (p) => p.importId === started.importId);
    offProgress();
    expect(done.report.records).toMatchObject({ seen: 65, imported: 65, rejected: 0 });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => (p as { importId: string }).importId === started.importId)).toBe(true);
    const counted = value<{ rows: number[][] }>(await host.call('sql:run', { sql: "SELECT count(*), sum(eventName = 'PutObject') FROM events", maxRows: 10 }));
    expect(counted.rows[0]).toEqual([65, 10]);
  });

  it('pages events through the worker', async () => {
    const filter = { clauses: [{ id: 'n', field: 'eventName', values: ['PutObject'], negate: false, enabled: true }] };
    const page = value<{ rows: { eventName: string }[]; total: number }>(await host.call('events:page', { filter, sort: { field: 'eventTimeMs', dir: 'desc' }, offset: 0, limit: 4 }));
    expect(page.total).toBe(10);
    expect(page.rows.map((r) => r.eventName)).toEqual(['PutObject', 'PutObject', 'PutObject', 'PutObject']);
  });

  it('answers queries while an import is running, and the import still completes', async () => {
    const more = path.join(dir, 'more');
    for (let f = 0; f < 12; f++) write(more, `f${f}.json.gz`, gz(envelope(records(400, (i) => ({ eventName: i % 2 ? 'ListBuckets' : 'GetObject' })))));
    const started = value<{ importId: string }>(await host.call('import:start', { paths: [more] }));
    let finished = false;
    const done = nextPush(host, 'import:done', (p) => p.importId === started.importId).then((p) => {
      finished = true;
      return p;
    });
    const filter = { clauses: [], text: 'listbuckets' };
    let answered = 0;
    while (!finished) {
      const r = await host.call('events:page', { filter, sort: { field: 'eventName', dir: 'asc' }, offset: 0, limit: 10 });
      expect(r.ok).toBe(true);
      answered++;
    }
    expect((await done).report.records.imported).toBe(4800);
    expect(answered).toBeGreaterThan(0);
    const page = value<{ total: number }>(await host.call('events:page', { filter, sort: { field: 'eventName', dir: 'asc' }, offset: 0, limit: 10 }));
    const counted = value<{ rows: number[][] }>(await host.call('sql:run', { sql: "SELECT count(*) FROM events WHERE eventName = 'ListBuckets'", maxRows: 1 }));
    expect(page.total).toBe(counted.rows[0]?.[0]);
    expect(page.total).toBe(2400);
  });

  it('cancels a running import', async () => {
    const big = path.join(dir, 'big');
    // Large enough that the import cannot finish before the cancel arrives, however fast it gets.
    for (let f = 0; f < 150; f++) write(big, `f${f}.json.gz`, gz(envelope(records(400))));
    const before = value<{ events: number }>(await host.call('case:summary', {})).events;
    const started = value<{ importId: string }>(await host.call('import:start', { paths: [big] }));
    const done = nextPush(host, 'import:done', (p) => p.importId === started.importId);
    expect(value(await host.call('import:cancel', { importId: started.importId }))).toEqual({ cancelled: true });
    const report = (await done).report;
    expect(report.cancelled).toBe(true);
    expect(report.records.seen).toBeLessThan(60_000);
    const after = value<{ events: number }>(await host.call('case:summary', {})).events;
    expect(after - before).toBe(report.records.imported);
  });

  it('refuses bad payloads with bad-request naming the field', async () => {
    const r = await host.call('sources:list', { offset: -1, limit: 10 });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(!r.ok && r.error.message).toContain('offset');
    const big = await host.call('sources:list', { offset: 0, limit: 1e9 });
    expect(!big.ok && big.error.message).toContain('limit');
    const notObject = await host.call('sql:run', 'SELECT 1');
    expect(notObject).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses unknown call names and the shell calls', async () => {
    expect(await host.call('nope:nope' as never, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await host.call('dialog:open' as never, { purpose: 'case' })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('answers a payload that is not plain data with bad-request', async () => {
    expect(await host.call('sql:run', { sql: 'SELECT 1', maxRows: 1, f: () => 1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('opens a case given at start, and refuses a file that is not a case', async () => {
    const casePath = path.join(dir, 'saved.cairn');
    value(await host.call('case:save', { path: casePath }));
    const events = value<{ events: number }>(await host.call('case:summary', {})).events;
    const other = await EngineHost.start({ casePath });
    try {
      const summary = value<{ events: number; path: string }>(await other.call('case:summary', {}));
      expect(summary).toMatchObject({ events, path: casePath });
      expect(events).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    await expect(EngineHost.start({ casePath: path.join(dir, 'AWSLogs', '111122223333') })).rejects.toThrow(/case/);
  });

  it('answers pending calls with internal when the worker dies, and later calls too', async () => {
    const doomed = await EngineHost.start();
    const endless = doomed.call('sql:run', { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', maxRows: 1 });
    await new Promise((r) => setTimeout(r, 200));
    await (doomed as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(await endless).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await doomed.call('case:summary', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    await doomed.close();
  });
});
