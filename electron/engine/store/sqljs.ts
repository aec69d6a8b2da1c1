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

/**
 * Bytes sql.js takes over instead of copying. Opening a database from bytes puts them into sql.js's
 * in-memory file system, which keeps `bytes.slice()` of them: a copy, at the moment memory peaks (a
 * 3.9 GB store at ten million events). A view whose `slice` is a `subarray` hands the buffer itself
 * over. If a later sql.js stops calling `slice`, it copies again: slower, never wrong. The caller
 * must not touch `bytes` afterwards; the database owns them.
 */
class HandedOver extends Uint8Array {
  override slice(start?: number, end?: number): this {
    return this.subarray(start, end) as this;
  }
}

export function handOver(bytes: Uint8Array): Uint8Array {
  return new HandedOver(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
}
