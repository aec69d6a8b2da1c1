/**
 * The UI's queries at benchmark size, made as the UI makes them (see runQueries).
 * Each is run once cold and then five times; the median of the five is what the report compares.
 */
import type { ApiRequest, ApiResponse, EngineCallName } from '../shared/api';
import type { Filter } from '../shared/domain';
import type { Engine } from '../electron/engine/engine';
import { createHandlers, dispatch } from '../electron/engine/handlers';

export interface Latency {
  readonly label: string;
  /** The first run (caches cold, statement not yet prepared). */
  readonly firstMs: number;
  readonly medianMs: number;
  /** The budget for this query at this size (ms). */
  readonly budgetMs: number;
  readonly rows: number;
  /** Set when the query failed (the bench goes on and reports it). */
  readonly error?: string;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Runs `fn` once cold and `runs` more times; `fn(k)` may vary its input by run. Failures are reported. */
async function measure(label: string, budgetMs: number, fn: (k: number) => Promise<number>, runs = 5): Promise<Latency> {
  try {
    let t = performance.now();
    const rows = await fn(0);
    const firstMs = performance.now() - t;
    const times: number[] = [];
    for (let k = 1; k <= runs; k++) {
      t = performance.now();
      await fn(k);
      times.push(performance.now() - t);
    }
    return { label, firstMs, medianMs: median(times), budgetMs, rows };
  } catch (e) {
    return { label, firstMs: Number.NaN, medianMs: Number.NaN, budgetMs, rows: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Issue 4's budgets: at 1M events 100 ms (page and record 20 ms); at 10M, 1 s. */
export function budgets(events: number): { query: number; point: number } {
  return events <= 1_000_000 ? { query: 100, point: 20 } : { query: 1000, point: 1000 };
}

/** Bucket width the timeline would pick for a span: a nice step giving at most ~1,000 bars. */
function bucketFor(spanMs: number): number {
  const steps = [60_000, 300_000, 900_000, 3_600_000, 10_800_000, 43_200_000, 86_400_000];
  return steps.find((s) => spanMs / s <= 1000) ?? 86_400_000;
}

/** A range on bucket boundaries, as the timeline asks for it (renderer/panels/timeline/scale.ts), `k` buckets wider. */
function aligned(fromMs: number, toMs: number, bucketMs: number, k: number): { fromMs: number; toMs: number } {
  return { fromMs: (Math.floor(fromMs / bucketMs) - k) * bucketMs, toMs: Math.ceil((toMs + 1) / bucketMs) * bucketMs };
}

/**
 * The calls the UI makes, through the same dispatcher as the app and web mode (payload checks and
 * the per-filter caches included): the timeline, the sidebar's top values (unfiltered, and under a
 * filter), a page of the table deep into the result (by time, and by a text column), one event with
 * its original record, and an entity summary. Each `fn(k)` varies its input by run where a cache
 * would otherwise answer.
 */
export async function runQueries(engine: Engine): Promise<Latency[]> {
  const store = engine.store;
  const handlers = createHandlers(engine);
  const call = async <K extends EngineCallName>(name: K, req: ApiRequest<K>): Promise<ApiResponse<K>> => {
    const r = await dispatch(handlers, name, req);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as ApiResponse<K>;
  };
  const n = store.scalar('SELECT count(*) FROM ev');
  const first = store.scalar('SELECT min(t) FROM ev');
  const last = store.scalar('SELECT max(t) FROM ev') + 1;
  const b = budgets(n);
  const offset = Math.max(0, Math.min(500_000, Math.floor(n / 2)));
  const account = String(store.get('SELECT s.value AS v FROM ev e JOIN strings s ON s.id = e.account GROUP BY e.account ORDER BY count(*) DESC LIMIT 1')?.['v'] ?? '');
  const key = String(store.get('SELECT s.value AS v FROM ev e JOIN strings s ON s.id = e.ui_key WHERE e.ui_key IS NOT NULL LIMIT 1 OFFSET ?', [Math.floor(n / 3)])?.['v'] ?? '');
  const byAccount = (k: number): Filter => ({ clauses: [{ id: `a${k}`, field: 'recipientAccountId', values: [account], negate: k % 2 === 1, enabled: true }] });
  // Rows spread over the whole table, so record lookups touch different raw blocks.
  const ids = [0, 1, 2, 3, 4, 5].map((k) => store.scalar('SELECT id FROM ev LIMIT 1 OFFSET ?', [Math.floor(((k * 0.161 + 0.07) % 1) * Math.max(0, n - 1))]));
  const all: Filter = { clauses: [] };
  const week = 7 * 86_400_000;
  return [
    await measure('timeline, whole range, stacked by outcome', b.query, async (k) => {
      const bucketMs = bucketFor(last - first);
      return (await call('timeline:buckets', { filter: all, ...aligned(first, last, bucketMs, k), bucketMs, stackBy: 'outcome' })).buckets.length;
    }),
    await measure('timeline, one week, one account', b.query, async (k) => {
      const bucketMs = bucketFor(week);
      return (await call('timeline:buckets', { filter: byAccount(k), ...aligned(first + (k % 3) * 86_400_000, first + week, bucketMs, 0), bucketMs, stackBy: 'outcome' })).buckets.length;
    }),
    await measure('top-10 event names', b.query, async () => (await call('facets:top', { filter: all, field: 'eventName', limit: 10 })).values.length),
    await measure('top-10 event names, one account (in / out)', b.query, async (k) => (await call('facets:top', { filter: byAccount(k), field: 'eventName', limit: 10 })).values.length),
    await measure('top-10 user agents', b.query, async () => (await call('facets:top', { filter: all, field: 'userAgent', limit: 10 })).values.length),
    await measure(`page of 100 by time at row ${offset}`, b.point, async (k) => (await call('events:page', { filter: all, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: offset + k * 100, limit: 100 })).rows.length),
    await measure(`page of 100 by event name at row ${offset}`, b.point, async (k) => (await call('events:page', { filter: all, sort: { field: 'eventName', dir: 'asc' }, offset: offset + k * 100, limit: 100 })).rows.length),
    await measure('one event with its original record', b.point, async (k) => ((await call('event:get', { rowId: ids[k % ids.length] ?? 1 })).raw.length > 0 ? 1 : 0)),
    await measure('entity summary of an access key', b.query, async () => (await call('correlate:entity', { kind: 'accessKey', value: key, filter: all })).events),
    // The query panel: an aggregate over the public view, and the same over the compact tables as its
    // baseline (the view's dictionary joins are all kept in aggregates; see the README's limits).
    await measure('SQL: events per eventName over the events view', b.query, async () => (await call('sql:run', { sql: 'SELECT eventName, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC', maxRows: 1000 })).rows.length),
    await measure('SQL: the same over ev and strings (baseline)', b.query, async () => (await call('sql:run', { sql: 'SELECT s.value AS eventName, count(*) AS n FROM ev e LEFT JOIN strings s ON s.id = e.name GROUP BY 1 ORDER BY n DESC', maxRows: 1000 })).rows.length),
  ];
}
