/**
 * The integer indexes of `ev`, built from what bulkRows.ts kept: time ordered once by radix sort,
 * then each (column, time) index by a counting sort of that order, so no index costs more than a
 * pass over the rows. They need nothing but typed arrays, so a bulk import builds them on a thread
 * of their own (offThread.ts) while this one writes the text indexes and the dictionary's file;
 * each comes back as a b-tree of its own that image/movedIndex.ts moves into the `ev` file.
 */
import { INT_NULL, type IntColumn } from './bulkRows';
import { Arena, f64, u32 } from './image/arena';
import { indexStat } from './image/image';
import { type BuiltTree, builtTree } from './image/movedIndex';
import { orderByNumber } from './image/order';
import { IndexBuilder, PageFile } from './image/pages';
import { INT_BYTES, intRecordSize, intSerialType, putInt, putIntRecord } from './image/record';

/** ev_t is on (t); the others on (column, t), NULL first, except ev_error, which leaves NULL out. */
interface IntIndex {
  readonly column: IntColumn | null;
  readonly nulls: boolean;
}
export const INT_INDEXES: ReadonlyMap<string, IntIndex> = new Map<string, IntIndex>([
  ['ev_t', { column: null, nulls: true }],
  ['ev_name', { column: 'name', nulls: true }],
  ['ev_source', { column: 'source', nulls: true }],
  ['ev_arn', { column: 'ui_arn', nulls: true }],
  ['ev_key', { column: 'ui_key', nulls: true }],
  ['ev_ip', { column: 'ip', nulls: true }],
  ['ev_region', { column: 'region', nulls: true }],
  ['ev_account', { column: 'account', nulls: true }],
  ['ev_error', { column: 'error_code', nulls: false }],
]);

/**
 * Writes entries (a, b) or (a, b, c) of integers, NaN for NULL: straight into the leaf page when it
 * has room, else through IndexBuilder.add, which starts the next leaf.
 */
export class IntEntries {
  private readonly values = new Float64Array(3);
  private readonly out = new Uint8Array(40);

  constructor(private readonly b: IndexBuilder) {}

  add(a: number, b: number, c?: number): void {
    const v = this.values;
    v[0] = a;
    v[1] = b;
    const n = c === undefined ? 2 : 3;
    if (c !== undefined) v[2] = c;
    const at = this.b.reserve(intRecordSize(v, n));
    if (at < 0) this.b.add(this.out, putIntRecord(this.out, v, n));
    else putIntRecord(this.b.leafBytes, v, n, at);
  }

  /**
   * Writes the entries (key, t[i], rows[i] + 1) for i in [from, end), one key's stretch of a
   * (column, t) index (`key` NaN for NULL), or (t[i], rows[i] + 1) when `key` is undefined (ev_t);
   * returns how many distinct times the stretch has. The key's serial type is worked out once, and
   * each entry is written straight into the leaf in one pass: the general `add` stores the values
   * into an array and works out every serial type twice (a third of this job's time in a profile;
   * the job 1.06–1.42 → 0.84–0.97 s on the bench's 1M rows, timing script). A time is written as
   * six bytes without working out its type (every time from 1970's 25th day to the year 6429), the
   * leaf's bytes are asked for only after a new leaf, and the rowid's type comes from comparisons
   * (the job on 1M synthetic rows, both builds alternating in one process, medians of eight: 629 →
   * 508 ms, the same bytes). Other times, and entries that start a new leaf, take `add`.
   */
  stretch(key: number | undefined, t: Float64Array, rows: Uint32Array, from: number, end: number): number {
    const b = this.b;
    const cols = key === undefined ? 2 : 3;
    const k = key ?? NaN;
    const kType = key === undefined || k !== k ? 0 : intSerialType(k);
    const kBytes = INT_BYTES[kType] as number;
    // The header's size byte is the same for every entry of the stretch.
    const head = cols + 1;
    let out = b.leafBytes;
    let times = 0;
    let prev = NaN;
    for (let i = from; i < end; i++) {
      const time = t[i] as number;
      if (time !== prev) times++;
      prev = time;
      const row = (rows[i] as number) + 1;
      const rType = row > 0x7fffff ? (row > 0x7fffffff ? 5 : 4) : row > 0x7fff ? 3 : row > 0x7f ? 2 : row > 1 ? 1 : 9;
      const rBytes = INT_BYTES[rType] as number;
      // A time after January 1970's 25th day and before the year 6429, in whole milliseconds (every
      // real one), is six bytes; any other takes the general path.
      const sixBytes = time >= 2147483648 && time <= 140737488355327 && Math.floor(time) === time;
      const at = sixBytes ? b.reserve(head + kBytes + 6 + rBytes) : -1;
      if (at < 0) {
        if (key === undefined) this.add(time, row);
        else this.add(k, time, row);
        out = b.leafBytes;
        continue;
      }
      out[at] = head;
      let p = at + 1;
      if (key !== undefined) out[p++] = kType;
      out[p] = 5;
      out[p + 1] = rType;
      p += 2;
      if (kBytes > 0) {
        putInt(out, p, k, kBytes);
        p += kBytes;
      }
      // By hand, not through putInt: with putInt for the time and the rowid, the job took 3–18% longer
      // (medians of eight alternating runs in one process, two runs).
      const hi = Math.floor(time / 4294967296);
      const lo = time - hi * 4294967296;
      out[p] = hi >>> 8;
      out[p + 1] = hi & 0xff;
      out[p + 2] = lo >>> 24;
      out[p + 3] = (lo >>> 16) & 0xff;
      out[p + 4] = (lo >>> 8) & 0xff;
      out[p + 5] = lo & 0xff;
      p += 6;
      if (rBytes === 3) {
        out[p] = row >>> 16;
        out[p + 1] = (row >>> 8) & 0xff;
        out[p + 2] = row & 0xff;
      } else if (rBytes > 0) putInt(out, p, row, rBytes);
    }
    return times;
  }
}

