/**
 * Top values of a field under a filter (the sidebar's facets), and the summary the correlation panel
 * shows for one access key, principal, IP, … Counts are grouped on dictionary ids and only the few
 * winners are turned back into strings.
 */
import type { ApiRequest, ApiResponse, EntityKind, EntitySummary } from '../../../shared/api';
import type { CountByValue } from '../../../shared/domain';
import type { Row, SqlValue, Store } from '../store/store';
import { COUNTED_COLUMNS, hasValueCounts } from '../store/valueCounts';
import type { QueryCache } from './cache';
import { RESOURCE_COLUMN, type ResourceField, evColumn, isResourceField } from './columns';
import { countEvents } from './events';
import { type Where, compileFilter } from './filter';

const ENTITY_TOP = 10;

function toCounts(rows: readonly Row[]): CountByValue[] {
  return rows.map((r) => ({ value: typeof r['value'] === 'string' ? r['value'] : null, count: Number(r['n']) }));
}

/** Turns `grouped` (a query of `id, n` over dictionary ids) into the top values, most frequent first. */
function dictTop(store: Store, grouped: string, params: readonly SqlValue[], limit: number): CountByValue[] {
  const sql = `SELECT (SELECT value FROM strings WHERE id = x.id) AS value, x.n AS n FROM (${grouped}) x ORDER BY x.n DESC, value LIMIT ?`;
  return toCounts(store.all(sql, [...params, limit]));
}

/**
 * Top resource types or ARNs. Counted from `event_resources` (scoped to the filter's events when
 * there is a filter) rather than joined from every event; events naming none make the null value.
 * An event may name several resources, so events are counted, not resource rows.
 */
function resourceTop(store: Store, cache: QueryCache, req: ApiRequest<'facets:top'>, field: ResourceField, where: Where): CountByValue[] {
  const col = RESOURCE_COLUMN[field];
  const scope = where.sql === '1' ? '' : ` AND r.ev IN (SELECT e.id FROM ev e WHERE ${where.sql})`;
  const params = where.sql === '1' ? [] : where.params;
  const named = dictTop(store, `SELECT r.${col} AS id, count(DISTINCT r.ev) AS n FROM event_resources r WHERE r.${col} IS NOT NULL${scope} GROUP BY 1`, params, req.limit);
  const withSome = store.scalar(`SELECT count(DISTINCT r.ev) FROM event_resources r WHERE r.${col} IS NOT NULL${scope}`, params);
  const none = countEvents(store, cache, req.filter) - withSome;
  if (none > 0) {
    // NULL sorts before any string among equal counts, as in the other facets' ORDER BY n DESC, value.
    const at = named.findIndex((v) => v.count <= none);
    named.splice(at === -1 ? named.length : at, 0, { value: null, count: none });
  }
  return named.slice(0, req.limit);
}

export function facetsTop(store: Store, cache: QueryCache, req: ApiRequest<'facets:top'>): ApiResponse<'facets:top'> {
  const started = performance.now();
  const where = compileFilter(store, req.filter, cache);
  let values: CountByValue[];
  if (req.field === 'readOnly') {
    const sql = `SELECT CASE e.read_only WHEN 1 THEN 'true' WHEN 0 THEN 'false' END AS value, count(*) AS n FROM ev e WHERE ${where.sql} GROUP BY 1 ORDER BY n DESC, value LIMIT ?`;
    values = toCounts(store.all(sql, [...where.params, req.limit]));
  } else if (!isResourceField(req.field) && evColumn(req.field).storage !== 'dict') {
    const col = evColumn(req.field).col;
    const sql = `SELECT e.${col} AS value, count(*) AS n FROM ev e WHERE ${where.sql} GROUP BY 1 ORDER BY n DESC, value LIMIT ?`;
    values = toCounts(store.all(sql, [...where.params, req.limit]));
  } else if (isResourceField(req.field)) {
    values = resourceTop(store, cache, req, req.field, where);
  } else {
    const col = evColumn(req.field).col;
    if (where.sql === '1' && COUNTED_COLUMNS.includes(col) && hasValueCounts(store)) {
      // No filter: the counts the import kept (valueCounts.ts), id 0 standing for the absent field.
      values = dictTop(store, 'SELECT NULLIF(id, 0) AS id, n FROM ev_counts WHERE col = ?', [col], req.limit);
    } else {
      values = dictTop(store, `SELECT e.${col} AS id, count(*) AS n FROM ev e WHERE ${where.sql} GROUP BY 1`, where.params, req.limit);
    }
  }
  return { values, elapsedMs: performance.now() - started };
}

/** The `ev` column of each entity kind (all dictionary columns with an index or a small domain). */
export const ENTITY_COLUMN: Readonly<Record<EntityKind, string>> = {
  accessKey: 'ui_key',
  principal: 'ui_arn',
  sessionIssuer: 'si_arn',
  ip: 'ip',
  userAgent: 'ua',
};
const KINDS = Object.keys(ENTITY_COLUMN) as EntityKind[];

export function entitySummary(store: Store, cache: QueryCache, req: ApiRequest<'correlate:entity'>): EntitySummary {
  const others = KINDS.filter((k) => k !== req.kind);
  const id = store.stringId(req.value);
  if (id === undefined) {
    return { kind: req.kind, value: req.value, events: 0, firstMs: null, lastMs: null, eventNames: [], related: others.map((kind) => ({ kind, values: [] })) };
  }
  const where = compileFilter(store, req.filter, cache);
  const base = `FROM ev e WHERE e.${ENTITY_COLUMN[req.kind]} = ? AND ${where.sql}`;
  const params = [id, ...where.params];
  const head = store.get(`SELECT count(*) AS n, min(e.t) AS first, max(e.t) AS last ${base}`, params);
  const top = (col: string): CountByValue[] => dictTop(store, `SELECT e.${col} AS id, count(*) AS n ${base} AND e.${col} IS NOT NULL GROUP BY 1`, params, ENTITY_TOP);
  return {
    kind: req.kind,
    value: req.value,
    events: Number(head?.['n'] ?? 0),
    firstMs: typeof head?.['first'] === 'number' ? head['first'] : null,
    lastMs: typeof head?.['last'] === 'number' ? head['last'] : null,
    eventNames: top('name'),
    related: others.map((kind) => ({ kind, values: top(ENTITY_COLUMN[kind]) })),
  };
}
