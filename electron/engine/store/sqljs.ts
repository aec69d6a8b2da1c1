/**
 * Loads sql.js once per thread. The WebAssembly file is read from the installed package, never fetched.
 */
import path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) {
    const dist = path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
    loading = initSqlJs({ locateFile: (file: string) => path.join(dist, file) });
  }
  return loading;
}
