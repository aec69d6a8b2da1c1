/**
 * A bulk import's database image: `strings`, `ev` and `event_resources` are written as b-trees
 * while the import runs (their rows arrive in rowid order), and every index of HOT_INDEXES once
 * it is done, from what bulkRows.ts kept: time ordered once by radix sort, then each (column,
 * time) index by a counting sort of that order, so no index costs more than a pass over the rows.
 * An index of HOT_INDEXES without a builder here is a bug, reported as one.
 */
import { type BulkRows, EvRows, INT_COLUMNS, INT_NULL, Triples } from './bulkRows';
import { DatabaseImage } from './image/image';
import { orderById, orderByNumber, orderByText } from './image/order';
import type { IndexBuilder, TableBuilder } from './image/pages';
import { RecordWriter, putIntRecord } from './image/record';
import { EV_DDL, HOT_INDEXES, RESOURCES_DDL, STRINGS_DDL } from './schema';

function tableSql(ddl: string): string {
  return ddl.replace('IF NOT EXISTS ', '').replace('{s}.', '');
}

/** How an index entry is made from a row: integers only (NaN for NULL; returns how many), or any values. */
type Entry = { readonly ints: (values: Float64Array, row: number) => number } | { readonly rec: (rec: RecordWriter, row: number) => void };

/** Writes one index entry per position of `order`, each made by `entry`. */
function writeEntries(b: IndexBuilder, order: ArrayLike<number>, rec: RecordWriter, entry: Entry): void {
  if ('ints' in entry) {
    const values = new Float64Array(8);
    const out = new Uint8Array(96);
    for (let i = 0; i < order.length; i++) b.add(out, putIntRecord(out, values, entry.ints(values, order[i] as number)));
    return;
  }
  for (let i = 0; i < order.length; i++) {
    entry.rec(rec, order[i] as number);
    b.add(rec.finish());
  }
}

function orNaN(v: number): number {
  return v === INT_NULL ? NaN : v;
}

function intOrNull(rec: RecordWriter, v: number): void {
  if (v === INT_NULL) rec.null();
  else rec.int(v);
}

function column(name: (typeof INT_COLUMNS)[number]): number {
  return INT_COLUMNS.indexOf(name);
}

export class BulkImage implements BulkRows {
  readonly ev = new EvRows();
  readonly resources = new Triples();
  readonly strings: string[] = [''];
  /** Where the caller writes each `ev` row, column by column in table order, before `endEvent`. */
  readonly record = new RecordWriter();
  private readonly img = new DatabaseImage();
  private readonly stringsTable: TableBuilder;
  private readonly evTable: TableBuilder;
  private readonly resourcesTable: TableBuilder;
  private readonly small = new RecordWriter();

  constructor() {
    this.stringsTable = this.img.openTable('strings', tableSql(STRINGS_DDL));
    this.evTable = this.img.openTable('ev', tableSql(EV_DDL));
    this.resourcesTable = this.img.openTable('event_resources', tableSql(RESOURCES_DDL));
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

  /** Builds the indexes and returns the database file; `onIndex` is told each index as it starts. */
  finish(onIndex?: (name: string) => void): Uint8Array {
    const plans = indexPlans(this);
    for (const ix of HOT_INDEXES) {
      const plan = plans.get(ix.name);
      if (!plan) throw new Error(`bulk image: no builder for index ${ix.name}`);
      onIndex?.(ix.name);
      const [order, entry] = plan();
      const table = ix.on.slice(0, ix.on.indexOf('('));
      writeEntries(this.img.openIndex('index', ix.name, table, `CREATE INDEX ${ix.name} ON ${ix.on}`), order, this.small, entry);
    }
    this.ev.clear();
    this.strings.length = 1;
    return this.img.finish();
  }
}

/** The index builders, by index name: each returns the entries' order and how to write one. */
function indexPlans(rows: BulkRows): Map<string, () => [ArrayLike<number>, Entry]> {
  const ev = rows.ev;
  const maxId = rows.strings.length;
  let byTime: Uint32Array | undefined;
  const timeOrder = (): Uint32Array => (byTime ??= orderByNumber(ev.count, (r) => ev.t(r)));
  const plans = new Map<string, () => [ArrayLike<number>, Entry]>();
  const ints = (fill: (v: Float64Array, r: number) => number): Entry => ({ ints: fill });
  plans.set('ev_t', () => [timeOrder(), ints((v, r) => ((v[0] = ev.t(r)), (v[1] = r + 1), 2))]);
  const byColumn = (col: (typeof INT_COLUMNS)[number], nullsToo: boolean) => (): [ArrayLike<number>, Entry] => {
    const k = column(col);
    const key = (r: number): number => {
      const v = ev.int(r, k);
      return v === INT_NULL ? (nullsToo ? 0 : -1) : v;
    };
    return [orderById(timeOrder(), key, maxId), ints((v, r) => ((v[0] = orNaN(ev.int(r, k))), (v[1] = ev.t(r)), (v[2] = r + 1), 3))];
  };
  for (const [name, col] of [['ev_name', 'name'], ['ev_source', 'source'], ['ev_arn', 'ui_arn'], ['ev_key', 'ui_key'], ['ev_ip', 'ip'], ['ev_region', 'region'], ['ev_account', 'account']] as const) {
    plans.set(name, byColumn(col, true));
  }
  plans.set('ev_error', byColumn('error_code', false));
  const allRows = (n: number, from = 0): Iterable<number> => ({ *[Symbol.iterator]() { for (let i = from; i < n; i++) yield i; } });
  const textEntry = (texts: readonly (string | null)[], rowid: (r: number) => number): Entry => ({ rec: (rec, r) => (rec.text(texts[r] as string), rec.int(rowid(r))) });
  plans.set('ev_event_id', () => [orderByText(allRows(ev.count), (r) => ev.eventId[r] as string), textEntry(ev.eventId, (r) => r + 1)]);
  plans.set('ev_shared', () => [orderByText(allRows(ev.count), (r) => ev.sharedEventId[r] ?? null), textEntry(ev.sharedEventId, (r) => r + 1)]);
  plans.set('strings_value', () => [orderByText(allRows(rows.strings.length, 1), (id) => rows.strings[id] as string), textEntry(rows.strings, (id) => id)]);
  const res = rows.resources;
  const resIds = Uint32Array.from({ length: res.count }, (_, i) => i);
  plans.set('res_ev', () => [orderById(resIds, (i) => res.data[3 * i] as number, ev.count), ints((v, i) => ((v[0] = res.data[3 * i] as number), (v[1] = i + 1), 2))]);
  plans.set('res_arn', () => [
    orderById(resIds, (i) => res.data[3 * i + 2] as number, maxId),
    ints((v, i) => {
      const arn = res.data[3 * i + 2] as number;
      v[0] = arn === 0 ? NaN : arn;
      v[1] = i + 1;
      return 2;
    }),
  ]);
  return plans;
}
