/**
 * SQL functions Cairn adds to sql.js: access to original records, REGEXP (SQLite has the operator but
 * no implementation), and `sqlar_uncompress` (so the portable view of a saved case also works here).
 */
import zlib from 'node:zlib';
import type { Database, SqlValue } from 'sql.js';
import type { RawBlockReader } from './rawBlocks';

const MAX_REGEX_CACHE = 64;

function num(v: SqlValue): number | null {
  return typeof v === 'number' ? v : null;
}

export function registerFunctions(db: Database, raw: RawBlockReader): void {
  db.create_function('cairn_raw', (blk: SqlValue, off: SqlValue, len: SqlValue): string | null => {
    const b = num(blk);
    const o = num(off);
    const l = num(len);
    return b === null || o === null || l === null ? null : raw.text(b, o, l);
  });

  db.create_function('cairn_raw_contains', (blk: SqlValue, off: SqlValue, len: SqlValue, needle: SqlValue): number => {
    const b = num(blk);
    const o = num(off);
    const l = num(len);
    if (b === null || o === null || l === null || typeof needle !== 'string') return 0;
    return raw.contains(b, o, l, needle) ? 1 : 0;
  });

  // One record is usually asked for several JSON columns in a row: keep the last one parsed.
  let lastKey = '';
  let lastRecord: unknown = undefined;
  db.create_function('cairn_json', (blk: SqlValue, off: SqlValue, len: SqlValue, _fmt: SqlValue, field: SqlValue): string | null => {
    const b = num(blk);
    const o = num(off);
    const l = num(len);
    if (b === null || o === null || l === null || typeof field !== 'string') return null;
    const key = `${b}:${o}`;
    if (key !== lastKey) {
      const text = raw.text(b, o, l);
      lastKey = key;
      try {
        lastRecord = text === null ? undefined : JSON.parse(text);
      } catch {
        lastRecord = undefined; // imported records always parsed; a damaged block reads as absent
      }
    }
    if (lastRecord === null || typeof lastRecord !== 'object') return null;
    const value = (lastRecord as Record<string, unknown>)[field];
    return value === undefined ? null : JSON.stringify(value);
  });

  const regexes = new Map<string, RegExp>();
  db.create_function('regexp', (pattern: SqlValue, value: SqlValue): number | null => {
    if (value === null || pattern === null) return null;
    const p = String(pattern);
    let re = regexes.get(p);
    if (!re) {
      re = new RegExp(p, 'u'); // an invalid pattern throws: sql.js reports it as the statement's error
      if (regexes.size >= MAX_REGEX_CACHE) regexes.clear();
      regexes.set(p, re);
    }
    return re.test(value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value)) ? 1 : 0;
  });

  db.create_function('sqlar_uncompress', (data: SqlValue, size: SqlValue): Uint8Array | null => {
    if (!(data instanceof Uint8Array) || typeof size !== 'number') return null;
    if (data.length === size) return data;
    return new Uint8Array(zlib.inflateSync(data));
  });
}
