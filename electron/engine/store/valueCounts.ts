/**
 * Events per value of each dictionary column the sidebar can show, counted as rows are written, so
 * the sidebar's first screen (top values with no filter) reads a few rows instead of grouping every
 * event: a column without an index (user agent, user name) took ~0.6 s at a million events. Kept in
 * `ev_counts`; a case saved before the table existed gets it built from `ev` at its next import.
 */
import { FILTER_FIELDS } from '../../../shared/domain';
import { DICT_COLUMNS } from '../import/protocol';
import { SCALAR_COLUMNS, VALUE_COUNTS_DDL } from './schema';
import type { Store } from './store';

/** The counted `ev` columns: the dictionary columns behind FILTER_FIELDS. */
export const COUNTED_COLUMNS: readonly string[] = SCALAR_COLUMNS.filter((c) => c.storage === 'dict' && (FILTER_FIELDS as readonly string[]).includes(c.name)).map((c) => c.col);
const SLOTS = COUNTED_COLUMNS.map((col) => DICT_COLUMNS.indexOf(col));

export function hasValueCounts(store: Store): boolean {
  return store.scalar(`SELECT count(*) FROM ${store.hot}.sqlite_master WHERE type = 'table' AND name = 'ev_counts'`) === 1;
}

/** `ev_counts` rows in key order: row r is (names[col[r]], id[r], n[r]). */
export interface ValueRows {
  readonly names: readonly string[];
  readonly col: Uint8Array;
  readonly id: Int32Array;
  readonly n: Int32Array;
}

export class ValueCounts {
  /** Per counted column, events per global dictionary id (0: absent), grown as ids appear. */
  private readonly counts = COUNTED_COLUMNS.map(() => new Int32Array(1024));
  private readonly incremental: boolean;

  constructor(private readonly store: Store) {
    this.incremental = hasValueCounts(store);
  }

  /** Counts one kept row: `dict` holds the worker's local ids at `d`, `strMap` maps them to global ids. */
  add(dict: Int32Array, d: number, strMap: readonly number[]): void {
    for (let k = 0; k < SLOTS.length; k++) {
      const local = dict[d + (SLOTS[k] as number)] as number;
      const id = local === 0 ? 0 : (strMap[local] as number);
      let c = this.counts[k] as Int32Array;
      if (id >= c.length) {
        const grown = new Int32Array(Math.max(id + 1, c.length * 2));
        grown.set(c);
        this.counts[k] = grown;
        c = grown;
      }
      c[id] = (c[id] as number) + 1;
    }
  }

  /**
   * The counts as rows (col, id, n) in the table's key order, for a bulk import that writes the
   * table itself: row r is (names[col[r]], id[r], n[r]). In arrays, not an array per row: at ten
   * million events there are ~600,000 rows, which as arrays took 0.57 s (timing script).
   */
  rows(): ValueRows {
    const byName = COUNTED_COLUMNS.map((col, k) => [col, k] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let count = 0;
    for (const c of this.counts) for (let id = 0; id < c.length; id++) if ((c[id] as number) > 0) count++;
    const rows = { names: byName.map(([name]) => name), col: new Uint8Array(count), id: new Int32Array(count), n: new Int32Array(count) };
    let r = 0;
    byName.forEach(([, k], i) => {
      const c = this.counts[k] as Int32Array;
      for (let id = 0; id < c.length; id++) {
        const n = c[id] as number;
        if (n === 0) continue;
        rows.col[r] = i;
        rows.id[r] = id;
        rows.n[r++] = n;
      }
    });
    return rows;
  }

  /** Adds this import's counts to the table (inside the writer's transaction). */
  flush(): void {
    const s = this.store;
    if (!this.incremental) {
      s.run(VALUE_COUNTS_DDL.replaceAll('{s}', s.hot));
      for (const col of COUNTED_COLUMNS) s.run(`INSERT INTO ${s.hot}.ev_counts (col, id, n) SELECT '${col}', coalesce(${col}, 0), count(*) FROM ev GROUP BY 2`);
      return;
    }
    const stmt = s.db.prepare(`INSERT INTO ${s.hot}.ev_counts (col, id, n) VALUES (?, ?, ?) ON CONFLICT (col, id) DO UPDATE SET n = n + excluded.n`);
    try {
      COUNTED_COLUMNS.forEach((col, k) => {
        const c = this.counts[k] as Int32Array;
        for (let id = 0; id < c.length; id++) if ((c[id] as number) > 0) stmt.run([col, id, c[id] as number]);
      });
    } finally {
      stmt.free();
    }
  }
}
