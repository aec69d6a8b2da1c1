/**
 * A bulk import's database images: `ev` in one file, `strings` and `event_resources` in another
 * (so that each stays under the 4 GiB a sql.js file can hold at ten million events). The tables are
 * written as b-trees while the import runs (their rows arrive in rowid order), and every index of
 * HOT_INDEXES once it is done, from what bulkRows.ts kept: time ordered once by radix sort, then each (column,
 * time) index by a counting sort of that order, so no index costs more than a pass over the rows.
 * An index of HOT_INDEXES without a builder here is a bug, reported as one.
 */
import { type BulkRows, EvRows, INT_NULL, type IntColumn, Triples } from './bulkRows';
import { Arena } from './image/arena';
import { DatabaseImage } from './image/image';
import { orderById, orderByNumber, orderByText } from './image/order';
import type { IndexBuilder, TableBuilder } from './image/pages';
import { RecordWriter, putAsciiTextIntRecord, putIntRecord } from './image/record';
import { EV_DDL, HOT_INDEXES, RESOURCES_DDL, STRINGS_DDL, tableOf } from './schema';

/** Free space left per event for what is written after the import (sessions, statistics). */
const SLACK_PER_EVENT = 24;

function tableSql(ddl: string): string {
  return ddl.replace('IF NOT EXISTS ', '').replace('{s}.', '');
}

/** Writes entries (a, b) or (a, b, c) of integers, NaN for NULL. */
class IntEntries {
  private readonly values = new Float64Array(3);
  private readonly out = new Uint8Array(40);

  constructor(private readonly b: IndexBuilder) {}

  add(a: number, b: number, c?: number): void {
    const v = this.values;
    v[0] = a;
    v[1] = b;
    if (c === undefined) this.b.add(this.out, putIntRecord(this.out, v, 2));
    else {
      v[2] = c;
      this.b.add(this.out, putIntRecord(this.out, v, 3));
    }
  }
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

function orNaN(v: number): number {
  return v === INT_NULL ? NaN : v;
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
   * Builds the indexes of `ev` and returns its file, with free pages for `slackBytes` more plus
   * what the correlation tables take, so they do not grow the file. `onIndex` is told each index.
   */
  finish(slackBytes: number, onIndex?: (name: string) => void): Uint8Array {
    this.writeIndexes(this.img, (table) => table === 'ev', onIndex);
    const events = this.ev.count;
    this.ev.clear();
    this.strings.length = 1;
    return this.img.finish(Math.ceil((slackBytes + events * SLACK_PER_EVENT) / this.img.file.pageSize));
  }

  private writeIndexes(img: DatabaseImage, here: (table: string) => boolean, onIndex?: (name: string) => void): void {
    const forEv = here('ev');
    // The largest sort: text (32 bytes a row), or a counting sort's counts and output.
    const rows = forEv ? this.ev.count : Math.max(this.strings.length, this.resources.count);
    const arena = new Arena(32 * rows + 4 * Math.max(this.ev.count, this.strings.length) + (1 << 20));
    const plans = indexPlans(this, this.small, arena, forEv);
    for (const ix of HOT_INDEXES) {
      const table = tableOf(ix.on);
      if (!here(table)) continue;
      const fill = plans.get(ix.name);
      if (!fill) throw new Error(`bulk image: no builder for index ${ix.name}`);
      onIndex?.(ix.name);
      const mark = arena.mark();
      fill(img.openIndex(ix.name, table, `CREATE INDEX ${ix.name} ON ${ix.on}`));
      arena.release(mark);
    }
  }
}

type IndexFill = (b: IndexBuilder) => void;

/** How each index of HOT_INDEXES is filled, by name. */
function indexPlans(rows: BulkRows, rec: RecordWriter, arena: Arena, withTime: boolean): Map<string, IndexFill> {
  const ev = rows.ev;
  const times = ev.times;
  const maxId = rows.strings.length;
  // Every (column, time) index starts from the rows in time order: sorted once, kept outside the arena.
  const byTime = withTime ? orderByNumber(ev.count, (r) => times[r] as number, arena).slice() : new Uint32Array(0);
  arena.release(0);
  const timeOrder = (): Uint32Array => byTime;
  const plans = new Map<string, IndexFill>();
  plans.set('ev_t', (b) => {
    const e = new IntEntries(b);
    for (const r of timeOrder()) e.add(times[r] as number, r + 1);
  });
  const byColumn = (name: IntColumn, nullsToo: boolean): IndexFill => (b) => {
    const col = ev.column(name);
    const order = orderById(timeOrder(), (r) => {
      const v = col[r] as number;
      return v === INT_NULL ? (nullsToo ? 0 : -1) : v;
    }, maxId, arena);
    const e = new IntEntries(b);
    for (const r of order) e.add(orNaN(col[r] as number), times[r] as number, r + 1);
  };
  for (const [name, col] of [['ev_name', 'name'], ['ev_source', 'source'], ['ev_arn', 'ui_arn'], ['ev_key', 'ui_key'], ['ev_ip', 'ip'], ['ev_region', 'region'], ['ev_account', 'account']] as const) {
    plans.set(name, byColumn(col, true));
  }
  plans.set('ev_error', byColumn('error_code', false));
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
