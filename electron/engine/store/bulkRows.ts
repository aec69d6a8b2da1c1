/**
 * What a bulk import keeps of each event until the load is done, to order the indexes then (the
 * rows themselves are already written to the image as they arrive): the indexed integer columns
 * and the raw-record reference, row-major in chunks of 64k rows (NULL as INT_NULL), time as
 * float64, and the two indexed text columns.
 */
export const INT_NULL = -2147483648;

/** The integer columns kept, in this order. */
export const INT_COLUMNS = ['name', 'source', 'ui_arn', 'ui_key', 'ip', 'region', 'account', 'error_code', 'blk', 'off', 'len'] as const;
const NI = INT_COLUMNS.length;
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

export class EvRows {
  count = 0;
  private readonly ints: Int32Array[] = [];
  private readonly times: Float64Array[] = [];
  readonly eventId: string[] = [];
  readonly sharedEventId: (string | null)[] = [];
  /** The chunk the last `begin` wrote to; integer column k of that row is at `base + k`. */
  cur: Int32Array = new Int32Array(0);

  /** Appends a row (its rowid is `count` after the call); returns where its integers go in `cur`. */
  begin(t: number, eventId: string, sharedEventId: string | null): number {
    const r = this.count++;
    if ((r & MASK) === 0) {
      this.ints.push(new Int32Array(CHUNK * NI));
      this.times.push(new Float64Array(CHUNK));
    }
    this.cur = this.ints[r >>> CHUNK_BITS] as Int32Array;
    (this.times[r >>> CHUNK_BITS] as Float64Array)[r & MASK] = t;
    this.eventId.push(eventId);
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
  readonly strings: readonly string[];
}
