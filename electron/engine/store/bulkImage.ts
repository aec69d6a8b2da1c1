/**
 * Turns a bulk import's rows (bulkRows.ts) into a database image holding `strings`, `ev`,
 * `event_resources` and every index of HOT_INDEXES, written as b-trees directly (image/). The
 * tables are written in rowid order; each index's entries are ordered here — time by radix sort
 * once, then each (column, time) index by a counting sort of that order — so no index costs more
 * than a pass over the rows. An index in HOT_INDEXES without a builder here is a bug, reported as one.
 */
import { type BulkRows, type EvRows, INT_COLUMNS, INT_NULL } from './bulkRows';
import { DatabaseImage } from './image/image';
import { orderById, orderByNumber, orderByText } from './image/order';
import type { IndexBuilder } from './image/pages';
import { RecordWriter } from './image/record';
import { EV_DDL, EV_TABLE_COLUMNS, HOT_INDEXES, RESOURCES_DDL, STRINGS_DDL } from './schema';

/** Bytes of image per event, to size the buffer once (about what 1M synthetic events take). */
const BYTES_PER_EVENT_GUESS = 420;

function tableSql(ddl: string): string {
  return ddl.replace('IF NOT EXISTS ', '').replace('{s}.', '');
}

type Entry = (rec: RecordWriter, at: number) => void;

/** Writes one index entry per position of `order`, each made by `entry`. */
function entries(order: ArrayLike<number>, rec: RecordWriter, entry: Entry): (b: IndexBuilder) => void {
  return (b) => {
    for (let i = 0; i < order.length; i++) {
      entry(rec, order[i] as number);
      b.add(rec.finish());
    }
  };
}

function intOrNull(rec: RecordWriter, v: number): void {
  if (v === INT_NULL) rec.null();
  else rec.int(v);
}

function writeEv(img: DatabaseImage, ev: EvRows, rec: RecordWriter): void {
  const plan = EV_TABLE_COLUMNS.map((c) => (c === 't' ? -1 : c === 'event_id' ? -2 : c === 'request_id' ? -3 : c === 'shared_event_id' ? -4 : c === 'id' ? -5 : INT_COLUMNS.indexOf(c)));
  const texts = [null, null, ev.eventId, ev.requestId, ev.sharedEventId] as const;
  img.table('ev', tableSql(EV_DDL), (b) => {
    for (let r = 0; r < ev.count; r++) {
      for (const k of plan) {
        if (k >= 0) intOrNull(rec, ev.int(r, k));
        else if (k === -5) rec.null();
        else if (k === -1) rec.int(ev.t(r));
        else {
          const s = (texts[-k] as readonly (string | null)[])[r] ?? null;
          if (s === null) rec.null();
          else rec.text(s);
        }
      }
      b.add(r + 1, rec.finish());
    }
  });
}

function writeTables(img: DatabaseImage, rows: BulkRows, rec: RecordWriter): void {
  img.table('strings', tableSql(STRINGS_DDL), (b) => {
    for (let id = 1; id < rows.strings.length; id++) {
      rec.null();
      rec.text(rows.strings[id] as string);
      b.add(id, rec.finish());
    }
  });
  writeEv(img, rows.ev, rec);
  const res = rows.resources;
  img.table('event_resources', tableSql(RESOURCES_DDL), (b) => {
    for (let i = 0; i < res.count; i++) {
      rec.int(res.data[3 * i] as number);
      const type = res.data[3 * i + 1] as number;
      const arn = res.data[3 * i + 2] as number;
      if (type === 0) rec.null();
      else rec.int(type);
      if (arn === 0) rec.null();
      else rec.int(arn);
      b.add(i + 1, rec.finish());
    }
  });
}

/** The index builders, by index name: each returns the entries' order and how to write one. */
function indexPlans(rows: BulkRows): Map<string, () => [ArrayLike<number>, Entry]> {
  const ev = rows.ev;
  const maxId = rows.strings.length;
  let byTime: Uint32Array | undefined;
  const timeOrder = (): Uint32Array => (byTime ??= orderByNumber(ev.count, (r) => ev.t(r)));
  const plans = new Map<string, () => [ArrayLike<number>, Entry]>();
  plans.set('ev_t', () => [timeOrder(), (rec, r) => (rec.int(ev.t(r)), rec.int(r + 1))]);
  const byColumn = (col: string, nullsToo: boolean) => (): [ArrayLike<number>, Entry] => {
    const k = INT_COLUMNS.indexOf(col);
    const key = (r: number): number => {
      const v = ev.int(r, k);
      return v === INT_NULL ? (nullsToo ? 0 : -1) : v;
    };
    return [orderById(timeOrder(), key, maxId), (rec, r) => (intOrNull(rec, ev.int(r, k)), rec.int(ev.t(r)), rec.int(r + 1))];
  };
  for (const [name, col] of [['ev_name', 'name'], ['ev_source', 'source'], ['ev_arn', 'ui_arn'], ['ev_key', 'ui_key'], ['ev_ip', 'ip'], ['ev_region', 'region'], ['ev_account', 'account']] as const) {
    plans.set(name, byColumn(col, true));
  }
  plans.set('ev_error', byColumn('error_code', false));
  const allRows = (n: number, from = 0): Iterable<number> => ({ *[Symbol.iterator]() { for (let i = from; i < n; i++) yield i; } });
  const textEntry = (texts: readonly (string | null)[], rowid: (r: number) => number): Entry => (rec, r) => (rec.text(texts[r] as string), rec.int(rowid(r)));
  plans.set('ev_event_id', () => [orderByText(allRows(ev.count), (r) => ev.eventId[r] as string), textEntry(ev.eventId, (r) => r + 1)]);
  plans.set('ev_shared', () => [orderByText(allRows(ev.count), (r) => ev.sharedEventId[r] ?? null), textEntry(ev.sharedEventId, (r) => r + 1)]);
  plans.set('strings_value', () => [orderByText(allRows(rows.strings.length, 1), (id) => rows.strings[id] as string), textEntry(rows.strings, (id) => id)]);
  const res = rows.resources;
  const resIds = Uint32Array.from({ length: res.count }, (_, i) => i);
  plans.set('res_ev', () => [orderById(resIds, (i) => res.data[3 * i] as number, ev.count), (rec, i) => (rec.int(res.data[3 * i] as number), rec.int(i + 1))]);
  plans.set('res_arn', () => [
    orderById(resIds, (i) => res.data[3 * i + 2] as number, maxId),
    (rec, i) => {
      const arn = res.data[3 * i + 2] as number;
      if (arn === 0) rec.null();
      else rec.int(arn);
      rec.int(i + 1);
    },
  ]);
  return plans;
}

/** Builds the image; `onIndex` is told each index's name as it starts. */
export function buildHotImage(rows: BulkRows, onIndex?: (name: string) => void): Uint8Array {
  const img = new DatabaseImage(undefined, rows.ev.count * BYTES_PER_EVENT_GUESS);
  const rec = new RecordWriter();
  writeTables(img, rows, rec);
  const plans = indexPlans(rows);
  for (const ix of HOT_INDEXES) {
    const plan = plans.get(ix.name);
    if (!plan) throw new Error(`bulk image: no builder for index ${ix.name}`);
    onIndex?.(ix.name);
    const [order, entry] = plan();
    const table = ix.on.slice(0, ix.on.indexOf('('));
    img.index('index', ix.name, table, `CREATE INDEX ${ix.name} ON ${ix.on}`, entries(order, rec, entry));
  }
  return img.finish();
}
