/**
 * Where the UI's fields live in the compact `ev` table, and how an EventRow is read back. The UI speaks
 * the public view's names (eventName, awsRegion, …); queries here go to `ev` and its dictionary so they
 * can use ev's indexes and never touch the JSON columns.
 */
import type { EventRow, FilterField, SortField } from '../../../shared/domain';
import { type ColumnStorage, SCALAR_COLUMNS } from '../store/schema';
import type { Store } from '../store/store';

export interface EvColumn {
  readonly col: string;
  readonly storage: ColumnStorage;
}

const BY_VIEW_NAME = new Map<string, EvColumn>(SCALAR_COLUMNS.map((c) => [c.name, { col: c.col, storage: c.storage }]));

/** The `ev` column behind a view column; a bug (not a user error) when the name is not one of them. */
export function evColumn(name: string): EvColumn {
  const c = BY_VIEW_NAME.get(name);
  if (!c) throw new Error(`no ev column for ${name}`);
  return c;
}

/** Fields kept in `event_resources` rather than `ev`. */
export type ResourceField = Extract<FilterField, 'resourceType' | 'resourceName'>;
export function isResourceField(f: FilterField): f is ResourceField {
  return f === 'resourceType' || f === 'resourceName';
}
export const RESOURCE_COLUMN: Readonly<Record<ResourceField, 'type' | 'arn'>> = { resourceType: 'type', resourceName: 'arn' };

/** The EventRow's columns, in the order of the events table (and of a CSV export, with eventTime). */
export const EVENT_ROW_COLUMNS = [
  'rowId',
  'eventTimeMs',
  'eventID',
  'eventName',
  'eventSource',
  'eventType',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'readOnly',
  'recipientAccountId',
  'userIdentity_type',
  'userIdentity_arn',
  'userIdentity_userName',
  'userIdentity_accessKeyId',
  'userIdentity_accountId',
  'sessionIssuer_arn',
  'sourceIdentity',
  'source_file',
  'source_index',
] as const satisfies readonly (keyof EventRow)[];

function valueExpr(name: (typeof EVENT_ROW_COLUMNS)[number]): string {
  if (name === 'rowId') return 'e.id';
  if (name === 'source_file') return '(SELECT path FROM sources WHERE id = e.source_id)';
  if (name === 'source_index') return 'e.source_index';
  const c = evColumn(name);
  return c.storage === 'dict' ? `(SELECT value FROM strings WHERE id = e.${c.col})` : `e.${c.col}`;
}

/**
 * Reads rows by id in the order given (the ids as one JSON array parameter, so any count binds once).
 * Each row comes back as one JSON array: sql.js pays per value fetched, and one string per row is
 * about twice as fast as twenty-two values.
 */
const ROWS_BY_ID_SQL = `SELECT json_array(${EVENT_ROW_COLUMNS.map(valueExpr).join(', ')}) AS r
FROM json_each(?) j JOIN ev e ON e.id = j.value ORDER BY j.key`;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function toEventRow(json: unknown): EventRow {
  const values = JSON.parse(String(json)) as unknown[];
  const r = Object.fromEntries(EVENT_ROW_COLUMNS.map((c, i) => [c, values[i]]));
  return {
    rowId: Number(r['rowId']),
    eventTimeMs: Number(r['eventTimeMs']),
    eventID: String(r['eventID']),
    eventName: text(r['eventName']),
    eventSource: text(r['eventSource']),
    eventType: text(r['eventType']),
    awsRegion: text(r['awsRegion']),
    sourceIPAddress: text(r['sourceIPAddress']),
    userAgent: text(r['userAgent']),
    errorCode: text(r['errorCode']),
    errorMessage: text(r['errorMessage']),
    readOnly: num(r['readOnly']),
    recipientAccountId: text(r['recipientAccountId']),
    userIdentity_type: text(r['userIdentity_type']),
    userIdentity_arn: text(r['userIdentity_arn']),
    userIdentity_userName: text(r['userIdentity_userName']),
    userIdentity_accessKeyId: text(r['userIdentity_accessKeyId']),
    userIdentity_accountId: text(r['userIdentity_accountId']),
    sessionIssuer_arn: text(r['sessionIssuer_arn']),
    sourceIdentity: text(r['sourceIdentity']),
    source_file: text(r['source_file']),
    source_index: num(r['source_index']),
  };
}

export function rowsById(store: Store, ids: readonly number[]): EventRow[] {
  if (ids.length === 0) return [];
  return store.all(ROWS_BY_ID_SQL, [JSON.stringify(ids)]).map((row) => toEventRow(row['r']));
}

/** ORDER BY for a sort: dictionary columns sort by their string; rowId breaks ties the same way. */
export function orderBy(field: SortField, dir: 'asc' | 'desc'): string {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const c = evColumn(field);
  const key = c.storage === 'dict' ? `(SELECT value FROM strings WHERE id = e.${c.col})` : `e.${c.col}`;
  return `${key} ${d}, e.id ${d}`;
}
