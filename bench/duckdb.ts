/**
 * The comparison the issues ask for: DuckDB's `read_json` of the same .json.gz files into a table,
 * with `Records` unnested to one row per event. Runs only where the optional `@duckdb/node-api`
 * package is installed; otherwise it says why it was skipped.
 */
export type DuckResult = { readonly ms: number; readonly rows: number; readonly threads: number } | { readonly skipped: string };

interface DuckModule {
  DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<{ connect(): Promise<DuckConn>; closeSync?(): void }> };
}
interface DuckConn {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync?(): void;
}

export async function measureDuckDb(dir: string, threads = 2): Promise<DuckResult> {
  let duck: DuckModule;
  try {
    duck = require('@duckdb/node-api') as DuckModule;
  } catch {
    return { skipped: 'the optional @duckdb/node-api package is not installed' };
  }
  const instance = await duck.DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  try {
    const glob = `${dir.replaceAll("'", "''")}/AWSLogs/**/*.json.gz`;
    const started = performance.now();
    await conn.run(
      `CREATE TABLE events AS SELECT unnest(Records, recursive := true) FROM read_json('${glob}', format = 'auto', records = true, maximum_object_size = 1073741824, union_by_name = true)`,
    );
    const ms = performance.now() - started;
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM events')).getRows()[0]?.[0]);
    return { ms, rows, threads };
  } finally {
    conn.closeSync?.();
    instance.closeSync?.();
  }
}
