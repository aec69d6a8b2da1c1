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
 * in-memory file system (Emscripten's MEMFS), which keeps `bytes.slice()` of them: a copy, at the
 * moment memory peaks (a 3.9 GB store at ten million events). A view whose `slice` returns a view
 * hands the buffer itself over. Given a `capacity` beyond the bytes (the buffer must be that large),
 * the file also grows in place up to it, where MEMFS would otherwise reallocate and copy the whole
 * file each time it grows by an eighth. If a later sql.js stops calling `slice`, it copies again:
 * slower, never wrong. The caller must not write to the buffer afterwards; the database owns it.
 */
class HandedOver extends Uint8Array {
  capacity = 0;

  override slice(start = 0, end = this.length): this {
    return new Uint8Array(this.buffer, this.byteOffset + start, Math.max(end, this.capacity) - start) as this;
  }
}

export function handOver(bytes: Uint8Array, capacity = bytes.length): Uint8Array {
  if (bytes.byteOffset + capacity > bytes.buffer.byteLength) throw new RangeError('capacity beyond the buffer');
  const view = new HandedOver(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
  view.capacity = capacity;
  return view;
}

/**
 * Whether `file` (handed over with room to grow) holds the database of `pages` pages as SQLite last
 * wrote it: sql.js wrote in place and never moved the file to a larger buffer, in which case the
 * header left here would be an older one, with fewer pages.
 */
export function writtenInPlace(file: Uint8Array, pages: number, pageSize: number): boolean {
  if (pages * pageSize > file.length) return false;
  const header = new DataView(file.buffer, file.byteOffset, 100);
  return Buffer.from(file.subarray(0, 16)).toString('latin1') === 'SQLite format 3\u0000' && header.getUint32(28) === pages;
}
