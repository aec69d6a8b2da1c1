/**
 * Top values of a field under a filter (the sidebar's facets), and the summary the correlation panel
 * shows for one access key, principal, IP, … Counts are grouped on dictionary ids and only the few
 * winners are turned back into strings.
 */
import type { ApiRequest, ApiResponse, EntityKind, EntitySummary } from '../../../shared/api';
import type { CountByValue, Filter, FilterField } from '../../../shared/domain';
import type { Row, SqlValue, Store } from '../store/store';
import { COUNTED_COLUMNS, hasValueCounts } from '../store/valueCounts';
import type { QueryCache } from './cache';
import { RESOURCE_COLUMN, type ResourceField, evColumn, isResourceField } from './columns';
import { countEvents } from './events';
import { type Where, compileFilter, isEmptyFilter } from './filter';
import { type Columns, NULL_CODE, type Selection, countByCode, countSelected, topCandidates } from './scan';

const ENTITY_TOP = 10;

function toCounts(rows: readonly Row[]): CountByValue[] {
  return rows.map((r) => ({ value: typeof r['value'] === 'string' ? r['value'] : null, count: Number(r['n']) }));
}

/**
 * Turns `grouped` (a query of `id, n` over dictionary ids) into the top values, most frequent first;
 * equal counts in the strings' order, as SQLite sorts them (NULL first).
 */
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

/** The same from counts per dictionary id that the scan made (`counts[id + 1]`, NULL at 0). */
function scannedDictTop(store: Store, counts: Int32Array, limit: number, withNull = true): CountByValue[] {
  const candidates = topCandidates(withNull ? counts : counts.fill(0, 0, 1), limit);
  const pairs = JSON.stringify(candidates.map((c) => [c.code, c.n]));
  return dictTop(store, 'SELECT value ->> 0 AS id, value ->> 1 AS n FROM json_each(?)', [pairs], limit);
}

/** readOnly's codes as the facet shows them, listed in SQLite's order of the values (NULL first). */
const READ_ONLY_VALUES: readonly { code: number; value: string | null }[] = [
  { code: NULL_CODE, value: null },
  { code: 0, value: 'false' },
  { code: 1, value: 'true' },
];

/** Top values of an `ev` column under a filter, counted by the scan; null for a text or resource field. */
function scannedTop(store: Store, cols: Columns, cache: QueryCache, req: ApiRequest<'facets:top'>): CountByValue[] | null {
  if (isResourceField(req.field) || (req.field !== 'readOnly' && evColumn(req.field).storage !== 'dict')) return null;
  const sel = cols.select(req.filter, cache);
  if (req.field !== 'readOnly') return scannedDictTop(store, countByCode(cols.codes(evColumn(req.field).col), sel), req.limit);
  const counts = countByCode(cols.codes('read_only'), sel);
  return READ_ONLY_VALUES.map(({ code, value }) => ({ value, count: counts[code + 1] ?? 0 }))
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count) // stable: equal counts keep SQLite's order of the values
    .slice(0, req.limit);
}

export function facetsTop(store: Store, cache: QueryCache, req: ApiRequest<'facets:top'>): ApiResponse<'facets:top'> {
  const started = performance.now();
  const unfilteredCounts = isEmptyFilter(req.filter) && !isResourceField(req.field) && req.field !== 'readOnly' && COUNTED_COLUMNS.includes(evColumn(req.field).col) && hasValueCounts(store);
  const cols = unfilteredCounts ? null : cache.columns(store);
  const scanned = cols ? scannedTop(store, cols, cache, req) : null;
  if (scanned) return { values: scanned, elapsedMs: performance.now() - started };
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

/** The field of each entity kind (all dictionary columns with an index or a small domain). */
const ENTITY_FIELD: Readonly<Record<EntityKind, FilterField>> = {
  accessKey: 'userIdentity_accessKeyId',
  principal: 'userIdentity_arn',
  sessionIssuer: 'sessionIssuer_arn',
  ip: 'sourceIPAddress',
  userAgent: 'userAgent',
};
const KINDS = Object.keys(ENTITY_FIELD) as EntityKind[];
const entityColumn = (kind: EntityKind): string => evColumn(ENTITY_FIELD[kind]).col;

type EntityFigures = Pick<EntitySummary, 'events' | 'firstMs' | 'lastMs' | 'eventNames' | 'related'>;

/** The summary from the scan: the entity is one more clause of the filter. */
function scannedEntity(store: Store, cols: Columns, cache: QueryCache, req: ApiRequest<'correlate:entity'>, others: readonly EntityKind[]): EntityFigures {
  const filter: Filter = { ...req.filter, clauses: [...req.filter.clauses, { id: 'entity', field: ENTITY_FIELD[req.kind], values: [req.value], negate: false, enabled: true }] };
  const sel: Selection = cols.select(filter, cache);
  const t = cols.times().values;
  let first = Infinity;
  let last = -Infinity;
  for (let i = sel.lo; i < sel.hi; i++) {
    if (sel.mask && sel.mask[i] === 0) continue;
    const ms = t[i] as number;
    if (ms < first) first = ms;
    if (ms > last) last = ms;
  }
  const events = countSelected(sel);
  const top = (col: string): CountByValue[] => scannedDictTop(store, countByCode(cols.codes(col), sel), ENTITY_TOP, false);
  return {
    events,
    firstMs: events > 0 ? first : null,
    lastMs: events > 0 ? last : null,
    eventNames: top('name'),
    related: others.map((kind) => ({ kind, values: top(entityColumn(kind)) })),
  };
}

function sqlEntity(store: Store, cache: QueryCache, req: ApiRequest<'correlate:entity'>, id: number, others: readonly EntityKind[]): EntityFigures {
  const where = compileFilter(store, req.filter, cache);
  const base = `FROM ev e WHERE e.${entityColumn(req.kind)} = ? AND ${where.sql}`;
  const params = [id, ...where.params];
  const head = store.get(`SELECT count(*) AS n, min(e.t) AS first, max(e.t) AS last ${base}`, params);
  const top = (col: string): CountByValue[] => dictTop(store, `SELECT e.${col} AS id, count(*) AS n ${base} AND e.${col} IS NOT NULL GROUP BY 1`, params, ENTITY_TOP);
  return {
    events: Number(head?.['n'] ?? 0),
    firstMs: typeof head?.['first'] === 'number' ? head['first'] : null,
    lastMs: typeof head?.['last'] === 'number' ? head['last'] : null,
    eventNames: top('name'),
    related: others.map((kind) => ({ kind, values: top(entityColumn(kind)) })),
  };
}

export function entitySummary(store: Store, cache: QueryCache, req: ApiRequest<'correlate:entity'>): EntitySummary {
  const others = KINDS.filter((k) => k !== req.kind);
  const id = store.stringId(req.value);
  if (id === undefined) {
    return { kind: req.kind, value: req.value, events: 0, firstMs: null, lastMs: null, eventNames: [], related: others.map((kind) => ({ kind, values: [] })) };
  }
  const cols = cache.columns(store);
  const figures = cols ? scannedEntity(store, cols, cache, req, others) : sqlEntity(store, cache, req, id, others);
  return { kind: req.kind, value: req.value, ...figures };
}
