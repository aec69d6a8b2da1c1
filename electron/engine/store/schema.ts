/**
 * The store's schema: every table, and the `events` view that is the public contract.
 *
 * Rows are compact: repetitive strings are dictionary-encoded into `strings` (one dictionary for all
 * columns), time is integer epoch ms, and the original records live outside the hot table as deflated
 * blocks (`raw_blocks`), referenced by (blk, off, len). The `events` view turns this back into
 * CloudTrail's own field names. Two definitions of the view exist:
 *  - a TEMP view used inside Cairn, whose JSON columns come from `cairn_json()` (a JS function with a
 *    block cache), and
 *  - a persistent view written into saved case files, built only from functions the stock `sqlite3`
 *    shell has (`sqlar_uncompress`, `->`), so a case is readable without Cairn.
 */

/** How a value of the view is stored in `ev`. */
export type ColumnStorage = 'dict' | 'text' | 'int';

export interface ViewColumn {
  /** Name in the public `events` view (CloudTrail's field name). */
  readonly name: string;
  /** Column of `ev`. */
  readonly col: string;
  readonly storage: ColumnStorage;
}

/**
 * The scalar columns of `events`, in view order, with their storage in `ev`. The order here is also
 * the order of the values in an insert batch (see `EV_INSERT_COLUMNS`).
 */
export const SCALAR_COLUMNS: readonly ViewColumn[] = [
  { name: 'eventID', col: 'event_id', storage: 'text' },
  { name: 'eventTimeMs', col: 't', storage: 'int' },
  { name: 'eventVersion', col: 'version', storage: 'dict' },
  { name: 'eventSource', col: 'source', storage: 'dict' },
  { name: 'eventName', col: 'name', storage: 'dict' },
  { name: 'eventType', col: 'type', storage: 'dict' },
  { name: 'eventCategory', col: 'category', storage: 'dict' },
  { name: 'awsRegion', col: 'region', storage: 'dict' },
  { name: 'sourceIPAddress', col: 'ip', storage: 'dict' },
  { name: 'userAgent', col: 'ua', storage: 'dict' },
  { name: 'errorCode', col: 'error_code', storage: 'dict' },
  { name: 'errorMessage', col: 'error_message', storage: 'dict' },
  { name: 'readOnly', col: 'read_only', storage: 'int' },
  { name: 'managementEvent', col: 'management', storage: 'int' },
  { name: 'recipientAccountId', col: 'account', storage: 'dict' },
  { name: 'requestID', col: 'request_id', storage: 'text' },
  { name: 'sharedEventID', col: 'shared_event_id', storage: 'text' },
  { name: 'vpcEndpointId', col: 'vpce', storage: 'dict' },
  { name: 'apiVersion', col: 'api_version', storage: 'dict' },
  { name: 'userIdentity_type', col: 'ui_type', storage: 'dict' },
  { name: 'userIdentity_principalId', col: 'ui_principal_id', storage: 'dict' },
  { name: 'userIdentity_arn', col: 'ui_arn', storage: 'dict' },
  { name: 'userIdentity_accountId', col: 'ui_account', storage: 'dict' },
  { name: 'userIdentity_accessKeyId', col: 'ui_key', storage: 'dict' },
  { name: 'userIdentity_userName', col: 'ui_user', storage: 'dict' },
  { name: 'userIdentity_invokedBy', col: 'ui_invoked_by', storage: 'dict' },
  { name: 'sessionIssuer_type', col: 'si_type', storage: 'dict' },
  { name: 'sessionIssuer_arn', col: 'si_arn', storage: 'dict' },
  { name: 'sessionIssuer_userName', col: 'si_user', storage: 'dict' },
  { name: 'session_mfaAuthenticated', col: 'mfa', storage: 'dict' },
  { name: 'session_creationDate', col: 'created', storage: 'dict' },
  { name: 'sourceIdentity', col: 'source_identity', storage: 'dict' },
  /** Derived: the temporary key an STS call issued (`responseElements.credentials.accessKeyId`). */
  { name: 'issuedAccessKeyId', col: 'issued_key', storage: 'dict' },
];

/** JSON columns of the view, read from the original record on demand. */
export const JSON_COLUMNS = ['requestParameters', 'responseElements', 'additionalEventData', 'resources', 'serviceEventDetails'] as const;
export type JsonColumn = (typeof JSON_COLUMNS)[number];

/** Provenance and raw-record columns of `ev`, after the scalar ones. */
export const EV_TAIL_COLUMNS = ['source_id', 'source_index', 'blk', 'off', 'len', 'fmt'] as const;

/** The columns of an `ev` insert, in order: rowid, then the scalars, then the tail. */
export const EV_INSERT_COLUMNS: readonly string[] = ['id', ...SCALAR_COLUMNS.map((c) => c.col), ...EV_TAIL_COLUMNS];

