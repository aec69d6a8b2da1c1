/**
 * Aggregates under a filter are counted over scanned columns (scan.ts) when the cache has them, and
 * by SQLite otherwise. Both must answer every request identically: top values of every field, the
 * timeline under every stacking, totals, entity summaries and the sort groups of a page, for random
 * filters mixing every field, null and unknown values, negation, disabled and empty clauses, time
 * ranges and the free-text search. Checked on the query fixture, again after an append of older
 * events (the columns extend, and time is no longer in row order), on `../shared/corpus/` when
 * present, and on a table whose row ids have gaps (no columns: SQL answers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityKind, StackBy } from '../../../shared/api';
import { FILTER_FIELDS, type Filter, type FilterClause, type SortField } from '../../../shared/domain';
import { Engine } from '../../../electron/engine/engine';
import { QueryCache } from '../../../electron/engine/query/cache';
import { countEvents } from '../../../electron/engine/query/events';
import { entitySummary, facetsTop } from '../../../electron/engine/query/facets';
import { pageIds } from '../../../electron/engine/query/sortedPage';
import { timelineBuckets } from '../../../electron/engine/query/timeline';
import { warmWhenIdle } from '../../../electron/engine/handlers';
import { envelope, gz, tmpDir, trailKey, write } from '../../helpers/evidence';
import { type Fixture, N, NEEDLE, T0, type ViewRow, fieldValues, fixtureRecord, makeFixture, viewRows } from './fixture';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const STACKS: readonly StackBy[] = ['outcome', 'readOnly', 'eventCategory', 'none'];
const KINDS: readonly EntityKind[] = ['accessKey', 'principal', 'sessionIssuer', 'ip', 'userAgent'];
const SORTS: readonly SortField[] = ['eventName', 'userAgent', 'awsRegion', 'errorCode', 'eventTimeMs'];

/** A small seeded generator, so a failure names a filter that can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

/** Random filters over the values present in `rows` (and some that are not). */
function randomFilters(rows: readonly ViewRow[], count: number, seed: number): Filter[] {
  const rand = prng(seed);
  const times = rows.map((r) => r.eventTimeMs).sort((a, b) => a - b);
  const filters: Filter[] = [];
  for (let k = 0; k < count; k++) {
    const clauses: FilterClause[] = [];
    const n = Math.floor(rand() * 4);
    for (let c = 0; c < n; c++) {
      const field = pick(rand, FILTER_FIELDS);
      const present = [...new Set(rows.flatMap((r) => fieldValues(r, field)))];
      const values: (string | null)[] = [];
      const m = Math.floor(rand() * 4);
      for (let v = 0; v < m; v++) values.push(rand() < 0.15 ? null : rand() < 0.1 ? 'no-such-value' : (pick(rand, present) ?? null));
      clauses.push({ id: `c${c}`, field, values, negate: rand() < 0.3, enabled: rand() < 0.9 });
    }
    const filter: Filter = { clauses };
    const range =
      rand() < 0.35
        ? { fromMs: pick(rand, times) - Math.floor(rand() * 2), toMs: pick(rand, times) + Math.floor(rand() * 2) }
        : undefined;
    filters.push({
      ...filter,
      ...(range && range.fromMs < range.toMs ? { range } : {}),
      ...(rand() < 0.1 ? { text: rand() < 0.5 ? NEEDLE.toUpperCase() : 'bucketName' } : {}),
    });
  }
  return filters;
}

function withoutTiming<T extends object>(x: T): Omit<T, 'elapsedMs'> {
  const { elapsedMs: _, ...rest } = x as T & { elapsedMs?: number };
  return rest;
}

