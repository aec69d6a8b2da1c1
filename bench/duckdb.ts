/**
 * The comparison the issues ask for: DuckDB's `read_json` of the same .json.gz files into a table, one
 * row per record (`Records` unnested). Runs only where the optional `@duckdb/node-api` package is
 * installed (`npm install --no-save @duckdb/node-api`); otherwise it says why it was skipped.
 *
 * Two ways to ask DuckDB, because its schema inference is what costs on CloudTrail:
 *  - `schema` (default): an explicit CloudTrail schema — the scalar fields typed, `userIdentity`'s
 *    scalars typed, every variable-shape object kept as JSON — which is what Cairn's store holds too.
 *  - `auto`: `format = 'auto'` with `union_by_name` (needed: one sampled file never has every key),
 *    i.e. DuckDB infers one wide STRUCT over every file first. About 2× slower on this archive.
 * `maximum_object_size` stays at its default (16 MB; a trail file here is < 1 MB of JSON): raising it to
 * 1 GB made every variant 2–4× slower, apparently a buffer of that size per file.
 */
import path from 'node:path';

export type DuckMode = 'schema' | 'auto';
export type DuckResult =
  | { readonly ms: number; readonly rows: number; readonly expectedRows: number | null; readonly threads: number; readonly mode: DuckMode; readonly version: string }
  | { readonly skipped: string };

interface DuckReader {
  getRowsJS(): unknown[][];
}
interface DuckConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<DuckReader>;
  closeSync(): void;
}
interface DuckInstance {
  connect(): Promise<DuckConnection>;
  closeSync(): void;
}
interface DuckModule {
  readonly DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<DuckInstance> };
  version(): string;
}

function loadDuckDb(): DuckModule | string {
  try {
    return require('@duckdb/node-api') as DuckModule;
  } catch (e) {
    return `the optional @duckdb/node-api package is not installed (${(e as Error).message.split('\n')[0] ?? ''})`;
  }
}

const IDENTITY = 'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, accessKeyId VARCHAR, userName VARCHAR, invokedBy VARCHAR, sessionContext JSON, inScopeOf JSON, onBehalfOf JSON)';
const RECORD = `STRUCT(eventVersion VARCHAR, userIdentity ${IDENTITY}, eventTime TIMESTAMP, eventSource VARCHAR, eventName VARCHAR,
  awsRegion VARCHAR, sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR, errorMessage VARCHAR, requestParameters JSON,
  responseElements JSON, additionalEventData JSON, requestID VARCHAR, eventID VARCHAR, readOnly BOOLEAN, resources JSON, eventType VARCHAR,
  apiVersion VARCHAR, managementEvent BOOLEAN, recipientAccountId VARCHAR, sharedEventID VARCHAR, vpcEndpointId VARCHAR, eventCategory VARCHAR,
  serviceEventDetails JSON, tlsDetails JSON, addendum JSON, sessionCredentialFromConsole VARCHAR)`;

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function loadSql(glob: string, mode: DuckMode): string {
  const source =
    mode === 'schema'
      ? `read_json(${sqlString(glob)}, columns = {Records: ${sqlString(`${RECORD.replace(/\s+/g, ' ')}[]`)}})`
      : `read_json(${sqlString(glob)}, format = 'auto', union_by_name = true)`;
  return `CREATE TABLE events AS SELECT unnest(Records, recursive := true) FROM ${source}`;
}

/** Loads `dir`'s archive (AWSLogs/**\/*.json.gz) into an in-memory DuckDB table and checks the row count. */
export async function measureDuckDb(dir: string, opts: { threads?: number; mode?: DuckMode; expectedRows?: number } = {}): Promise<DuckResult> {
  const duck = loadDuckDb();
  if (typeof duck === 'string') return { skipped: duck };
  const threads = opts.threads ?? 2;
  const mode = opts.mode ?? 'schema';
  const instance = await duck.DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  try {
    const glob = path.join(dir, 'AWSLogs', '**', '*.json.gz');
    // DuckDB's advice for bulk loads: without it the insert keeps file order and runs about 2× slower.
    await conn.run('SET preserve_insertion_order = false');
    const started = performance.now();
    await conn.run(loadSql(glob, mode));
    const ms = performance.now() - started;
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM events')).getRowsJS()[0]?.[0]);
    return { ms, rows, expectedRows: opts.expectedRows ?? null, threads, mode, version: duck.version() };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
