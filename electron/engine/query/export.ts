/**
 * Exports the filtered, sorted events: csv (the events table's columns plus eventTime, every cell
 * escaped by shared/csv.ts), json (one array of those rows as objects) or jsonl (the original records
 * as stored — an EventBridge envelope stays whole — one per line). Only the sorted row ids are held in memory; rows are read and written a page at a
 * time, through writeFile.ts (the one function that writes a user-chosen file).
 */
import type { ApiRequest, ApiResponse } from '../../../shared/api';
import { csvRow } from '../../../shared/csv';
import type { EventRow, Filter, Sort } from '../../../shared/domain';
import type { SqlValue, Store } from '../store/store';
import type { QueryCache } from './cache';
import { EVENT_ROW_COLUMNS, orderBy, rowsById } from './columns';
import { compileFilter } from './filter';
import { type WriteChunk, writeNewFile } from './writeFile';

const CHUNK_ROWS = 1000;

export const EXPORT_COLUMNS: readonly string[] = ['rowId', 'eventTime', ...EVENT_ROW_COLUMNS.filter((c) => c !== 'rowId')];

/** ISO time as the `events` view writes it: milliseconds only when there are some. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function sortedIds(store: Store, cache: QueryCache, filter: Filter, sort: Sort): number[] {
  const where = compileFilter(store, filter, cache);
  const stmt = store.db.prepare(`SELECT e.id FROM ev e WHERE ${where.sql} ORDER BY ${orderBy(sort.field, sort.dir)}`);
  try {
    stmt.bind(where.params as SqlValue[]);
    const ids: number[] = [];
    while (stmt.step()) ids.push(Number(stmt.get()[0]));
    return ids;
  } finally {
    stmt.free();
  }
}

function exportRow(r: EventRow): Record<string, unknown> {
  return { ...r, eventTime: isoTime(r.eventTimeMs) };
}

const RAW_BY_ID_SQL = 'SELECT cairn_raw(e.blk, e.off, e.len) AS raw FROM json_each(?) j JOIN ev e ON e.id = j.value ORDER BY j.key';

/** One record per line: a record stored pretty-printed is re-serialised compactly. */
function jsonlLines(store: Store, ids: readonly number[]): string {
  return store
    .all(RAW_BY_ID_SQL, [JSON.stringify(ids)])
    .map((r) => {
      const raw = String(r['raw'] ?? 'null');
      return /[\r\n]/.test(raw) ? JSON.stringify(JSON.parse(raw)) : raw;
    })
    .join('\n');
}

async function writeChunks(store: Store, format: 'csv' | 'json' | 'jsonl', ids: readonly number[], write: WriteChunk): Promise<void> {
  if (format === 'csv') await write(`${csvRow(EXPORT_COLUMNS)}\r\n`);
  if (format === 'json') await write('[');
  for (let i = 0; i < ids.length; i += CHUNK_ROWS) {
    const chunk = ids.slice(i, i + CHUNK_ROWS);
    const sep = i === 0 ? '' : format === 'json' ? ',' : '\n';
    if (format === 'jsonl') {
      await write(sep + jsonlLines(store, chunk));
      continue;
    }
    const rows = rowsById(store, chunk).map(exportRow);
    if (format === 'json') await write(sep + rows.map((r) => `\n${JSON.stringify(r)}`).join(','));
    else await write(rows.map((r) => `${csvRow(EXPORT_COLUMNS.map((c) => r[c]))}\r\n`).join(''));
  }
  if (format === 'json') await write('\n]\n');
  if (format === 'jsonl' && ids.length > 0) await write('\n');
}

/** Every file the case's evidence was read from (archive members as `archive!/member`). */
export function evidencePaths(store: Store): string[] {
  return store.all('SELECT path FROM sources').map((r) => String(r['path']));
}

/** Paths an export must never replace: the evidence, and the open case's own file. */
function protectedPaths(store: Store): string[] {
  const paths = evidencePaths(store);
  return store.path ? [...paths, store.path] : paths;
}

export async function exportEvents(store: Store, cache: QueryCache, req: ApiRequest<'export:events'>): Promise<ApiResponse<'export:events'>> {
  const ids = sortedIds(store, cache, req.filter, req.sort);
  const written = await writeNewFile(req.path, protectedPaths(store), (write) => writeChunks(store, req.format, ids, write));
  return { path: written, rows: ids.length };
}
