/**
 * The dictionary's file of a bulk import: `strings` and `event_resources` with their indexes,
 * written whole from the dictionary and the resource triples once the load is done. It needs
 * nothing of the `ev` file, so it is built on a thread of its own (indexWorker.ts) while the main
 * thread finishes `ev`.
 */
import { Arena } from './image/arena';
import { DatabaseImage, indexStat } from './image/image';
import { orderById } from './image/order';
import type { IndexBuilder } from './image/pages';
import { RecordWriter, putAsciiTextIntRecord, putIntRecord, putNullTextRecord } from './image/record';
import { IntEntries } from './intIndexes';
import type { PackedTexts } from './packedTexts';
import { orderPacked, packedEntries } from './textIndexes';
import { HOT_INDEXES, RESOURCES_DDL, STRINGS_DDL, tableOf } from './schema';

export interface AuxJob {
  /** Dictionary strings as UTF-8: id i at row i - 1. */
  readonly strings: PackedTexts;
  /** (event rowid, type id, arn id) triples, 0 for NULL ids; at least `resourceCount` of them. */
  readonly resources: Int32Array;
  readonly resourceCount: number;
  readonly events: number;
  readonly pageSize: number;
}

export function tableSql(ddl: string): string {
  return ddl.replace('IF NOT EXISTS ', '').replace('{s}.', '');
}

/** Writes entries (text, rowid) for `order`. */
export function textEntries(b: IndexBuilder, order: ArrayLike<number>, texts: readonly (string | null)[], rowid: (r: number) => number, rec: RecordWriter): void {
  const out = new Uint8Array(256);
  for (let i = 0; i < order.length; i++) {
    const r = order[i] as number;
    const s = texts[r] as string;
    const id = rowid(r);
    const n = putAsciiTextIntRecord(out, s, id);
    if (n > 0) b.add(out, n);
    else {
      rec.text(s);
      rec.int(id);
      b.add(rec.finish());
    }
  }
}

/** The whole file: both tables, then their indexes in HOT_INDEXES order. */
export function buildAuxImage(job: AuxJob): Uint8Array {
  const { strings, resources: res, resourceCount } = job;
  const ids = strings.count + 1;
  const img = new DatabaseImage(job.pageSize);
  const rec = new RecordWriter();
  const out = new Uint8Array(1024);
  img.table('strings', tableSql(STRINGS_DDL), (b) => {
    const { bytes, starts, lengths } = strings;
    for (let r = 0; r < strings.count; r++) {
      const start = starts[r] as number;
      const length = lengths[r] as number;
      const n = putNullTextRecord(out, bytes, start, length);
      if (n > 0) b.add(r + 1, out, n);
      else {
        rec.null();
        rec.utf8(bytes, start, length);
        b.add(r + 1, rec.finish());
      }
    }
  });
  const row = new Float64Array(3);
  img.table('event_resources', tableSql(RESOURCES_DDL), (b) => {
    for (let i = 0; i < resourceCount; i++) {
      row[0] = res[3 * i] as number;
      // Ids of 0 stand for NULL (NaN in an integer record).
      row[1] = (res[3 * i + 1] as number) || NaN;
      row[2] = (res[3 * i + 2] as number) || NaN;
      b.add(i + 1, out, putIntRecord(out, row, 3));
    }
  });
  const arena = new Arena(32 * Math.max(ids, resourceCount) + 4 * Math.max(job.events, ids) + (1 << 20));
  const resIds = new Uint32Array(resourceCount);
  for (let i = 0; i < resIds.length; i++) resIds[i] = i;
  // Each index's sqlite_stat1 value, counted as its entries are written (see indexStat).
  const stats: [string, string, string][] = [];
  const stat = (table: string, index: string, entries: number, distinct: number): void => {
    const value = indexStat(entries, [distinct]);
    if (value !== null) stats.push([table, index, value]);
  };
  /** Entries (id, rowid) in the order of `order`, id 0 as NULL; returns how many distinct ids. */
  const byId = (b: IndexBuilder, order: ArrayLike<number>, id: (i: number) => number): number => {
    const e = new IntEntries(b);
    let distinct = 0;
    let prev = -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const v = id(i);
      if (v !== prev) distinct++;
      prev = v;
      e.add(v === 0 ? NaN : v, i + 1);
    }
    return distinct;
  };
  const plans = new Map<string, (b: IndexBuilder) => void>([
    ['strings_value', (b) => stat('strings', 'strings_value', strings.count, packedEntries(b, strings, orderPacked(strings)))],
    ['res_ev', (b) => stat('event_resources', 'res_ev', resourceCount, byId(b, orderById(resIds, (i) => res[3 * i] as number, job.events, arena), (i) => res[3 * i] as number))],
    ['res_arn', (b) => stat('event_resources', 'res_arn', resourceCount, byId(b, orderById(resIds, (i) => res[3 * i + 2] as number, ids, arena), (i) => res[3 * i + 2] as number))],
  ]);
  for (const ix of HOT_INDEXES) {
    const table = tableOf(ix.on);
    if (table === 'ev') continue;
    const fill = plans.get(ix.name);
    if (!fill) throw new Error(`dictionary file: no builder for index ${ix.name}`);
    arena.release(0);
    img.index(ix.name, table, `CREATE INDEX ${ix.name} ON ${ix.on}`, fill);
  }
  img.stats(stats);
  return img.finish(0);
}
