/**
 * What a bulk import keeps of each event until the load is done, to order the indexes then (the
 * rows themselves are already written to the image as they arrive): the indexed integer columns
 * and the raw-record reference, one growable Int32Array per column (NULL as INT_NULL), time as
 * float64, and the two indexed text columns packed as UTF-8.
 */
import { type PackedTexts, TextPacker } from './packedTexts';
import { reassigned } from './reassigned';

export const INT_NULL = -2147483648;

/** The integer columns kept, in this order. */
export const INT_COLUMNS = ['name', 'source', 'ui_arn', 'ui_key', 'ip', 'region', 'account', 'error_code', 'blk', 'off', 'len'] as const;
export type IntColumn = (typeof INT_COLUMNS)[number];

export class EvRows {
  count = 0;
  private capacity = 1 << 16;
  /** Column `k` of INT_COLUMNS; valid for rows below `count`. */
  ints: Int32Array[] = INT_COLUMNS.map(() => new Int32Array(1 << 16));
  times = new Float64Array(1 << 16);
  /** The rows' sharedEventIDs (their eventIDs are the dedupe keys', handed to the index as they are: see BulkImage). */
  readonly sharedEventIds = new TextPacker();

  constructor() {
    reassigned(this, ['ints', 'times']);
  }

  /**
   * Appends a row (its rowid is `count` after the call) and returns its index; set its integers with
   * `set`. Its sharedEventID is entry `sharedEventId` of `texts`.
   */
  begin(t: number, texts: PackedTexts, sharedEventId: number): number {
    const r = this.count++;
    if (r === this.capacity) this.grow();
    this.times[r] = t;
    if ((texts.lengths[sharedEventId] as number) < 0) this.sharedEventIds.push(null);
    else this.sharedEventIds.pushBytes(texts.bytes, texts.starts[sharedEventId] as number, texts.lengths[sharedEventId] as number);
    return r;
  }

  private grow(): void {
    this.capacity = Math.ceil(this.capacity * 1.5);
    this.ints = this.ints.map((c) => {
      const g = new Int32Array(this.capacity);
      g.set(c);
      return g;
    });
    const t = new Float64Array(this.capacity);
    t.set(this.times);
    this.times = t;
  }

  /** Integer column `name` (a view of its first `count` rows). */
  column(name: IntColumn): Int32Array {
    return (this.ints[INT_COLUMNS.indexOf(name)] as Int32Array).subarray(0, this.count);
  }

  t(row: number): number {
    return this.times[row] as number;
  }

  /** Releases the memory (once the image is built). */
  clear(): void {
    this.ints = [];
    this.times = new Float64Array(0);
    this.sharedEventIds.clear();
    this.count = 0;
  }
}

/** A growable list of int32 triples. */
export class Triples {
  data = new Int32Array(3 * 1024);
  count = 0;

  constructor() {
    reassigned(this, ['data']);
  }

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
