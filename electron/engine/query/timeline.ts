/**
 * Counts per time bucket for the timeline, stacked by a series. Only counts leave the engine, never
 * rows. Buckets are [fromMs + k·bucketMs, fromMs + (k+1)·bucketMs) within [fromMs, toMs) and the
 * filter (its own range included); empty buckets are omitted.
 */
import type { ApiRequest, ApiResponse, StackBy, TimelineBucket } from '../../../shared/api';
import { MINUTE_MS, hasMinuteCounts } from '../store/minuteCounts';
import type { Row, Store } from '../store/store';
import type { QueryCache } from './cache';
import { compileFilter, isEmptyFilter } from './filter';
import { type Columns, NULL_CODE } from './scan';

/** What an event is counted as: a series index (or a dictionary id for eventCategory). */
const SERIES_EXPR: Readonly<Record<StackBy, string>> = {
  outcome: '(e.error_code IS NOT NULL)',
  readOnly: 'CASE e.read_only WHEN 1 THEN 0 WHEN 0 THEN 1 ELSE 2 END',
  eventCategory: 'e.category',
  none: '0',
};
const FIXED_SERIES: Readonly<Record<Exclude<StackBy, 'eventCategory'>, readonly string[]>> = {
  outcome: ['success', 'error'],
  readOnly: ['read', 'write', 'unknown'],
  none: ['events'],
};
/** The series of events without an eventCategory. */
export const NO_CATEGORY = '(none)';

interface Cell {
  readonly b: number;
  readonly s: number | null;
  readonly n: number;
}

