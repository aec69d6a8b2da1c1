/**
 * One validator per engine call: turns an untrusted payload into the typed request, or throws a
 * 'bad-request' EngineError naming the field. Limits cap what one call may ask of the engine.
 */
import type { ApiRequest, EngineCallName, EntityKind, StackBy } from '../../../shared/api';
import type { CorrelateBy } from '../../../shared/correlation';
import { FILTER_FIELDS, type FilterField } from '../../../shared/domain';
import { arr, bad, empty, filter, int, obj, oneOf, sort, str, time } from './guards';

export const MAX_PAGE_LIMIT = 10_000;
export const MAX_SQL_ROWS = 100_000;
export const MAX_FACET_LIMIT = 1000;
export const MAX_BUCKETS = 5000;
const MAX_OFFSET = 1_000_000_000;
const MAX_PATH_CHARS = 4096;
const MAX_PATHS = 10_000;
const MAX_SQL_CHARS = 100_000;
const MAX_ENTITY_CHARS = 4096;

export const ENTITY_KINDS: readonly EntityKind[] = ['accessKey', 'principal', 'sessionIssuer', 'ip', 'userAgent'];
const STACK_BY: readonly StackBy[] = ['outcome', 'readOnly', 'eventCategory', 'none'];

type Validators = { readonly [K in EngineCallName]: (req: unknown) => ApiRequest<K> };

function page(v: unknown, name: string): { offset: number; limit: number } {
  const o = obj(v, name);
  return { offset: int(o['offset'], 'offset', 0, MAX_OFFSET), limit: int(o['limit'], 'limit', 0, MAX_PAGE_LIMIT) };
}

function correlateBy(v: unknown): CorrelateBy {
  const o = obj(v, 'by');
  const keys = Object.keys(o);
  if (keys.length !== 1) throw bad('by', 'expected exactly one of accessKey, principal, ip, session');
  if ('accessKey' in o) return { accessKey: str(o['accessKey'], 'by.accessKey', MAX_ENTITY_CHARS) };
  if ('principal' in o) return { principal: str(o['principal'], 'by.principal', MAX_ENTITY_CHARS) };
  if ('ip' in o) return { ip: str(o['ip'], 'by.ip', MAX_ENTITY_CHARS) };
  if ('session' in o) return { session: int(o['session'], 'by.session', 1, Number.MAX_SAFE_INTEGER) };
  throw bad('by', 'expected exactly one of accessKey, principal, ip, session');
}

function timeline(v: unknown): ApiRequest<'timeline:buckets'> {
  const o = obj(v, 'timeline:buckets');
  const fromMs = time(o['fromMs'], 'fromMs');
  const toMs = time(o['toMs'], 'toMs');
  if (toMs <= fromMs) throw bad('toMs', 'must be after fromMs');
  const bucketMs = int(o['bucketMs'], 'bucketMs', 1, Number.MAX_SAFE_INTEGER);
  if (Math.ceil((toMs - fromMs) / bucketMs) > MAX_BUCKETS) throw bad('bucketMs', `more than ${MAX_BUCKETS} buckets between fromMs and toMs`);
  return { filter: filter(o['filter'], 'filter'), fromMs, toMs, bucketMs, stackBy: oneOf(o['stackBy'], 'stackBy', STACK_BY) };
}

export const VALIDATORS: Validators = {
  'case:summary': (v) => empty(v, 'case:summary'),
  'case:open': (v) => ({ path: str(obj(v, 'case:open')['path'], 'path', MAX_PATH_CHARS) }),
  'case:save': (v) => ({ path: str(obj(v, 'case:save')['path'], 'path', MAX_PATH_CHARS) }),
  'case:new': (v) => empty(v, 'case:new'),
  'import:start': (v) => {
    const paths = arr(obj(v, 'import:start')['paths'], 'paths', MAX_PATHS).map((p, i) => str(p, `paths[${i}]`, MAX_PATH_CHARS));
    if (paths.length === 0) throw bad('paths', 'no evidence paths given');
    return { paths };
  },
  'import:cancel': (v) => ({ importId: str(obj(v, 'import:cancel')['importId'], 'importId', 100) }),
  'sources:list': (v) => page(v, 'sources:list'),
  'rejects:list': (v) => page(v, 'rejects:list'),
  'events:page': (v) => {
    const o = obj(v, 'events:page');
    return { filter: filter(o['filter'], 'filter'), sort: sort(o['sort'], 'sort'), ...page(o, 'events:page') };
  },
  'event:get': (v) => ({ rowId: int(obj(v, 'event:get')['rowId'], 'rowId', 1, Number.MAX_SAFE_INTEGER) }),
  'timeline:buckets': timeline,
  'facets:top': (v) => {
    const o = obj(v, 'facets:top');
    const field: FilterField = oneOf(o['field'], 'field', FILTER_FIELDS);
    return { filter: filter(o['filter'], 'filter'), field, limit: int(o['limit'], 'limit', 1, MAX_FACET_LIMIT) };
  },
  'sql:run': (v) => {
    const o = obj(v, 'sql:run');
    return { sql: str(o['sql'], 'sql', MAX_SQL_CHARS), maxRows: int(o['maxRows'], 'maxRows', 1, MAX_SQL_ROWS) };
  },
  'sql:schema': (v) => empty(v, 'sql:schema'),
  'correlate:entity': (v) => {
    const o = obj(v, 'correlate:entity');
    return { kind: oneOf(o['kind'], 'kind', ENTITY_KINDS), value: str(o['value'], 'value', MAX_ENTITY_CHARS), filter: filter(o['filter'], 'filter') };
  },
  'export:events': (v) => {
    const o = obj(v, 'export:events');
    const format = oneOf(o['format'], 'format', ['csv', 'json', 'jsonl'] as const);
    return { filter: filter(o['filter'], 'filter'), sort: sort(o['sort'], 'sort'), format, path: str(o['path'], 'path', MAX_PATH_CHARS) };
  },
  'correlate:chain': (v) => ({ by: correlateBy(obj(v, 'correlate:chain')['by']) }),
};
