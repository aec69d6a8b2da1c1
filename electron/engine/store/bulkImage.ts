/**
 * A bulk import's database images: `ev` in one file, `strings` and `event_resources` in another
 * (so that each stays under the 4 GiB a sql.js file can hold at ten million events). The tables are
 * written as b-trees while the import runs (their rows arrive in rowid order), and every index of
 * HOT_INDEXES once it is done, from what bulkRows.ts kept. The integer indexes of `ev` are built on
 * another thread (intIndexes.ts) while this one writes the text indexes and the dictionary's file.
 * An index of HOT_INDEXES without a builder is a bug, reported as one.
 */
import { type BulkRows, EvRows, INT_COLUMNS, INT_NULL, type IntColumn, Triples } from './bulkRows';
import { Arena } from './image/arena';
import { DatabaseImage } from './image/image';
import { orderById, orderByText } from './image/order';
import type { IndexBuilder, TableBuilder } from './image/pages';
import { RecordWriter, putAsciiTextIntRecord } from './image/record';
import { INT_INDEXES, IntEntries, type NamedTree, buildIntIndexesOffThread } from './intIndexes';
import { EV_DDL, HOT_INDEXES, RESOURCES_DDL, STRINGS_DDL, tableOf } from './schema';

/** Free space left per event for what is written after the import (sessions, statistics). */
const SLACK_PER_EVENT = 24;

function tableSql(ddl: string): string {
  return ddl.replace('IF NOT EXISTS ', '').replace('{s}.', '');
}

