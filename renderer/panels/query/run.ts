/**
 * Running a statement from the query panel. The engine builds the `sessions` and `created` tables
 * itself before a statement or the schema needs them.
 */
import type { ApiName, ApiRequest, ApiResponse, Result, SqlResult } from '../../../shared/api';

export type Caller = <K extends ApiName>(name: K, req: ApiRequest<K>) => Promise<Result<ApiResponse<K>>>;

/** Rows the grid receives at most; the engine says when it cut the result. */
export const MAX_ROWS = 10_000;

export function runStatement(call: Caller, sql: string, maxRows = MAX_ROWS): Promise<Result<SqlResult>> {
  return call('sql:run', { sql, maxRows });
}

/**
 * The answer to the last run, by its key, per store (one per window): the panel unmounts when
 * another tab is shown, and coming back must not run a slow statement again. One entry each: only
 * the latest run is ever shown.
 */
const lastRuns = new WeakMap<object, { readonly key: string; readonly result: Promise<Result<SqlResult>> }>();

export function runOnce(owner: object, key: string, run: () => Promise<Result<SqlResult>>): Promise<Result<SqlResult>> {
  const last = lastRuns.get(owner);
  if (last?.key === key) return last.result;
  const result = run();
  lastRuns.set(owner, { key, result });
  return result;
}

export function fetchSchema(call: Caller): Promise<Result<ApiResponse<'sql:schema'>>> {
  return call('sql:schema', {});
}

/** "500 rows (capped) in 12 ms" */
export function resultStatus(r: SqlResult): string {
  const n = r.rows.length;
  const rows = `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}${r.truncated ? ' (capped)' : ''}`;
  const ms = r.elapsedMs < 10 ? r.elapsedMs.toFixed(1) : Math.round(r.elapsedMs).toLocaleString('en-US');
  return `${rows} in ${ms} ms`;
}
