/**
 * The rows of a bulk import, held in JS memory until the load is done: `ev` row-major in chunks of
 * 64k rows of 32-bit integers (dictionary ids, provenance, raw-record refs; NULL as INT_NULL), time as
 * float64, the three free-text columns as strings; resources as (event, type, arn) triples; the
 * dictionary's new strings by id. bulkImage.ts turns them into the store's b-trees in one pass.
 */
import { EV_TABLE_COLUMNS } from './schema';

export const INT_NULL = -2147483648;

/** Columns of `ev` not kept as integers here: the rowid (implicit), time and the free text. */
const NOT_INT = new Set(['id', 't', 'event_id', 'request_id', 'shared_event_id']);
/** The integer columns, in table order. */
export const INT_COLUMNS: readonly string[] = EV_TABLE_COLUMNS.filter((c) => !NOT_INT.has(c));
const NI = INT_COLUMNS.length;
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

export class EvRows {
  count = 0;
  private readonly ints: Int32Array[] = [];
  private readonly times: Float64Array[] = [];
  readonly eventId: string[] = [];
  readonly requestId: (string | null)[] = [];
  readonly sharedEventId: (string | null)[] = [];
  /** The chunk the last `begin` wrote to; integer column k of that row is at `base + k`. */
  cur: Int32Array = new Int32Array(0);

  /** Appends a row (its rowid is `count` after the call); returns where its integers go in `cur`. */
  begin(t: number, eventId: string, requestId: string | null, sharedEventId: string | null): number {
    const r = this.count++;
    if ((r & MASK) === 0) {
      this.ints.push(new Int32Array(CHUNK * NI));
      this.times.push(new Float64Array(CHUNK));
    }
    this.cur = this.ints[r >>> CHUNK_BITS] as Int32Array;
    (this.times[r >>> CHUNK_BITS] as Float64Array)[r & MASK] = t;
    this.eventId.push(eventId);
    this.requestId.push(requestId);
    this.sharedEventId.push(sharedEventId);
    return (r & MASK) * NI;
  }

  t(row: number): number {
    return (this.times[row >>> CHUNK_BITS] as Float64Array)[row & MASK] as number;
  }

  /** Integer column `k` (see INT_COLUMNS) of row `row` (0-based). */
  int(row: number, k: number): number {
    return (this.ints[row >>> CHUNK_BITS] as Int32Array)[(row & MASK) * NI + k] as number;
  }

  /** Releases the memory (once the image is built). */
  clear(): void {
    this.ints.length = 0;
    this.times.length = 0;
    this.eventId.length = 0;
    this.requestId.length = 0;
    this.sharedEventId.length = 0;
    this.count = 0;
  }
}

/** A growable list of int32 triples. */
export class Triples {
  data = new Int32Array(3 * 1024);
  count = 0;

  push(a: number, b: number, c: number): void {
    if (3 * (this.count + 1) > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = 3 * this.count++;
    this.data[at] = a;
    this.data[at + 1] = b;
    this.data[at + 2] = c;
  }
}

export interface BulkRows {
  readonly ev: EvRows;
  /** (event rowid, type id, arn id); 0 for NULL ids. */
  readonly resources: Triples;
  /** Dictionary strings by id; index 0 unused. */
  readonly strings: string[];
}