/** Writes entries (text, rowid) for `order`. */
function textEntries(b: IndexBuilder, order: ArrayLike<number>, texts: readonly (string | null)[], rowid: (r: number) => number, rec: RecordWriter): void {
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

function intOrNull(rec: RecordWriter, v: number): void {
  if (v === INT_NULL) rec.null();
  else rec.int(v);
}


export class BulkImage implements BulkRows {
  readonly ev = new EvRows();
  readonly resources = new Triples();
  readonly strings: string[] = [''];
  /** Where the caller writes each `ev` row, column by column in table order, before `endEvent`. */
  readonly record = new RecordWriter();
  /** `ev` and its indexes; the dictionary and resources go to their own file (see Store.adopt). */
  private readonly img = new DatabaseImage();
  private aux: DatabaseImage | null = new DatabaseImage();
  private readonly stringsTable: TableBuilder;
  private readonly evTable: TableBuilder;
  private readonly resourcesTable: TableBuilder;
  private readonly small = new RecordWriter();
  private intTrees: Promise<NamedTree[]> | null = null;

  constructor() {
    const aux = this.aux as DatabaseImage;
    this.stringsTable = aux.openTable('strings', tableSql(STRINGS_DDL));
    this.evTable = this.img.openTable('ev', tableSql(EV_DDL));
    this.resourcesTable = aux.openTable('event_resources', tableSql(RESOURCES_DDL));
  }

  /** A new dictionary string; ids arrive in ascending order. */
  addString(id: number, value: string): void {
    this.strings[id] = value;
    this.small.null();
    this.small.text(value);
    this.stringsTable.add(id, this.small.finish());
  }

  /** Writes the `ev` row built in `record`. */
  endEvent(rowid: number): void {
    this.evTable.add(rowid, this.record.finish());
  }

  addResource(ev: number, type: number, arn: number): void {
    this.resources.push(ev, type, arn);
    this.small.int(ev);
    intOrNull(this.small, type === 0 ? INT_NULL : type);
    intOrNull(this.small, arn === 0 ? INT_NULL : arn);
    this.resourcesTable.add(this.resources.count, this.small.finish());
  }

  /**
   * The dictionary and resources file, with their indexes: built first, so its buffer can go once
   * sql.js has its copy, before the larger `ev` file is finished.
   */
  finishAux(onIndex?: (name: string) => void): Uint8Array {
    const aux = this.aux;
    if (!aux) throw new Error('bulk image: the dictionary file is already finished');
    this.writeIndexes(aux, (table) => table !== 'ev', onIndex);
    this.aux = null;
    return aux.finish(0);
  }

  /**
   * Starts the integer indexes of `ev` on another thread, where they build while this one goes on;
   * call it once every row is in. The rows' times and indexed columns go with them.
   */
  startIndexes(): void {
    if (this.intTrees) return;
    const ev = this.ev;
    const columns: Partial<Record<IntColumn, Int32Array>> = {};
    for (const { column } of INT_INDEXES.values()) if (column) columns[column] = ev.ints[INT_COLUMNS.indexOf(column)] as Int32Array;
    const job = { names: [...INT_INDEXES.keys()], count: ev.count, maxId: this.strings.length, pageSize: this.img.file.pageSize, times: ev.times, columns };
    this.intTrees = buildIntIndexesOffThread(job);
    this.intTrees.catch(() => undefined); // finish awaits it and reports the failure
  }

  /**
   * Builds the indexes of `ev` and returns its file, with free pages for `slackBytes` more plus
   * what the correlation tables take, so they do not grow the file. `onIndex` is told each index.
   */
  async finish(slackBytes: number, onIndex?: (name: string) => void): Promise<Uint8Array> {
    this.startIndexes();
    const moved = this.writeIndexes(this.img, (table) => table === 'ev', onIndex);
    for (const tree of await (this.intTrees as Promise<NamedTree[]>)) {
      const place = moved.get(tree.name);
      if (!place) throw new Error(`bulk image: index ${tree.name} has no place in the schema`);
      onIndex?.(tree.name);
      place(tree);
    }
    const events = this.ev.count;
    this.ev.clear();
    this.strings.length = 1;
    return this.img.finish(Math.ceil((slackBytes + events * SLACK_PER_EVENT) / this.img.file.pageSize));
  }

  /** Writes the indexes of the tables `here`; returns where the integer indexes of `ev` go. */
  private writeIndexes(img: DatabaseImage, here: (table: string) => boolean, onIndex?: (name: string) => void): Map<string, (tree: NamedTree) => void> {
    const forEv = here('ev');
    // The largest sort: text (32 bytes a row), or a counting sort's counts and output.
    const rows = forEv ? this.ev.count : Math.max(this.strings.length, this.resources.count);
    const arena = new Arena(32 * rows + 4 * Math.max(this.ev.count, this.strings.length) + (1 << 20));
    const plans = indexPlans(this, this.small, arena);
    const moved = new Map<string, (tree: NamedTree) => void>();
    for (const ix of HOT_INDEXES) {
      const table = tableOf(ix.on);
      if (!here(table)) continue;
      const sql = `CREATE INDEX ${ix.name} ON ${ix.on}`;
      if (table === 'ev' && INT_INDEXES.has(ix.name)) {
        moved.set(ix.name, img.movedIndex(ix.name, table, sql));
        continue;
      }
      const fill = plans.get(ix.name);
      if (!fill) throw new Error(`bulk image: no builder for index ${ix.name}`);
      onIndex?.(ix.name);
      const mark = arena.mark();
      fill(img.openIndex(ix.name, table, sql));
      arena.release(mark);
    }
    return moved;
  }
}

type IndexFill = (b: IndexBuilder) => void;

/** How each index of HOT_INDEXES other than INT_INDEXES is filled, by name. */
function indexPlans(rows: BulkRows, rec: RecordWriter, arena: Arena): Map<string, IndexFill> {
  const ev = rows.ev;
  const maxId = rows.strings.length;
  const plans = new Map<string, IndexFill>();
  plans.set('ev_event_id', (b) => textEntries(b, orderByText(0, ev.count, (r) => ev.eventId[r] as string, arena), ev.eventId, (r) => r + 1, rec));
  plans.set('ev_shared', (b) => textEntries(b, orderByText(0, ev.count, (r) => ev.sharedEventId[r] ?? null, arena), ev.sharedEventId, (r) => r + 1, rec));
  plans.set('strings_value', (b) => textEntries(b, orderByText(1, rows.strings.length, (id) => rows.strings[id] as string, arena), rows.strings, (id) => id, rec));
  const res = rows.resources;
  const resIds = new Uint32Array(res.count);
  for (let i = 0; i < resIds.length; i++) resIds[i] = i;
  plans.set('res_ev', (b) => {
    const e = new IntEntries(b);
    for (const i of orderById(resIds, (i) => res.data[3 * i] as number, ev.count, arena)) e.add(res.data[3 * i] as number, i + 1);
  });
  plans.set('res_arn', (b) => {
    const e = new IntEntries(b);
    for (const i of orderById(resIds, (i) => res.data[3 * i + 2] as number, maxId, arena)) {
      const arn = res.data[3 * i + 2] as number;
      e.add(arn === 0 ? NaN : arn, i + 1);
    }
  });
  return plans;
}
