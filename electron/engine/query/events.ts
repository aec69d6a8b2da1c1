/**
 * The events table's queries: a page of rows for a filter and sort, its total, and one event with its
 * original record. A page is read in two steps — the sorted ids first (narrow, index-friendly), then
 * the readable columns of just those rows — so the dictionary lookups happen for one page, not for
 * every row the sort looks at. Totals are cached per filter: the table asks for many pages of one filter.
 */
import type { ApiResponse } from '../../../shared/api';
import type { EventRow, Filter, Sort } from '../../../shared/domain';
import { EngineError } from '../engine';
import type { Store } from '../store/store';
import { orderBy, rowsById } from './columns';
import { compileFilter, filterKey } from './filter';

const MAX_CACHED_COUNTS = 200;

/**
 * Counts per filter for one store. Events are only ever appended, so the largest row id tells
 * whether the cached counts still describe the table.
 */
export class CountCache {
  private store: Store | null = null;
  private maxId = -1;
  private readonly counts = new Map<string, number>();

  count(store: Store, filter: Filter): number {
    const maxId = store.scalar('SELECT max(id) FROM ev');
    if (store !== this.store || maxId !== this.maxId) {
      this.counts.clear();
      this.store = store;
      this.maxId = maxId;
    }
    const key = filterKey(filter);
    const hit = this.counts.get(key);
    if (hit !== undefined) return hit;
    const where = compileFilter(store, filter);
    const n = store.scalar(`SELECT count(*) FROM ev e WHERE ${where.sql}`, where.params);
    if (this.counts.size >= MAX_CACHED_COUNTS) this.counts.clear();
    this.counts.set(key, n);
    return n;
  }
}

/** Ids of the events matching `filter`, in `sort` order, from `offset` (at most `limit`). */
export function pageIds(store: Store, filter: Filter, sort: Sort, offset: number, limit: number): number[] {
  const where = compileFilter(store, filter);
  const sql = `SELECT e.id AS id FROM ev e WHERE ${where.sql} ORDER BY ${orderBy(sort.field, sort.dir)} LIMIT ? OFFSET ?`;
  return store.all(sql, [...where.params, limit, offset]).map((r) => Number(r['id']));
}

export function eventsPage(store: Store, counts: CountCache, req: { filter: Filter; sort: Sort; offset: number; limit: number }): ApiResponse<'events:page'> {
  const started = performance.now();
  const rows = req.limit === 0 ? [] : rowsById(store, pageIds(store, req.filter, req.sort, req.offset, req.limit));
  const total = counts.count(store, req.filter);
  return { rows, total, elapsedMs: performance.now() - started };
}

export function eventGet(store: Store, rowId: number): { row: EventRow; raw: string } {
  const row = rowsById(store, [rowId])[0];
  const raw = row ? store.rawRecord(rowId) : null;
  if (!row || raw === null) throw new EngineError('not-found', `no event with rowId ${rowId}`);
  return { row, raw };
}
