import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntitySummary, TimelineBucket } from '../../../shared/api';
import { type CountByValue, FILTER_FIELDS, type Filter } from '../../../shared/domain';
import { type Fixture, N, T0, type ViewRow, fieldValues, makeFixture, viewRows } from './fixture';

let fx: Fixture;
let rows: ViewRow[];
beforeAll(async () => {
  fx = await makeFixture();
  rows = viewRows(fx.engine);
});
afterAll(() => fx.engine.close());

const ALL: Filter = { clauses: [] };
const S3: Filter = { clauses: [{ id: 's3', field: 'eventSource', values: ['s3.amazonaws.com'], negate: false, enabled: true }] };
type Timeline = { series: string[]; buckets: TimelineBucket[]; elapsedMs: number };

describe('timeline:buckets', () => {
  const fromMs = T0 - 60_000;
  const toMs = T0 + N * 37_000;
  const bucketMs = 600_000;

  it.each([
    ['S3 events', S3, "eventSource = 's3.amazonaws.com'"],
    ['every event (answered from indexes)', ALL, '1'],
  ] as const)('counts %s per bucket stacked by outcome and not at all, like GROUP BY on the view', async (_, filter, viewWhere) => {
    const got = await fx.value<Timeline>('timeline:buckets', { filter, fromMs, toMs, bucketMs, stackBy: 'outcome' });
    expect(got.series).toEqual(['success', 'error']);
    const expected = fx.engine.store.all(
      `SELECT CAST(? AS INTEGER) + ((eventTimeMs - CAST(? AS INTEGER)) / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, sum(errorCode IS NULL) AS ok, sum(errorCode IS NOT NULL) AS bad
       FROM events WHERE ${viewWhere} AND eventTimeMs >= ? AND eventTimeMs < ? GROUP BY 1 ORDER BY 1`,
      [fromMs, fromMs, bucketMs, bucketMs, fromMs, toMs],
    );
    expect(got.buckets).toEqual(expected.map((r) => ({ t: r['t'], counts: [r['ok'], r['bad']] })));
    expect(got.buckets.reduce((n, b) => n + (b.counts[1] ?? 0), 0)).toBeGreaterThan(0);
    const none = await fx.value<Timeline>('timeline:buckets', { filter, fromMs, toMs, bucketMs, stackBy: 'none' });
    expect(none.series).toEqual(['events']);
    expect(none.buckets).toEqual(expected.map((r) => ({ t: r['t'], counts: [Number(r['ok']) + Number(r['bad'])] })));
  });

  it('stacks by readOnly and by category, and sums to the filter total', async () => {
    const ro = await fx.value<Timeline>('timeline:buckets', { filter: ALL, fromMs, toMs, bucketMs, stackBy: 'readOnly' });
    expect(ro.series).toEqual(['read', 'write', 'unknown']);
    const sums = [0, 1, 2].map((i) => ro.buckets.reduce((n, b) => n + (b.counts[i] ?? 0), 0));
    expect(sums).toEqual([
      fx.engine.store.scalar('SELECT count(*) FROM events WHERE readOnly = 1'),
      fx.engine.store.scalar('SELECT count(*) FROM events WHERE readOnly = 0'),
      fx.engine.store.scalar('SELECT count(*) FROM events WHERE readOnly IS NULL'),
    ]);
    const cat = await fx.value<Timeline>('timeline:buckets', { filter: ALL, fromMs, toMs, bucketMs, stackBy: 'eventCategory' });
    const expected = fx.engine.store.all('SELECT coalesce(eventCategory, ?) AS c, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC', ['(none)']);
    expect(cat.series).toEqual(expected.map((r) => r['c']));
    expect(cat.series.map((_, i) => cat.buckets.reduce((n, b) => n + (b.counts[i] ?? 0), 0))).toEqual(expected.map((r) => r['n']));
  });

  it('omits empty buckets and honours the filter range', async () => {
    const got = await fx.value<Timeline>('timeline:buckets', { filter: { clauses: [], range: { fromMs: T0, toMs: T0 + 3_600_000 } }, fromMs: T0 - 86_400_000, toMs: T0 + 86_400_000, bucketMs: 3_600_000, stackBy: 'none' });
    expect(got.series).toEqual(['events']);
    expect(got.buckets).toEqual([{ t: T0, counts: [fx.engine.store.scalar('SELECT count(*) FROM events WHERE eventTimeMs >= ? AND eventTimeMs < ?', [T0, T0 + 3_600_000])] }]);
  });

  it('refuses more than 5000 buckets and empty windows', async () => {
    expect(await fx.call('timeline:buckets', { filter: ALL, fromMs: 0, toMs: 5001, bucketMs: 1, stackBy: 'none' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await fx.call('timeline:buckets', { filter: ALL, fromMs: 0, toMs: 5000, bucketMs: 1, stackBy: 'none' })).ok).toBe(true);
    expect(await fx.call('timeline:buckets', { filter: ALL, fromMs: 10, toMs: 10, bucketMs: 1, stackBy: 'none' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await fx.call('timeline:buckets', { filter: ALL, fromMs: 0, toMs: 10, bucketMs: 0, stackBy: 'none' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await fx.call('timeline:buckets', { filter: ALL, fromMs: 0, toMs: 10, bucketMs: 1, stackBy: 'colour' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

/** Value counts of a field over view rows, counting each event once per distinct value; null = absent. */
function oracleCounts(field: (typeof FILTER_FIELDS)[number], subset: readonly ViewRow[]): Map<string | null, number> {
  const m = new Map<string | null, number>();
  for (const r of subset) {
    const vs = [...new Set(fieldValues(r, field).filter((v) => v !== null))];
    for (const v of vs.length > 0 ? vs : [null]) m.set(v, (m.get(v) ?? 0) + 1);
  }
  return m;
}

describe('facets:top', () => {
  it.each(FILTER_FIELDS.map((f) => [f]))('counts %s under the filter like the view, null included', async (field) => {
    const got = await fx.value<{ values: CountByValue[] }>('facets:top', { filter: S3, field, limit: 1000 });
    const expected = oracleCounts(field, rows.filter((r) => r['eventSource'] === 's3.amazonaws.com'));
    expect(new Map(got.values.map((v) => [v.value, v.count]))).toEqual(expected);
    const counts = got.values.map((v) => v.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it.each([['resourceName'], ['resourceType']] as const)('orders %s with its null value among the others and keeps the top `limit`', async (field) => {
    for (const [filter, subset] of [
      [ALL, rows],
      [S3, rows.filter((r) => r['eventSource'] === 's3.amazonaws.com')],
      [
        { clauses: [{ id: 't', field: 'resourceType', values: ['AWS::IAM::Role', 'AWS::KMS::Key'], negate: false, enabled: true }], range: { fromMs: T0, toMs: T0 + 195 * 37_000 } },
        rows.filter((r) => r.eventTimeMs < T0 + 195 * 37_000 && fieldValues(r, 'resourceType').some((v) => v === 'AWS::IAM::Role' || v === 'AWS::KMS::Key')),
      ],
    ] as const) {
      expect(subset.length).toBeGreaterThan(0);
      const expected = [...oracleCounts(field, subset).entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] === null ? -1 : b[0] === null ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([value, count]) => ({ value, count }));
      for (const limit of [1, 2, 3, 4]) {
        const got = await fx.value<{ values: CountByValue[] }>('facets:top', { filter, field, limit });
        expect(got.values).toEqual(expected.slice(0, limit));
      }
    }
  });

  it('keeps the top `limit`', async () => {
    const got = await fx.value<{ values: CountByValue[] }>('facets:top', { filter: ALL, field: 'eventName', limit: 2 });
    const expected = fx.engine.store.all('SELECT eventName AS value, count(*) AS count FROM events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2');
    expect(got.values).toEqual(expected);
    expect(await fx.call('facets:top', { filter: ALL, field: 'eventName', limit: 0 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await fx.call('facets:top', { filter: ALL, field: 'requestParameters', limit: 5 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('correlate:entity', () => {
  it('summarises an access key: events, first/last, names and related entities, from the view', async () => {
    const key = 'AKIAALICE';
    const got = await fx.value<EntitySummary>('correlate:entity', { kind: 'accessKey', value: key, filter: ALL });
    const head = fx.engine.store.get('SELECT count(*) AS n, min(eventTimeMs) AS a, max(eventTimeMs) AS b FROM events WHERE userIdentity_accessKeyId = ?', [key]);
    expect(got).toMatchObject({ kind: 'accessKey', value: key, events: head?.['n'], firstMs: head?.['a'], lastMs: head?.['b'] });
    expect(got.events).toBeGreaterThan(0);
    const top = (col: string): unknown[] =>
      fx.engine.store.all(`SELECT ${col} AS value, count(*) AS count FROM events WHERE userIdentity_accessKeyId = ? AND ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`, [key]);
    expect(got.eventNames).toEqual(top('eventName'));
    expect(got.related).toEqual([
      { kind: 'principal', values: top('userIdentity_arn') },
      { kind: 'sessionIssuer', values: top('sessionIssuer_arn') },
      { kind: 'ip', values: top('sourceIPAddress') },
      { kind: 'userAgent', values: top('userAgent') },
    ]);
    expect(got.related[2]?.values.length).toBeGreaterThan(1);
  });

  it('applies the filter, and answers an empty summary for an unknown value', async () => {
    const got = await fx.value<EntitySummary>('correlate:entity', { kind: 'ip', value: '203.0.113.7', filter: S3 });
    expect(got.events).toBe(fx.engine.store.scalar("SELECT count(*) FROM events WHERE sourceIPAddress = '203.0.113.7' AND eventSource = 's3.amazonaws.com'"));
    const none = await fx.value<EntitySummary>('correlate:entity', { kind: 'principal', value: 'arn:nobody', filter: ALL });
    expect(none).toMatchObject({ events: 0, firstMs: null, lastMs: null, eventNames: [] });
    expect(await fx.call('correlate:entity', { kind: 'user', value: 'x', filter: ALL })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