export interface IntIndexJob {
  /** Indexes of INT_INDEXES to build. */
  readonly names: readonly string[];
  readonly count: number;
  /** The largest dictionary id. */
  readonly maxId: number;
  readonly pageSize: number;
  /** Rows' times (at least `count`). */
  readonly times: Float64Array;
  /** The columns the indexes named need (at least `count` rows each). */
  readonly columns: Readonly<Partial<Record<IntColumn, Int32Array>>>;
}

export interface NamedTree extends BuiltTree {
  readonly name: string;
  /** Its `sqlite_stat1` value (see indexStat); null when it is empty. */
  readonly stat: string | null;
}

/**
 * Builds the indexes of `job`, each in a file of its own: handed to `onTree` as each is done (and
 * not kept), or returned together. Rows are ordered by time once, and their
 * times gathered in that order; each (column, t) index is then a counting sort that carries the time
 * and row along, so its entries are written from arrays read in sequence. Reading `times[row]` and
 * the column in index order instead (cache misses per entry) took 15% longer on the bench's 1M rows
 * and twice as long with shuffled times (timing script).
 */
export function buildIntIndexes(job: IntIndexJob, onTree?: (tree: NamedTree) => void): NamedTree[] {
  const { count, times } = job;
  const arena = new Arena(32 * count + 4 * (job.maxId + 2) + (1 << 20));
  // The times in their order come out of the sort itself: gathered row by row, they were a cache
  // miss each at ten million events. They stay; the sort's scratch is given back.
  const sortedTimes = f64(arena, count);
  const shared = arena.mark();
  const byTime = orderByNumber(count, times, arena, sortedTimes).slice();
  arena.release(shared);
  const trees: NamedTree[] = [];
  for (const name of job.names) {
    const spec = INT_INDEXES.get(name);
    if (!spec) throw new Error(`no integer index ${name}`);
    const file = new PageFile(job.pageSize);
    const b = new IndexBuilder(file);
    const e = new IntEntries(b);
    let stat: string | null;
    if (spec.column === null) {
      stat = indexStat(count, [e.stretch(undefined, sortedTimes, byTime, 0, count)]);
    } else {
      const col = job.columns[spec.column];
      if (!col) throw new Error(`index ${name}: column ${spec.column} not given`);
      arena.release(shared);
      const { starts, t, rows } = byKey(col, byTime, sortedTimes, spec.nulls, job.maxId, arena);
      let keys = 0;
      let pairs = 0;
      for (let k = spec.nulls ? 0 : 1; k <= job.maxId; k++) {
        const key = k === 0 ? NaN : k;
        const from = starts[k] as number;
        const end = starts[k + 1] as number;
        if (end > from) keys++;
        pairs += e.stretch(key, t, rows, from, end);
      }
      stat = indexStat((starts[job.maxId + 1] as number) - (starts[spec.nulls ? 0 : 1] as number), [keys, pairs]);
    }
    const tree = { name, stat, ...builtTree(file, b.finish()) };
    if (onTree) onTree(tree);
    else trees.push(tree);
  }
  return trees;
}

/**
 * A stable counting sort of the time-ordered rows by their dictionary id in `col` (NULL as 0, left
 * out unless `nulls`): each row's time and number land in the key's stretch, `starts[k]` to `starts[k + 1]`.
 */
function byKey(col: Int32Array, byTime: Uint32Array, sortedTimes: Float64Array, nulls: boolean, maxId: number, arena: Arena): { starts: Uint32Array; t: Float64Array; rows: Uint32Array } {
  const n = byTime.length;
  const keys = u32(arena, n);
  const starts = u32(arena, maxId + 2);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const v = col[byTime[i] as number] as number;
    const k = v === INT_NULL ? 0 : v;
    keys[i] = k;
    if (k === 0 && !nulls) continue;
    (starts[k + 1] as number)++;
    kept++;
  }
  for (let k = 0; k <= maxId; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
  const at = starts.slice();
  const t = f64(arena, kept);
  const rows = u32(arena, kept);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    if (k === 0 && !nulls) continue;
    const p = at[k] as number;
    at[k] = p + 1;
    t[p] = sortedTimes[i] as number;
    rows[p] = byTime[i] as number;
  }
  return { starts, t, rows };
}
