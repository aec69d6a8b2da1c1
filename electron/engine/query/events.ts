/**
 * The events table's queries: a page of rows for a filter and sort, its total, and one event with its
 * original record. A page is read in two steps — the sorted ids first (narrow, index-friendly), then
 * the readable columns of just those rows — so the dictionary lookups happen for one page, not for
 * every row the sort looks at (sortedPage.ts). Totals are cached per filter.
 */
import type { ApiResponse } from '../../../shared/api';
import type { Filter, Sort } from '../../../shared/domain';
import { EngineError } from '../errors';
import type { Store } from '../store/store';
import type { QueryCache } from './cache';
import { rowsById } from './columns';
import { compileFilter, filterKey } from './filter';
import { countSelected } from './scan';
import { pageIds } from './sortedPage';

/** Matching rows of a filter (cached: the table asks for many pages of the same filter). */
export function countEvents(store: Store, cache: QueryCache, filter: Filter): number {
  return cache.get(store, `count:${filterKey(filter)}`, () => {
    const cols = cache.columns(store);
    if (cols) return countSelected(cols.select(filter, cache));
    const where = compileFilter(store, filter, cache);
    return store.scalar(`SELECT count(*) FROM ev e WHERE ${where.sql}`, where.params);
  });
}

export function eventsPage(store: Store, cache: QueryCache, req: { filter: Filter; sort: Sort; offset: number; limit: number }): ApiResponse<'events:page'> {
  const started = performance.now();
  const rows = req.limit === 0 ? [] : rowsById(store, pageIds(store, cache, req.filter, req.sort, req.offset, req.limit));
  const total = countEvents(store, cache, req.filter);
  return { rows, total, elapsedMs: performance.now() - started };
}

/** Other records of the same action (a cross-account call is logged once per account involved). */
const MAX_COPIES = 50;

export function eventGet(store: Store, rowId: number): ApiResponse<'event:get'> {
  const row = rowsById(store, [rowId])[0];
  const raw = row ? store.rawRecord(rowId) : null;
  if (!row || raw === null) throw new EngineError('not-found', `no event with rowId ${rowId}`);
  const shared = store.get('SELECT shared_event_id AS s FROM ev WHERE id = ?', [rowId])?.['s'];
  const copyIds =
    typeof shared === 'string'
      ? store.all('SELECT id FROM ev WHERE shared_event_id = ? AND id <> ? ORDER BY t, id LIMIT ?', [shared, rowId, MAX_COPIES]).map((r) => Number(r['id']))
      : [];
  return { row, raw, copies: copyIds.length > 0 ? rowsById(store, copyIds) : [] };
}