/** Raw record formats: how to find the CloudTrail record inside the stored bytes. */
export const RAW_FMT_RECORD = 0;
/** An EventBridge envelope: the record is its `detail`. */
export const RAW_FMT_EVENTBRIDGE = 1;

const evColumnsDdl = SCALAR_COLUMNS.filter((c) => c.col !== 't' && c.col !== 'event_id')
  .map((c) => `  ${c.col} ${c.storage === 'text' ? 'TEXT' : 'INTEGER'}`)
  .join(',\n');

/** Events and failures per minute (minute = floor(t / 60 000)), for the timeline; see minuteCounts.ts. */
export const MINUTE_TABLE_DDL = 'CREATE TABLE IF NOT EXISTS {s}.tl_minute (m INTEGER PRIMARY KEY, n INTEGER NOT NULL, errors INTEGER NOT NULL);';

/** Events per value of each counted dictionary column (id 0: the field is absent); see valueCounts.ts. */
export const VALUE_COUNTS_DDL = 'CREATE TABLE IF NOT EXISTS {s}.ev_counts (col TEXT NOT NULL, id INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (col, id)) WITHOUT ROWID;';

/** The tables a bulk import writes as b-trees of its own (see bulkImage.ts); `{s}` is the schema. */
export const STRINGS_DDL = 'CREATE TABLE IF NOT EXISTS {s}.strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL);';
export const EV_DDL = `CREATE TABLE IF NOT EXISTS {s}.ev (
  id INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  event_id TEXT NOT NULL,
${evColumnsDdl},
  source_id INTEGER NOT NULL, source_index INTEGER NOT NULL,
  blk INTEGER NOT NULL, off INTEGER NOT NULL, len INTEGER NOT NULL, fmt INTEGER NOT NULL);`;
export const RESOURCES_DDL = 'CREATE TABLE IF NOT EXISTS {s}.event_resources (ev INTEGER NOT NULL, type INTEGER, arn INTEGER);';

/** The columns of `ev` in table order. */
export const EV_TABLE_COLUMNS: readonly string[] = [
  'id',
  't',
  'event_id',
  ...SCALAR_COLUMNS.filter((c) => c.col !== 't' && c.col !== 'event_id').map((c) => c.col),
  ...EV_TAIL_COLUMNS,
];

/** One row per input file (see SourceRecord); a bulk import writes it whole into its image. */
export const SOURCES_DDL = `CREATE TABLE IF NOT EXISTS {s}.sources (
  id INTEGER PRIMARY KEY, parent_id INTEGER, path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT,
  kind TEXT NOT NULL, records INTEGER NOT NULL, imported INTEGER NOT NULL, duplicates INTEGER NOT NULL,
  rejects INTEGER NOT NULL, note TEXT);`;

/** The small tables of the hot schema: everything but events, dictionary and resources. */
export const SMALL_TABLES_DDL = `
CREATE TABLE IF NOT EXISTS {s}.meta (key TEXT PRIMARY KEY, value TEXT);
${SOURCES_DDL}
CREATE TABLE IF NOT EXISTS {s}.rejects (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, idx INTEGER NOT NULL, reason TEXT NOT NULL, excerpt TEXT);
CREATE TABLE IF NOT EXISTS {s}.digests (source_id INTEGER PRIMARY KEY, json TEXT NOT NULL);
${MINUTE_TABLE_DDL}
${VALUE_COUNTS_DDL}
CREATE TABLE IF NOT EXISTS {s}.duplicates (
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, source_index INTEGER NOT NULL, event_id TEXT NOT NULL,
  kept_id INTEGER NOT NULL, identical INTEGER, blk INTEGER NOT NULL, off INTEGER NOT NULL, len INTEGER NOT NULL);
`;

/** Names of the small tables, in the order they are created. */
export const SMALL_TABLES = ['meta', 'sources', 'rejects', 'digests', 'tl_minute', 'ev_counts', 'duplicates'] as const;

/** Tables of the hot schema. `{s}` is replaced by the schema name. */
export const HOT_TABLES_DDL = `${STRINGS_DDL}\n${EV_DDL}\n${RESOURCES_DDL}\n${SMALL_TABLES_DDL}`;

/** The raw-record blocks: zlib-deflated (what `sqlar_uncompress` reads), `usize` bytes inflated. */
export const RAW_TABLE_DDL = `CREATE TABLE IF NOT EXISTS {s}.raw_blocks (id INTEGER PRIMARY KEY, usize INTEGER NOT NULL, data BLOB NOT NULL);`;

/**
 * Indexes built after a bulk load (what investigators filter and sort on). Most events succeed, so
 * the error-code index holds only the failures: a seventh of the cost, and `errorCode = ?` still
 * uses it (SQLite knows that implies NOT NULL).
 */
