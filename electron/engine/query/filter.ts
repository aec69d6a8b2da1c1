/**
 * Filter → WHERE clause over `ev e`, with bound parameters only.
 *
 * Enabled clauses AND together; the values of one clause OR together; `negate` makes NOT (an absent
 * field counts as "not X"). A `null` value means the field is absent. A clause with no values is
 * being edited and is ignored, like a disabled one. Dictionary fields compare ids: each string is
 * looked up once, and one that is not in the dictionary matches nothing. `readOnly` takes 'true' and
 * 'false'. `resourceType` / `resourceName` (the resource's ARN) go through `event_resources`; their
 * `null` means the event names no resource with that part. `text` is a case-insensitive substring
 * of the original record (matched once per text and kept, see cache.ts); `range` is [fromMs, toMs).
 */
import type { Filter, FilterClause } from '../../../shared/domain';
import type { SqlValue, Store } from '../store/store';
import type { QueryCache } from './cache';
import { RESOURCE_COLUMN, evColumn, isResourceField } from './columns';

export interface Where {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** A term that matches no row: a clause whose values are all unknown to the case. */
const NOTHING = '0';

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** The values of a clause as stored: dictionary ids, integers or text; `hasNull` when null was asked for. */
export function storedValues(store: Store, clause: FilterClause): { values: SqlValue[]; hasNull: boolean } {
  const values: SqlValue[] = [];
  let hasNull = false;
  for (const v of clause.values) {
    if (v === null) hasNull = true;
    else if (clause.field === 'readOnly') {
      if (v === 'true' || v === 'false') values.push(v === 'true' ? 1 : 0);
    } else if (isResourceField(clause.field) || evColumn(clause.field).storage === 'dict') {
      const id = store.stringId(v);
      if (id !== undefined) values.push(id);
    } else values.push(v);
  }
  return { values: [...new Set(values)], hasNull };
}

/** What a clause matches before its `negate`, as SQL over `ev e`. */
export function positive(store: Store, clause: FilterClause): Where {
  const { values, hasNull } = storedValues(store, clause);
  const parts: string[] = [];
  if (isResourceField(clause.field)) {
    const col = RESOURCE_COLUMN[clause.field];
    if (values.length > 0) parts.push(`e.id IN (SELECT ev FROM event_resources WHERE ${col} IN (${placeholders(values.length)}))`);
    if (hasNull) parts.push(`e.id NOT IN (SELECT ev FROM event_resources WHERE ${col} IS NOT NULL)`);
  } else {
    const col = `e.${evColumn(clause.field).col}`;
    if (values.length === 1) parts.push(`${col} = ?`);
    else if (values.length > 1) parts.push(`${col} IN (${placeholders(values.length)})`);
    if (hasNull) parts.push(`${col} IS NULL`);
  }
  if (parts.length === 0) return { sql: NOTHING, params: [] };
  return { sql: parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`, params: values };
}

function clauseWhere(store: Store, clause: FilterClause): Where {
  const p = positive(store, clause);
  // coalesce: `NULL IN (…)` is NULL, and NOT NULL would drop the rows where the field is absent.
  return clause.negate ? { sql: `NOT coalesce(${p.sql}, 0)`, params: p.params } : p;
}

/** Whether a filter selects every event (no range, no text, no clause with values enabled). */
export function isEmptyFilter(filter: Filter): boolean {
  return !filter.range && !filter.text && !filter.clauses.some((c) => c.enabled && c.values.length > 0);
}

/** `cache` keeps the free-text matches between calls (see cache.ts). */
export function compileFilter(store: Store, filter: Filter, cache: QueryCache): Where {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const add = (w: Where): void => {
    parts.push(w.sql);
    params.push(...w.params);
  };
  if (filter.range) add({ sql: 'e.t >= ? AND e.t < ?', params: [filter.range.fromMs, filter.range.toMs] });
  for (const c of filter.clauses) if (c.enabled && c.values.length > 0) add(clauseWhere(store, c));
  if (filter.text) add({ sql: `e.id IN (SELECT id FROM temp.${cache.textTable(store, filter.text)})`, params: [] });
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

/**
 * A stable key for what a filter selects (clause ids, disabled and empty clauses, value order left
 * out), so caches hit when the UI rebuilds an equal filter.
 */
export function filterKey(filter: Filter): string {
  const clauses = filter.clauses
    .filter((c) => c.enabled && c.values.length > 0)
    .map((c) => [c.field, c.negate, [...c.values].sort((a, b) => String(a).localeCompare(String(b)))])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return JSON.stringify([clauses, filter.text ?? '', filter.range?.fromMs ?? null, filter.range?.toMs ?? null]);
}
