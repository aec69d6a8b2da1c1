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

/** Most minutes counted in arrays (8 MiB each: about four years); minutes outside them go to a map. */
const WINDOW_MAX = 1 << 21;

export class MinuteCounts {
  /** Events and failures of minute `base + i` at [i]; grown (both ways) as minutes appear. */
  private total = new Int32Array(0);
  private failed = new Int32Array(0);
  private base = 0;
  /** Minutes that do not fit in the arrays (a stray timestamp decades away): [events, failures]. */
  private readonly outliers = new Map<number, [number, number]>();
  /** The table described every event before this import (else it is rebuilt from `ev`). */
  private readonly incremental: boolean;

  constructor(private readonly store: Store) {
    this.incremental = hasMinuteCounts(store);
  }

  add(t: number, failed: boolean): void {
    const m = Math.floor(t / MINUTE_MS);
    let i = m - this.base;
    if (!(i >= 0 && i < this.total.length)) {
      i = this.place(m);
      if (i < 0) return this.addOutlier(m, failed);
    }
    const { total } = this;
    total[i] = (total[i] as number) + 1;
    if (failed) this.failed[i] = (this.failed[i] as number) + 1;
  }

  /** The index of minute `m` once the arrays cover it, or -1 when they cannot (WINDOW_MAX). */
  private place(m: number): number {
    if (!Number.isSafeInteger(m)) return -1;
    const used = this.total.length;
    const lo = used === 0 ? m : Math.min(this.base, m);
    const hi = used === 0 ? m : Math.max(this.base + used - 1, m);
    if (hi - lo + 1 > WINDOW_MAX) return -1;
    // Grow to twice the span needed (at least 4,096 minutes), extra room on the side that grew.
    const size = Math.min(WINDOW_MAX, Math.max(4096, 2 * (hi - lo + 1)));
    const newBase = used === 0 || m >= this.base ? lo : hi - size + 1;
    const total = new Int32Array(size);
    const failed = new Int32Array(size);
    if (used > 0) {
      total.set(this.total, this.base - newBase);
      failed.set(this.failed, this.base - newBase);
    }
    this.total = total;
    this.failed = failed;
    this.base = newBase;
    return m - newBase;
  }

  private addOutlier(m: number, failed: boolean): void {
    const c = this.outliers.get(m) ?? [0, 0];
    c[0]++;
    if (failed) c[1]++;
    this.outliers.set(m, c);
  }

  /** Every counted minute as (m, events, failures), in ascending m. */
  private *minutes(): Generator<readonly [number, number, number]> {
    const extra = [...this.outliers.keys()].sort((a, b) => a - b);
    let k = 0;
    const { total, failed, base } = this;
    for (let i = 0; i < total.length; i++) {
      const n = total[i] as number;
      if (n === 0) continue;
      for (; k < extra.length && (extra[k] as number) < base + i; k++) yield this.outlier(extra[k] as number);
      yield [base + i, n, failed[i] as number];
    }
    for (; k < extra.length; k++) yield this.outlier(extra[k] as number);
  }

  private outlier(m: number): readonly [number, number, number] {
    const [n, errors] = this.outliers.get(m) ?? [0, 0];
    return [m, n, errors];
  }

  /**
   * The counts as rows (m, n, errors) in ascending m, for a bulk import that writes the table itself;
   * null when a minute is before 1970 (a negative rowid, which the image writer does not encode).
   */
  rows(): { readonly m: Float64Array; readonly n: Int32Array; readonly errors: Int32Array } | null {
    let count = this.outliers.size;
    for (let i = 0; i < this.total.length; i++) if ((this.total[i] as number) > 0) count++;
    const m = new Float64Array(count);
    const n = new Int32Array(count);
    const errors = new Int32Array(count);
    let r = 0;
    for (const [minute, events, failures] of this.minutes()) {
      m[r] = minute;
      n[r] = events;
      errors[r++] = failures;
    }
    if (count > 0 && (m[0] as number) < 0) return null;
    return { m, n, errors };
  }

  /** Adds this import's counts to the table (inside the writer's transaction). */
  flush(): void {
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
      for (const [m, n, errors] of this.minutes()) stmt.run([m, n, errors]);
    } finally {
      stmt.free();
    }
  }
}