export const HOT_INDEXES: readonly { readonly name: string; readonly on: string }[] = [
  { name: 'ev_t', on: 'ev(t)' },
  { name: 'ev_name', on: 'ev(name, t)' },
  { name: 'ev_source', on: 'ev(source, t)' },
  { name: 'ev_arn', on: 'ev(ui_arn, t)' },
  { name: 'ev_key', on: 'ev(ui_key, t)' },
  { name: 'ev_ip', on: 'ev(ip, t)' },
  { name: 'ev_region', on: 'ev(region, t)' },
  { name: 'ev_account', on: 'ev(account, t)' },
  { name: 'ev_error', on: 'ev(error_code, t) WHERE error_code IS NOT NULL' },
  { name: 'ev_event_id', on: 'ev(event_id)' },
  { name: 'ev_shared', on: 'ev(shared_event_id) WHERE shared_event_id IS NOT NULL' },
  { name: 'strings_value', on: 'strings(value)' },
  { name: 'res_ev', on: 'event_resources(ev)' },
  { name: 'res_arn', on: 'event_resources(arn)' },
];

/** The table an index of HOT_INDEXES is on (`ev(name, t)` → `ev`). */
export function tableOf(on: string): string {
  return on.slice(0, on.indexOf('('));
}

export function withSchema(sql: string, schema: string): string {
  return sql.replaceAll('{s}', schema);
}

const ISO_TIME = `CASE WHEN e.t % 1000 = 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ', e.t / 1000, 'unixepoch') ELSE strftime('%Y-%m-%dT%H:%M:%fZ', e.t / 1000.0, 'unixepoch') END`;

/** The `ev` columns that lead one of its indexes. */
const INDEX_LEADS = new Set(HOT_INDEXES.map((ix) => /^ev\((\w+)/.exec(ix.on)?.[1]).filter((c): c is string => c !== undefined));

/**
 * The view's scalar columns. A dictionary column that leads an index is a LEFT JOIN of `strings`,
 * so `WHERE eventName = ?` on the view finds the id by `strings(value)` and the events by the index.
 * The others are scalar subqueries, which SQLite evaluates only when a query names them: an
 * aggregate over the view keeps every join (SQLite omits unused joins only outside aggregates), and
 * each costs a lookup per event.
 */
function scalarSelect(): { select: string[]; joins: string[] } {
  const select: string[] = [];
  const joins: string[] = [];
  SCALAR_COLUMNS.forEach((c, i) => {
    if (c.storage === 'dict' && !INDEX_LEADS.has(c.col)) {
      select.push(`(SELECT value FROM strings WHERE id = e.${c.col}) AS ${c.name}`);
    } else if (c.storage === 'dict') {
      const alias = `d${i}`;
      joins.push(`LEFT JOIN strings ${alias} ON ${alias}.id = e.${c.col}`);
      select.push(`${alias}.value AS ${c.name}`);
    } else {
      select.push(`e.${c.col} AS ${c.name}`);
    }
    if (c.name === 'eventID') select.push(`${ISO_TIME} AS eventTime`);
  });
  return { select, joins };
}

/**
 * The file an event came from: a scalar subquery, like the dictionary columns no index leads, so
 * that only queries naming it look it up (as a LEFT JOIN, every aggregate over the view did:
 * `count(*)` at a million events 1,010 → 950 ms, timing script).
 */
const SOURCE_FILE = '(SELECT path FROM sources WHERE id = e.source_id)';

/** The view used inside Cairn (TEMP, so it may use the JS function `cairn_json`). */
export function liveEventsViewSql(): string {
  const { select, joins } = scalarSelect();
  const json = JSON_COLUMNS.map((j) => `cairn_json(e.blk, e.off, e.len, e.fmt, '${j}') AS ${j}`);
  return `CREATE TEMP VIEW IF NOT EXISTS events AS SELECT e.id AS rowId, ${[...select, ...json].join(', ')},
  ${SOURCE_FILE} AS source_file, e.source_index AS source_index
FROM ev e ${joins.join(' ')}`;
}

/**
 * The view written into a saved case: only built-in functions of the `sqlite3` shell. Slow (a block
 * is inflated per row and column) but complete, so the evidence can be read without Cairn.
 */
export function portableEventsViewSql(schema: string): string {
  const { select, joins } = scalarSelect();
  const rec = `CAST(substr(sqlar_uncompress(b.data, b.usize), e.off + 1, e.len) AS TEXT)`;
  const json = JSON_COLUMNS.map(
    (j) => `(CASE e.fmt WHEN ${RAW_FMT_EVENTBRIDGE} THEN ${rec} -> '$.detail.${j}' ELSE ${rec} -> '$.${j}' END) AS ${j}`,
  );
  return `CREATE VIEW IF NOT EXISTS ${schema}.events AS SELECT e.id AS rowId, ${[...select, ...json].join(', ')},
  ${SOURCE_FILE} AS source_file, e.source_index AS source_index
FROM ev e ${joins.join(' ')} LEFT JOIN raw_blocks b ON b.id = e.blk`;
}

/** Case-file format version, stored in `meta`. */
export const CASE_FORMAT_VERSION = '1';
