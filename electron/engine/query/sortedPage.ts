/**
 * A page of event ids in sort order. Sorting by time walks the (t) index. Sorting by a dictionary
 * column must order by the string, which no index holds: instead of sorting every matching row, the
 * rows are counted per dictionary id (an index scan for the indexed columns), the few distinct values
 * are ordered by SQLite, and only the groups that overlap the page are read, ordered by rowId inside
 * each group. The group counts are cached per filter, so the next pages cost a group read each.
 * This relies on the dictionary holding each string once (one id per value).
 */
import type { Filter, Sort } from '../../../shared/domain';
import type { Store } from '../store/store';
import type { QueryCache } from './cache';
import { evColumn } from './columns';
import { type Where, compileFilter, filterKey } from './filter';
import { countByCode, nonZero } from './scan';

interface Group {
  readonly id: number | null;
  readonly n: number;
}

/** The filter's rows per value of `col` (scanned when the cache has columns, else grouped by SQLite). */
function groupCounts(store: Store, cache: QueryCache, filter: Filter, col: string, where: Where): Map<number | null, number> {
  const cols = cache.columns(store);
  if (cols) return new Map(nonZero(countByCode(cols.codes(col), cols.select(filter, cache))).map((c) => [c.code, c.n]));
  const counts = new Map<number | null, number>();
  for (const r of store.all(`SELECT e.${col} AS id, count(*) AS n FROM ev e WHERE ${where.sql} GROUP BY 1`, where.params)) {
    counts.set(typeof r['id'] === 'number' ? r['id'] : null, Number(r['n']));
  }
  return counts;
}

/** Groups of the filter's rows by `col`, ascending by their string (NULL first, as SQLite sorts). */
function groupsAscending(store: Store, cache: QueryCache, filter: Filter, col: string, where: Where): Group[] {
  const counts = groupCounts(store, cache, filter, col, where);
  const ids = [...counts.keys()].filter((id): id is number => id !== null);
  const ordered = store.all('SELECT id FROM strings WHERE id IN (SELECT value FROM json_each(?)) ORDER BY value', [JSON.stringify(ids)]);
  const groups: Group[] = [];
  const nulls = counts.get(null);
  if (nulls !== undefined) groups.push({ id: null, n: nulls });
  for (const r of ordered) {
    const id = Number(r['id']);
    groups.push({ id, n: counts.get(id) ?? 0 });
  }
  return groups;
}

function groupIds(store: Store, col: string, where: Where, group: Group, dir: 'ASC' | 'DESC', offset: number, limit: number): number[] {
  const match = group.id === null ? `e.${col} IS NULL` : `e.${col} = ?`;
  const params = group.id === null ? where.params : [group.id, ...where.params];
  const sql = `SELECT e.id AS id FROM ev e WHERE ${match} AND ${where.sql} ORDER BY e.id ${dir} LIMIT ? OFFSET ?`;
  return store.all(sql, [...params, limit, offset]).map((r) => Number(r['id']));
}

export function pageIds(store: Store, cache: QueryCache, filter: Filter, sort: Sort, offset: number, limit: number): number[] {
  const where = compileFilter(store, filter, cache);
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  const c = evColumn(sort.field);
  if (c.storage !== 'dict') {
    const sql = `SELECT e.id AS id FROM ev e WHERE ${where.sql} ORDER BY e.${c.col} ${dir}, e.id ${dir} LIMIT ? OFFSET ?`;
    return store.all(sql, [...where.params, limit, offset]).map((r) => Number(r['id']));
  }
  const ascending = cache.get(store, `groups:${c.col}:${filterKey(filter)}`, () => groupsAscending(store, cache, filter, c.col, where));
  const groups = dir === 'ASC' ? ascending : [...ascending].reverse();
  const ids: number[] = [];
  let start = 0;
  for (const g of groups) {
    if (ids.length >= limit) break;
    const end = start + g.n;
    if (end > offset) {
      const from = Math.max(0, offset - start);
      ids.push(...groupIds(store, c.col, where, g, dir, from, limit - ids.length));
    }
    start = end;
  }
  return ids;
}