/** eventCategory series: the categories present, largest first; maps dictionary ids to series indexes. */
function categorySeries(store: Store, cells: readonly Cell[]): { series: string[]; index: Map<number | null, number> } {
  const totals = new Map<number | null, number>();
  for (const c of cells) totals.set(c.s, (totals.get(c.s) ?? 0) + c.n);
  const ids = [...totals.keys()].filter((id): id is number => id !== null);
  const names = new Map<number, string>();
  if (ids.length > 0) {
    for (const r of store.all('SELECT id, value FROM strings WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)])) {
      names.set(Number(r['id']), String(r['value']));
    }
  }
  const ordered = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  return {
    series: ordered.map(([id]) => (id === null ? NO_CATEGORY : (names.get(id) ?? NO_CATEGORY))),
    index: new Map(ordered.map(([id], i) => [id, i])),
  };
}

// sql.js binds numbers beyond 32 bits as doubles: the casts keep the bucket arithmetic integral.
const BUCKET = '(e.t - CAST(? AS INTEGER)) / CAST(? AS INTEGER)';

function toCells(rows: readonly Row[]): Cell[] {
  return rows.map((r) => ({ b: Number(r['b']), s: typeof r['s'] === 'number' ? r['s'] : null, n: Number(r['n']) }));
}

/**
 * The first screen (no filter, stacked by outcome or not at all): from the per-minute counts when the
 * buckets are whole minutes, else from indexes alone: totals from the
 * (t) index, failures from the error-code index (`+e.t` keeps the planner off the time index, which
 * would read every row's error code from the table).
 */
function unfilteredCells(store: Store, req: ApiRequest<'timeline:buckets'>): Cell[] {
  if ([req.fromMs, req.toMs, req.bucketMs].every((ms) => ms % MINUTE_MS === 0) && hasMinuteCounts(store)) return minuteCells(store, req);
  const params = [req.fromMs, req.bucketMs, req.fromMs, req.toMs];
  const totals = toCells(store.all(`SELECT ${BUCKET} AS b, 0 AS s, count(*) AS n FROM ev e WHERE e.t >= ? AND e.t < ? GROUP BY b`, params));
  if (req.stackBy === 'none') return totals;
  const errors = new Map(
    store.all(`SELECT ${BUCKET} AS b, count(*) AS n FROM ev e WHERE e.error_code IS NOT NULL AND +e.t >= ? AND +e.t < ? GROUP BY b`, params).map((r) => [Number(r['b']), Number(r['n'])]),
  );
  return totals.flatMap((c) => {
    const failed = errors.get(c.b) ?? 0;
    return [{ b: c.b, s: 0, n: c.n - failed }, { b: c.b, s: 1, n: failed }].filter((x) => x.n > 0);
  });
}

/** The same cells from the per-minute counts, when the buckets are whole minutes (the UI's always are). */
function minuteCells(store: Store, req: ApiRequest<'timeline:buckets'>): Cell[] {
  const rows = store.all(
    `SELECT (m * ${MINUTE_MS} - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, sum(n) AS n, sum(errors) AS errors
     FROM tl_minute WHERE m >= CAST(? AS INTEGER) AND m < CAST(? AS INTEGER) GROUP BY b`,
    [req.fromMs, req.bucketMs, req.fromMs / MINUTE_MS, req.toMs / MINUTE_MS],
  );
  return rows.flatMap((r): Cell[] => {
    const b = Number(r['b']);
    const n = Number(r['n']);
    const failed = Number(r['errors']);
    if (req.stackBy === 'none') return [{ b, s: 0, n }];
    return [{ b, s: 0, n: n - failed }, { b, s: 1, n: failed }].filter((x) => x.n > 0);
  });
}

/** Buckets a scan fills at most (the UI asks for about a thousand); wider requests stay in SQL. */
const MAX_SCANNED_BUCKETS = 1_000_000;

/** The column a stack is counted by, and each of its codes' series value (as SERIES_EXPR gives it). */
function seriesOf(stackBy: StackBy): { col: string | null; value: (code: number) => number | null } {
  switch (stackBy) {
    case 'outcome':
      return { col: 'error_code', value: (code) => (code === NULL_CODE ? 0 : 1) };
    case 'readOnly':
      return { col: 'read_only', value: (code) => (code === 1 ? 0 : code === 0 ? 1 : 2) };
    case 'eventCategory':
      return { col: 'category', value: (code) => (code === NULL_CODE ? null : code) };
    case 'none':
      return { col: null, value: () => 0 };
  }
}

/** The cells from the scanned columns, in the order SQL's GROUP BY b, s gives them (NULL first). */
function scannedCells(cols: Columns, cache: QueryCache, req: ApiRequest<'timeline:buckets'>): Cell[] | null {
  const buckets = Math.ceil((req.toMs - req.fromMs) / req.bucketMs);
  if (!(buckets <= MAX_SCANNED_BUCKETS)) return null;
  const sel = cols.select(req.filter, cache, { fromMs: req.fromMs, toMs: req.toMs });
  const t = cols.times().values;
  const { col, value } = seriesOf(req.stackBy);
  const codes = col ? cols.codes(col).values : null;
  // One row of counts per series value met; a code's series is looked up once per distinct code.
  const slotOfCode = new Map<number, number>();
  const slotValues: (number | null)[] = [];
  const counts: Int32Array[] = [];
  const slotOf = (code: number): number => {
    const v = value(code);
    let slot = slotValues.indexOf(v);
    if (slot === -1) {
      slot = slotValues.push(v) - 1;
      counts.push(new Int32Array(buckets));
    }
    slotOfCode.set(code, slot);
    return slot;
  };
  const mask = sel.mask;
  const from = req.fromMs;
  const width = req.bucketMs;
  let lastCode = NaN;
  let lastSlot = -1;
  for (let i = sel.lo; i < sel.hi; i++) {
    if (mask && mask[i] === 0) continue;
    const code = codes ? (codes[i] as number) : 0;
    if (code !== lastCode) {
      lastSlot = slotOfCode.get(code) ?? slotOf(code);
      lastCode = code;
    }
    const row = counts[lastSlot] as Int32Array;
    const b = Math.floor(((t[i] as number) - from) / width);
    row[b] = (row[b] as number) + 1;
  }
  const order = slotValues.map((v, slot) => ({ v, slot })).sort((a, b) => (a.v === null ? -1 : b.v === null ? 1 : a.v - b.v));
  const cells: Cell[] = [];
  for (let b = 0; b < buckets; b++) {
    for (const { v, slot } of order) {
      const n = (counts[slot] as Int32Array)[b] as number;
      if (n > 0) cells.push({ b, s: v, n });
    }
  }
  return cells;
}

function cellsFor(store: Store, cache: QueryCache, req: ApiRequest<'timeline:buckets'>): Cell[] {
  const unfiltered = isEmptyFilter(req.filter);
  if (unfiltered && (req.stackBy === 'outcome' || req.stackBy === 'none')) return unfilteredCells(store, req);
  const cols = cache.columns(store);
  const scanned = cols ? scannedCells(cols, cache, req) : null;
  if (scanned) return scanned;
  const where = compileFilter(store, req.filter, cache);
  const sql = `SELECT ${BUCKET} AS b, ${SERIES_EXPR[req.stackBy]} AS s, count(*) AS n FROM ev e WHERE e.t >= ? AND e.t < ? AND ${where.sql} GROUP BY b, s`;
  return toCells(store.all(sql, [req.fromMs, req.bucketMs, req.fromMs, req.toMs, ...where.params]));
}

export function timelineBuckets(store: Store, cache: QueryCache, req: ApiRequest<'timeline:buckets'>): ApiResponse<'timeline:buckets'> {
  const started = performance.now();
  const cells = cellsFor(store, cache, req).sort((x, y) => x.b - y.b);
  const { series, index } =
    req.stackBy === 'eventCategory' ? categorySeries(store, cells) : { series: [...FIXED_SERIES[req.stackBy]], index: null };
  const buckets: { t: number; counts: number[] }[] = [];
  for (const c of cells) {
    let last = buckets[buckets.length - 1];
    const t = req.fromMs + c.b * req.bucketMs;
    if (!last || last.t !== t) {
      last = { t, counts: series.map(() => 0) };
      buckets.push(last);
    }
    const i = index ? (index.get(c.s) ?? 0) : (c.s ?? 0);
    last.counts[i] = (last.counts[i] ?? 0) + c.n;
  }
  return { series, buckets: buckets satisfies TimelineBucket[], elapsedMs: performance.now() - started };
}
