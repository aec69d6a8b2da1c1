/**
 * Events and failures per minute, counted as rows are written, so the timeline's first screen (every
 * event of the case, stacked by outcome) reads ~40,000 rows for a month of evidence instead of every
 * event. Kept in `tl_minute` (minute = floor(t / 60 000)). A case saved before this table existed
 * gets it built from `ev` at its next import; until then the timeline reads `ev` as before.
 */
import { MINUTE_TABLE_DDL } from './schema';
import type { Store } from './store';

export const MINUTE_MS = 60_000;

export function hasMinuteCounts(store: Store): boolean {
  return store.scalar(`SELECT count(*) FROM ${store.hot}.sqlite_master WHERE type = 'table' AND name = 'tl_minute'`) === 1;
}

export class MinuteCounts {
  private readonly total = new Map<number, number>();
  private readonly failed = new Map<number, number>();
  /** The table described every event before this import (else it is rebuilt from `ev`). */
  private readonly incremental: boolean;

  constructor(private readonly store: Store) {
    this.incremental = hasMinuteCounts(store);
  }

  /** The minute being counted, and its counts not yet in the maps (events come mostly in time order). */
  private minute = NaN;
  private n = 0;
  private errors = 0;

  add(t: number, failed: boolean): void {
    const m = Math.floor(t / MINUTE_MS);
    if (m !== this.minute) {
      this.settle();
      this.minute = m;
    }
    this.n++;
    if (failed) this.errors++;
  }

  private settle(): void {
    const m = this.minute;
    if (this.n > 0) this.total.set(m, (this.total.get(m) ?? 0) + this.n);
    if (this.errors > 0) this.failed.set(m, (this.failed.get(m) ?? 0) + this.errors);
    this.n = 0;
    this.errors = 0;
  }

  /**
   * The counts as rows (m, n, errors) in ascending m, for a bulk import that writes the table itself;
   * null when a minute is before 1970 (a negative rowid, which the image writer does not encode).
   */
  rows(): { readonly m: Float64Array; readonly n: Int32Array; readonly errors: Int32Array } | null {
    this.settle();
    const m = Float64Array.from(this.total.keys()).sort();
    if (m.length > 0 && (m[0] as number) < 0) return null;
    const n = Int32Array.from(m, (k) => this.total.get(k) ?? 0);
    const errors = Int32Array.from(m, (k) => this.failed.get(k) ?? 0);
    return { m, n, errors };
  }

  /** Adds this import's counts to the table (inside the writer's transaction). */
  flush(): void {
    this.settle();
    const s = this.store;
    if (!this.incremental) {
      s.run(MINUTE_TABLE_DDL.replaceAll('{s}', s.hot));
      s.run(`INSERT INTO ${s.hot}.tl_minute (m, n, errors)
        SELECT a.m, a.n, coalesce(f.n, 0) FROM (SELECT t / ${MINUTE_MS} AS m, count(*) AS n FROM ev GROUP BY 1) a
        LEFT JOIN (SELECT t / ${MINUTE_MS} AS m, count(*) AS n FROM ev WHERE error_code IS NOT NULL GROUP BY 1) f ON f.m = a.m`);
      return;
    }
    const stmt = s.db.prepare(`INSERT INTO ${s.hot}.tl_minute (m, n, errors) VALUES (?, ?, ?) ON CONFLICT (m) DO UPDATE SET n = n + excluded.n, errors = errors + excluded.errors`);
    try {
      for (const [m, n] of this.total) stmt.run([m, n, this.failed.get(m) ?? 0]);
    } finally {
      stmt.free();
    }
  }
}
