/**
 * The UI's queries at benchmark size, against the store as the app uses it: the timeline's histogram,
 * the sidebar's top values, a page of the events table, and one event's original record.
 * Each is run once cold and then five times; the median of the five is what the report compares.
 */
import type { Store } from '../electron/engine/store/store';

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

const PAGE_COLUMNS = 'rowId, eventTime, eventName, eventSource, awsRegion, sourceIPAddress, userIdentity_arn, userIdentity_accessKeyId, errorCode, recipientAccountId';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Runs `fn` once cold and `runs` more times; `fn(k)` may vary its input by run. */
function measure(label: string, budgetMs: number, fn: (k: number) => number, runs = 5): Latency {
  try {
    return timed(label, budgetMs, fn, runs);
  } catch (e) {
    return { label, firstMs: Number.NaN, medianMs: Number.NaN, budgetMs, rows: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

function timed(label: string, budgetMs: number, fn: (k: number) => number, runs: number): Latency {
  let t = performance.now();
  const rows = fn(0);
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let k = 1; k <= runs; k++) {
    t = performance.now();
    fn(k);
    times.push(performance.now() - t);
  }
  return { label, firstMs, medianMs: median(times), budgetMs, rows };
}

/** Issue 4's budgets: at 1M events 100 ms (page and record 20 ms); at 10M, 1 s. */
export function budgets(events: number): { query: number; point: number } {
  return events <= 1_000_000 ? { query: 100, point: 20 } : { query: 1000, point: 1000 };
}

export function runQueries(store: Store): Latency[] {
  const n = store.scalar('SELECT count(*) FROM ev');
  const first = store.scalar('SELECT min(t) FROM ev');
  const b = budgets(n);
  const offset = Math.max(0, Math.min(500_000, Math.floor(n / 2)));
  const anchor = store.get('SELECT t, id FROM ev ORDER BY t, id LIMIT 1 OFFSET ?', [offset]);
  const account = store.get('SELECT account FROM ev GROUP BY account ORDER BY count(*) DESC LIMIT 1')?.['account'] ?? null;
  // Rows spread over the whole table, so record lookups touch different raw blocks.
  const ids = [0, 1, 2, 3, 4, 5].map((k) => store.scalar('SELECT id FROM ev LIMIT 1 OFFSET ?', [Math.floor(((k * 0.161 + 0.07) % 1) * Math.max(0, n - 1))]));
  const eventIds = ids.map((id) => String(store.get('SELECT event_id FROM ev WHERE id = ?', [id])?.['event_id'] ?? ''));
  const idAt = (k: number): number => ids[k % ids.length] ?? 1;

  return [
    measure('histogram per minute, whole range', b.query, () => store.all('SELECT (t - ?) / 60000 AS b, count(*) AS n FROM ev GROUP BY b', [first]).length),
    measure('top-10 event names', b.query, () => store.all('SELECT name, count(*) AS c FROM ev GROUP BY name ORDER BY c DESC LIMIT 10').length),
    measure('top-10 event names, one account', b.query, () => store.all('SELECT name, count(*) AS c FROM ev WHERE account = ? GROUP BY name ORDER BY c DESC LIMIT 10', [account]).length),
    measure(`page of 100 by time, OFFSET ${offset}`, b.point, () => store.all(`SELECT ${PAGE_COLUMNS} FROM events ORDER BY eventTimeMs, rowId LIMIT 100 OFFSET ?`, [offset]).length),
    measure(`page of 100 by time, keyset at row ${offset}`, b.point, () =>
      store.all(`SELECT ${PAGE_COLUMNS} FROM events WHERE (eventTimeMs, rowId) > (?, ?) ORDER BY eventTimeMs, rowId LIMIT 100`, [anchor?.['t'] ?? 0, anchor?.['id'] ?? 0]).length),
    measure('one event: original record by rowId', b.point, (k) => (store.rawRecord(idAt(k)) === null ? 0 : 1)),
    measure('one event: by eventID, then its record', b.point, (k) => {
      const row = store.get('SELECT rowId FROM events WHERE eventID = ?', [eventIds[k % eventIds.length] ?? '']);
      return typeof row?.['rowId'] === 'number' && store.rawRecord(row['rowId']) !== null ? 1 : 0;
    }),
  ];
}
