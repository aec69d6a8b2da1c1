/**
 * Free SQL from the query panel and `cairn query`: one statement, read-only, capped rows. The first
 * keyword is checked (SELECT, WITH, VALUES, EXPLAIN, or a read-only PRAGMA) and the connection runs
 * with `PRAGMA query_only` as a second fence.
 */
import type { SqlValue as SqlJsValue } from 'sql.js';
import type { SqlResult } from '../../shared/api';
import type { Store } from './store/store';

export class SqlError extends Error {}

const READ_PRAGMAS = new Set(['table_info', 'table_xinfo', 'index_list', 'index_info', 'index_xinfo', 'database_list', 'function_list', 'compile_options', 'foreign_key_list', 'collation_list', 'table_list']);

function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  return (/^[A-Za-z_]+/.exec(stripped)?.[0] ?? '').toUpperCase();
}

function checkReadOnly(sql: string): void {
  const kw = firstKeyword(sql);
  if (kw === 'SELECT' || kw === 'WITH' || kw === 'VALUES' || kw === 'EXPLAIN') return;
  if (kw === 'PRAGMA') {
    const m = /^\s*PRAGMA\s+(?:\w+\.)?(\w+)\s*(\(|$|;)/i.exec(sql.trim());
    if (m && READ_PRAGMAS.has((m[1] ?? '').toLowerCase())) return;
    throw new SqlError('only read-only PRAGMAs (table_info, index_list, …) can be run here');
  }
  throw new SqlError(`the query runs read-only: ${kw || 'this statement'} is not allowed (use SELECT)`);
}

function cell(v: SqlJsValue): string | number | null {
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  return v;
}

export function runSql(store: Store, sql: string, maxRows: number): SqlResult {
  const started = performance.now();
  const text = sql.trim().replace(/;\s*$/, '');
  if (text.length === 0) throw new SqlError('empty query');
  checkReadOnly(text);
  const db = store.db;
  db.run('PRAGMA query_only = 1');
  try {
    const it = db.iterateStatements(text);
    const first = it.next();
    if (first.done) throw new SqlError('empty query');
    const stmt = first.value;
    try {
      if (it.getRemainingSQL().trim().length > 0) throw new SqlError('one statement at a time');
      const columns = stmt.getColumnNames();
      const rows: (string | number | null)[][] = [];
      let truncated = false;
      while (stmt.step()) {
        if (rows.length >= maxRows) {
          truncated = true;
          break;
        }
        rows.push(stmt.get().map(cell));
      }
      return { columns, rows, truncated, elapsedMs: performance.now() - started };
    } finally {
      stmt.free();
    }
  } catch (e) {
    if (e instanceof SqlError) throw e;
    throw new SqlError((e as Error).message);
  } finally {
    db.run('PRAGMA query_only = 0');
  }
}