/** Asks both caches everything about `filter` and expects equal answers. */
function expectSameAnswers(engine: Engine, scan: QueryCache, sql: QueryCache, filter: Filter, k: number, rows: readonly ViewRow[]): void {
  const store = engine.store;
  const label = JSON.stringify(filter);
  for (const field of [FILTER_FIELDS[k % FILTER_FIELDS.length], FILTER_FIELDS[(k * 7 + 3) % FILTER_FIELDS.length]] as const) {
    const req = { filter, field, limit: 1 + (k % 12) };
    expect(withoutTiming(facetsTop(store, scan, req)), `${label} top ${field}`).toEqual(withoutTiming(facetsTop(store, sql, req)));
  }
  expect(countEvents(store, scan, filter), label).toBe(countEvents(store, sql, filter));
  const times = rows.map((r) => r.eventTimeMs);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const bucketMs = [60_000, 600_000, 3_600_000][k % 3] as number;
  const fromMs = Math.floor(first / bucketMs) * bucketMs - (k % 2) * bucketMs;
  const toMs = Math.ceil((last + 1) / bucketMs) * bucketMs;
  const tl = { filter, fromMs, toMs, bucketMs, stackBy: STACKS[k % STACKS.length] as StackBy };
  expect(withoutTiming(timelineBuckets(store, scan, tl)), `${label} timeline`).toEqual(withoutTiming(timelineBuckets(store, sql, tl)));
  const kind = KINDS[k % KINDS.length] as EntityKind;
  const field = ({ accessKey: 'userIdentity_accessKeyId', principal: 'userIdentity_arn', sessionIssuer: 'sessionIssuer_arn', ip: 'sourceIPAddress', userAgent: 'userAgent' } as const)[kind];
  const value = rows.map((r) => r[field]).find((v, i) => typeof v === 'string' && i >= k % rows.length) ?? rows.map((r) => r[field]).find((v) => typeof v === 'string');
  if (typeof value === 'string') {
    const ent = { kind, value, filter };
    expect(entitySummary(store, scan, ent), `${label} entity`).toEqual(entitySummary(store, sql, ent));
  }
  const sort = { field: SORTS[k % SORTS.length] as SortField, dir: k % 2 ? ('asc' as const) : ('desc' as const) };
  const offset = (k * 13) % 40;
  expect(pageIds(store, scan, filter, sort, offset, 25), `${label} page`).toEqual(pageIds(store, sql, filter, sort, offset, 25));
}

