import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventRow, type Filter, SORT_FIELDS } from '../../../shared/domain';
import { envelope, records, write } from '../../helpers/evidence';
import { EVENT_ROW_COLUMNS } from '../../../electron/engine/query/columns';
import { type Fixture, N, makeFixture } from './fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await makeFixture();
});
afterAll(() => fx.engine.close());

type Page = { rows: EventRow[]; total: number; elapsedMs: number };
const ALL: Filter = { clauses: [] };

describe('events:page', () => {
  it.each(SORT_FIELDS.flatMap((f) => [[f, 'asc'] as const, [f, 'desc'] as const]))('sorts by %s %s like ORDER BY on the view, ties by rowId', async (field, dir) => {
    const expected = fx.engine.store.all(`SELECT rowId FROM events ORDER BY ${field} ${dir}, rowId ${dir}`).map((r) => Number(r['rowId']));
    const got: number[] = [];
    for (let offset = 0; offset < N; offset += 70) {
      const page = await fx.value<Page>('events:page', { filter: ALL, sort: { field, dir }, offset, limit: 70 });
      expect(page.total).toBe(N);
      got.push(...page.rows.map((r) => r.rowId));
    }
    expect(got).toEqual(expected);
  });

  it.each(SORT_FIELDS.flatMap((f) => [[f, 'asc'] as const, [f, 'desc'] as const]))('sorts a filtered result by %s %s in pages that straddle value groups', async (field, dir) => {
    const filter: Filter = { clauses: [{ id: 'k', field: 'awsRegion', values: ['eu-west-1'], negate: true, enabled: true }], text: '"maxResults"' };
    const expected = fx.engine.store
      .all(`SELECT rowId FROM events WHERE awsRegion <> 'eu-west-1' AND requestParameters LIKE '%maxResults%' ORDER BY ${field} ${dir}, rowId ${dir}`)
      .map((r) => Number(r['rowId']));
    expect(expected.length).toBeGreaterThan(50);
    const got: number[] = [];
    for (let offset = 0; offset < expected.length + 13; offset += 13) {
      const page = await fx.value<Page>('events:page', { filter, sort: { field, dir }, offset, limit: 13 });
      expect(page.total).toBe(expected.length);
      got.push(...page.rows.map((r) => r.rowId));
    }
    expect(got).toEqual(expected);
  });

  it('returns every EventRow column with the view values', async () => {
    const page = await fx.value<Page>('events:page', { filter: ALL, sort: { field: 'eventTimeMs', dir: 'desc' }, offset: 5, limit: 20 });
    expect(page.rows).toHaveLength(20);
    const cols = EVENT_ROW_COLUMNS.join(', ');
    for (const row of page.rows) {
      const view = fx.engine.store.get(`SELECT ${cols} FROM events WHERE rowId = ?`, [row.rowId]);
      expect(row).toEqual(view);
    }
    expect(page.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('counts per filter, and recounts after more events arrive', async () => {
    const filter: Filter = { clauses: [{ id: 'a', field: 'eventName', values: ['GetObject'], negate: false, enabled: true }] };
    const expected = fx.engine.store.scalar("SELECT count(*) FROM events WHERE eventName = 'GetObject'");
    const first = await fx.value<Page>('events:page', { filter, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 0 });
    expect(first).toMatchObject({ rows: [], total: expected });
    const text: Filter = { clauses: [], text: 'GETOBJECT' };
    const textBefore = await fx.value<Page>('events:page', { filter: text, sort: { field: 'eventName', dir: 'asc' }, offset: 0, limit: 1 });
    expect(textBefore.total).toBe(expected);
    write(fx.dir, 'more/extra.json', envelope(records(7, () => ({ eventName: 'GetObject' }))));
    await fx.engine.importPaths([path.join(fx.dir, 'more')]);
    const textAfter = await fx.value<Page>('events:page', { filter: text, sort: { field: 'eventName', dir: 'asc' }, offset: 0, limit: 1 });
    expect(textAfter.total).toBe(expected + 7);
    const again = await fx.value<Page>('events:page', { filter, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 5 });
    expect(again.total).toBe(expected + 7);
    expect(again.total).toBe(fx.engine.store.scalar("SELECT count(*) FROM events WHERE eventName = 'GetObject'"));
  });

  it('refuses bad paging', async () => {
    const base = { filter: ALL, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 10 };
    for (const [req, field] of [
      [{ ...base, limit: 10_001 }, 'limit'],
      [{ ...base, offset: 1.5 }, 'offset'],
      [{ ...base, offset: '0' }, 'offset'],
      [{ ...base, sort: { field: 'eventTime; --', dir: 'asc' } }, 'sort.field'],
      [{ ...base, sort: { field: 'eventName', dir: 'up' } }, 'sort.dir'],
      [{ ...base, filter: undefined }, 'filter'],
    ] as const) {
      const r = await fx.call('events:page', req);
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(!r.ok && r.error.message.startsWith(field)).toBe(true);
    }
  });
});

describe('event:get', () => {
  it('returns the row and the original record', async () => {
    const rowId = fx.engine.store.scalar("SELECT rowId FROM events WHERE eventID = 'evt-0042'");
    const got = await fx.value<{ row: EventRow; raw: string }>('event:get', { rowId });
    expect(got.row).toMatchObject({ rowId, eventID: 'evt-0042' });
    expect(JSON.parse(got.raw)).toMatchObject({ eventID: 'evt-0042', requestParameters: { maxResults: 42 } });
  });

  it('lists the other records of the same action (same sharedEventID), and none for an event without one', async () => {
    const rowId = fx.engine.store.scalar("SELECT rowId FROM events WHERE sharedEventID IS NOT NULL ORDER BY rowId LIMIT 1");
    const shared = fx.engine.store.get('SELECT sharedEventID AS s FROM events WHERE rowId = ?', [rowId])?.['s'];
    const expected = fx.engine.store.all('SELECT rowId FROM events WHERE sharedEventID = ? AND rowId <> ? ORDER BY eventTimeMs, rowId', [shared ?? null, rowId]).map((r) => Number(r['rowId']));
    expect(expected.length).toBeGreaterThan(0);
    const got = await fx.value<{ copies: EventRow[] }>('event:get', { rowId });
    expect(got.copies.map((r) => r.rowId)).toEqual(expected);
    const lone = fx.engine.store.scalar('SELECT rowId FROM events WHERE sharedEventID IS NULL LIMIT 1');
    expect((await fx.value<{ copies: EventRow[] }>('event:get', { rowId: lone })).copies).toEqual([]);
  });

  it('answers not-found for an id that is not there, bad-request for one that is not an id', async () => {
    expect(await fx.call('event:get', { rowId: 10_000_000 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await fx.call('event:get', { rowId: 0 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await fx.call('event:get', { rowId: '1' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
