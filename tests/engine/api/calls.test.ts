import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiName, PushEvents, Result } from '../../../shared/api';
import type { CaseSummary, RejectRow, SourceRow } from '../../../shared/domain';
import { Engine } from '../../../electron/engine/engine';
import { createHandlers, dispatch } from '../../../electron/engine/handlers';
import { envelope, gz, records, tmpDir, trailKey, write } from '../../helpers/evidence';

let engine: Engine;
let dir: string;
const call = (name: unknown, req: unknown): Promise<Result<unknown>> => dispatch(createHandlers(engine), name, req);
async function value<T>(name: ApiName, req: unknown): Promise<T> {
  const r = await call(name, req);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = tmpDir('cairn-calls-');
  write(dir, trailKey('111122223333', 'us-east-1', '2024-01-01', 'a'), gz(envelope(records(30))));
  write(dir, 'AWSLogs/broken.json', `{"Records": [${JSON.stringify(records(1)[0])}, {"eventName": "NoTime"}]}`);
  engine = await Engine.create();
});
afterAll(() => engine.close());

describe('case, import, sources and rejects through dispatch', () => {
  it('imports with import:start and reports through pushes', async () => {
    const done = new Promise<PushEvents['import:done']>((resolve) => {
      const off = engine.onPush((name, payload) => {
        if (name === 'import:done') {
          off();
          resolve(payload as PushEvents['import:done']);
        }
      });
    });
    const { importId } = await value<{ importId: string }>('import:start', { paths: [path.join(dir, 'AWSLogs')] });
    const report = await done;
    expect(report.importId).toBe(importId);
    expect(report.report.records).toMatchObject({ imported: 31, rejected: 1 });
    expect(await value('import:cancel', { importId })).toEqual({ cancelled: false });
    expect(await call('import:start', { paths: [] })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('import:start', { paths: [42] })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('paths[0]') } });
  });

  it('summarises the case', async () => {
    const s = await value<CaseSummary>('case:summary', {});
    expect(s.events).toBe(engine.store.scalar('SELECT count(*) FROM events'));
    expect(s).toMatchObject({ rejects: 1, dirty: true, path: null });
    expect(await value<CaseSummary>('case:summary', undefined)).toEqual(s);
    expect(await call('case:summary', 'x')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('lists sources and rejects in pages', async () => {
    const sources = await value<{ rows: SourceRow[]; total: number }>('sources:list', { offset: 0, limit: 1 });
    expect(sources.total).toBe(engine.store.scalar('SELECT count(*) FROM sources'));
    expect(sources.rows).toHaveLength(1);
    const rejects = await value<{ rows: RejectRow[]; total: number }>('rejects:list', { offset: 0, limit: 10 });
    expect(rejects.total).toBe(1);
    expect(rejects.rows[0]).toMatchObject({ path: path.join(dir, 'AWSLogs', 'broken.json'), index: 1 });
  });

  it('saves, starts a new case and reopens the saved one', async () => {
    const casePath = path.join(dir, 'c.cairn');
    const saved = await value<{ path: string; bytes: number }>('case:save', { path: casePath });
    expect(saved.path).toBe(casePath);
    expect((await value<CaseSummary>('case:new', {})).events).toBe(0);
    expect((await value<CaseSummary>('case:open', { path: casePath })).events).toBe(31);
    expect(await call('case:open', { path: path.join(dir, 'AWSLogs', 'broken.json') })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('case:open', { path: '' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses to save the case over a file of its evidence', async () => {
    const evidence = path.join(dir, 'AWSLogs', 'broken.json');
    const before = fs.readFileSync(evidence);
    expect(await call('case:save', { path: evidence })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('refusing') } });
    expect(fs.readFileSync(evidence).equals(before)).toBe(true);
  });
});

describe('sql and correlation through dispatch', () => {
  it('runs read-only SQL and refuses writes as sql-error', async () => {
    const r = await value<{ rows: unknown[][]; truncated: boolean }>('sql:run', { sql: 'SELECT eventID FROM events', maxRows: 5 });
    expect(r).toMatchObject({ truncated: true });
    expect(r.rows).toHaveLength(5);
    expect(await call('sql:run', { sql: 'DELETE FROM ev', maxRows: 5 })).toMatchObject({ ok: false, error: { code: 'sql-error' } });
    expect(await call('sql:run', { sql: 'SELECT 1', maxRows: 1e9 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const schema = await value<{ tables: { name: string; columns: string[] }[] }>('sql:schema', {});
    expect(schema.tables[0]?.name).toBe('events');
  });

  it.each([['sql:run'], ['sql:schema']] as const)('builds the correlation tables before %s needs them', async (name) => {
    const fresh = await Engine.create();
    try {
      write(dir, 'temp/keys.json', envelope(records(3, () => ({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/R/s', accessKeyId: 'ASIATESTKEY1' } }))));
      await fresh.importPaths([path.join(dir, 'temp')]);
      if (name === 'sql:run') {
        const run = await dispatch(createHandlers(fresh), 'sql:run', { sql: "SELECT access_key, events FROM Sessions WHERE access_key = 'ASIATESTKEY1'", maxRows: 10 });
        expect(run).toMatchObject({ ok: true, value: { rows: [['ASIATESTKEY1', 3]] } });
      } else {
        const schema = await dispatch(createHandlers(fresh), 'sql:schema', {});
        const tables = schema.ok ? (schema.value as { tables: { name: string }[] }).tables : [];
        expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'sessions', 'created']));
      }
    } finally {
      fresh.close();
    }
  });

  it('correlates a chain like the engine does', async () => {
    const by = { accessKey: 'AKIAEXAMPLEKEY' };
    expect(await value('correlate:chain', { by })).toEqual(JSON.parse(JSON.stringify(engine.correlate(by))));
    expect(await call('correlate:chain', { by: { accessKey: 'a', ip: 'b' } })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('correlate:chain', { by: { session: -1 } })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses unknown names, prototype tricks and shell calls', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null, Object.create(null), Symbol('x')]) {
      expect(await call(name, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(await call('app:info', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await call('case:open', JSON.parse('{"__proto__": {"path": "/x"}}'))).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