describe('scanned aggregates', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await makeFixture();
  });
  afterAll(() => fx.engine.close());

  it('are what SQL answers, for random filters over every field', () => {
    const scan = new QueryCache();
    const sql = new QueryCache({ scan: false });
    expect(scan.columns(fx.engine.store)?.size).toBe(N);
    expect(sql.columns(fx.engine.store)).toBeNull();
    const rows = viewRows(fx.engine);
    randomFilters(rows, 160, 7).forEach((f, k) => expectSameAnswers(fx.engine, scan, sql, f, k, rows));
  });

  it('are the same when the columns were part-filled in idle slices first', () => {
    const scan = new QueryCache();
    const sql = new QueryCache({ scan: false });
    const rows = viewRows(fx.engine);
    expect(scan.warm(fx.engine.store, 100)).toBe(true);
    expect(scan.warm(fx.engine.store, 100)).toBe(true);
    randomFilters(rows, 20, 5).forEach((f, k) => expectSameAnswers(fx.engine, scan, sql, f, k, rows));
    expect(scan.warm(fx.engine.store, 100)).toBe(false);
  });

  it('are filled while the engine is idle, in slices, until no row is left', async () => {
    const cache = new QueryCache();
    const store = fx.engine.store;
    expect(cache.warm(store, 0)).toBe(true); // nothing loaded yet
    warmWhenIdle(fx.engine, cache)();
    for (let i = 0; i < 100 && cache.warm(store, 0); i++) await new Promise((r) => setTimeout(r, 10));
    expect(cache.warm(store, 0)).toBe(false);
  });

  it('are not filled while an import runs: the idle slices wait for it', async () => {
    const engine = await Engine.create();
    try {
      const dir = tmpDir();
      write(dir, 'a.json', envelope(Array.from({ length: 300 }, (_, i) => fixtureRecord(i))));
      await engine.importPaths([dir]);
      const cache = new QueryCache();
      const warmed: boolean[] = [];
      const warm = cache.warm.bind(cache);
      cache.warm = (store, rows) => {
        warmed.push(engine.importing);
        return warm(store, rows);
      };
      const seen: boolean[] = [];
      const importing = Object.getOwnPropertyDescriptor(Engine.prototype, 'importing')?.get as () => boolean;
      Object.defineProperty(engine, 'importing', { get: () => (seen.push(importing.call(engine)), seen[seen.length - 1]) });
      const more = tmpDir();
      write(more, 'b.json', envelope(Array.from({ length: 300 }, (_, i) => fixtureRecord(1000 + i))));
      const running = engine.importPaths([more]);
      const schedule = warmWhenIdle(engine, cache);
      schedule();
      await new Promise((r) => setTimeout(r, 5));
      await running;
      expect(seen).toContain(true); // a slice came up while the import ran…
      expect(warmed).not.toContain(true); // …and did nothing
      schedule();
      for (let i = 0; i < 100 && warm(engine.store, 0); i++) await new Promise((r) => setTimeout(r, 10));
      expect(warmed.length).toBeGreaterThan(0); // once it is done, the columns fill
      expect(warm(engine.store, 0)).toBe(false);
    } finally {
      engine.close();
    }
  });

  it('still are after an import appends older events: the columns extend, time is out of row order', async () => {
    const scan = new QueryCache();
    const sql = new QueryCache({ scan: false });
    const before = randomFilters(viewRows(fx.engine), 10, 11);
    before.forEach((f, k) => expectSameAnswers(fx.engine, scan, sql, f, k, viewRows(fx.engine)));
    const loaded = scan.columns(fx.engine.store);
    const dir = tmpDir('cairn-scan-');
    const older = Array.from({ length: 60 }, (_, i) => ({ ...fixtureRecord(i + 1000), eventTime: new Date(T0 - (i + 1) * 91_000).toISOString() }));
    write(dir, trailKey('111122223333', 'us-east-1', '2023-12-31', 'older'), gz(envelope(older)));
    await fx.engine.importPaths([dir]);
    const rows = viewRows(fx.engine);
    expect(rows.length).toBe(N + 60);
    expect(scan.columns(fx.engine.store)).toBe(loaded);
    expect(loaded?.size).toBe(N + 60);
    expect(loaded?.times().sorted).toBe(false);
    randomFilters(rows, 120, 12).forEach((f, k) => expectSameAnswers(fx.engine, scan, sql, f, k, rows));
  });

  it('are left to SQL when the row ids have gaps', async () => {
    const other = await makeFixture();
    try {
      other.engine.store.run('DELETE FROM ev WHERE id = 17');
      const scan = new QueryCache();
      expect(scan.columns(other.engine.store)).toBeNull();
      const filter: Filter = { clauses: [{ id: 'a', field: 'eventName', values: ['GetObject'], negate: true, enabled: true }] };
      const top = facetsTop(other.engine.store, scan, { filter, field: 'awsRegion', limit: 5 });
      const expected = other.engine.store.all("SELECT awsRegion AS value, count(*) AS n FROM events WHERE eventName IS NOT 'GetObject' GROUP BY 1 ORDER BY n DESC, value");
      expect(top.values).toEqual(expected.map((r) => ({ value: r['value'], count: r['n'] })));
    } finally {
      other.engine.close();
    }
  });
});

describe('scanned aggregates over the public corpus', () => {
  const present = fs.existsSync(CORPUS);
  it.skipIf(!present)('are what SQL answers', async () => {
    const engine = await Engine.create();
    try {
      await engine.importPaths([CORPUS]);
      const rows = viewRows(engine);
      expect(rows.length).toBeGreaterThan(1000);
      const scan = new QueryCache();
      const sql = new QueryCache({ scan: false });
      randomFilters(rows, 60, 99).forEach((f, k) => expectSameAnswers(engine, scan, sql, f, k, rows));
    } finally {
      engine.close();
    }
  }, 120_000);
  if (!present) it('skips: ../shared/corpus is absent', () => console.warn(`scan test: ${CORPUS} is absent; corpus comparison skipped`));
});
