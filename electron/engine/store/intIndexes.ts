/**
 * The integer indexes of `ev`, built from what bulkRows.ts kept: time ordered once by radix sort,
 * then each (column, time) index by a counting sort of that order, so no index costs more than a
 * pass over the rows. They need nothing but typed arrays, so a bulk import builds them on a thread
 * of their own (offThread.ts) while this one writes the text indexes and the dictionary's file;
 * each comes back as a b-tree of its own that image/movedIndex.ts moves into the `ev` file.
 */
import { INT_NULL, type IntColumn } from './bulkRows';
import { Arena } from './image/arena';
import { type BuiltTree, builtTree } from './image/movedIndex';
import { orderById, orderByNumber } from './image/order';
import { IndexBuilder, PageFile } from './image/pages';
import { intRecordSize, putIntRecord } from './image/record';

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
}

/** Builds the indexes of `job`, each in a file of its own. */
export function buildIntIndexes(job: IntIndexJob): NamedTree[] {
  const { count, times } = job;
  const arena = new Arena(8 * count + 4 * (job.maxId + 2) + (1 << 20));
  const byTime = orderByNumber(count, (r) => times[r] as number, arena).slice();
  return job.names.map((name) => {
    const spec = INT_INDEXES.get(name);
    if (!spec) throw new Error(`no integer index ${name}`);
    const file = new PageFile(job.pageSize);
    const b = new IndexBuilder(file);
    const e = new IntEntries(b);
    if (spec.column === null) {
      for (const r of byTime) e.add(times[r] as number, r + 1);
    } else {
      const col = job.columns[spec.column];
      if (!col) throw new Error(`index ${name}: column ${spec.column} not given`);
      arena.release(0);
      const nullKey = spec.nulls ? 0 : -1;
      const order = orderById(byTime, (r) => {
        const v = col[r] as number;
        return v === INT_NULL ? nullKey : v;
      }, job.maxId, arena);
      for (const r of order) {
        const v = col[r] as number;
        e.add(v === INT_NULL ? NaN : v, times[r] as number, r + 1);
      }
    }
    return { name, ...builtTree(file, b.finish()) };
  });
}
