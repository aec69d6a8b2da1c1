/**
 * Results kept per (store, key) while the events do not change: the table asks for many pages of
 * one filter and sort, and their totals and sort groups cost a scan each. Events are only ever
 * appended, so the largest row id tells whether what is cached still describes the table.
 *
 * Free-text matches are kept too, as TEMP tables of row ids: searching the original records is a
 * full scan (inflate every block), and one text filter is asked for by the page, its total, the
 * timeline and every facet. The tables are dropped when the events change.
 *
 * The scanned columns (scan.ts) follow the same rule, except that a grown table extends them.
 */
import type { Store } from '../store/store';
import { Columns } from './scan';

const MAX_ENTRIES = 200;
const MAX_TEXT_TABLES = 8;
/** Numbers the TEMP tables of every cache, so two caches over one store never pick the same name. */
let nextTable = 1;

export interface QueryCacheOptions {
  /** Answer aggregates under a filter from scanned columns (default); false keeps them all in SQL. */
  readonly scan?: boolean;
}

export class QueryCache {
  private store: Store | null = null;
  private maxId = -1;
  private scanned: Columns | null = null;
  private readonly scan: boolean;
  private readonly entries = new Map<string, unknown>();
  /** Needle → TEMP table of matching ids, oldest first. */
  private readonly textTables = new Map<string, string>();

  constructor(options: QueryCacheOptions = {}) {
    this.scan = options.scan ?? true;
  }

  get<T>(store: Store, key: string, compute: () => T): T {
    this.validate(store);
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = compute();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** Name of a TEMP table holding the ids of the events whose original record contains `needle`. */
  textTable(store: Store, needle: string): string {
    this.validate(store);
    const hit = this.textTables.get(needle);
    // A table created inside an import's transaction disappears if that import is rolled back.
    if (hit && store.scalar("SELECT count(*) FROM temp.sqlite_master WHERE type = 'table' AND name = ?", [hit]) === 1) return hit;
    if (hit) this.textTables.delete(needle);
    if (this.textTables.size >= MAX_TEXT_TABLES) {
      const [oldNeedle, oldTable] = this.textTables.entries().next().value as [string, string];
      this.textTables.delete(oldNeedle);
      this.drop(store, [oldTable]);
    }
    // The name is ours (a counter), never the user's text, which is bound as a parameter.
    const table = `cairn_text_${nextTable++}`;
    store.run(`CREATE TEMP TABLE ${table} (id INTEGER PRIMARY KEY)`);
    store.run(`INSERT INTO temp.${table} (id) SELECT e.id FROM ev e WHERE cairn_raw_contains(e.blk, e.off, e.len, ?)`, [needle]);
    this.textTables.set(needle, table);
    return table;
  }

  /**
   * The store's events as scannable columns; null when scanning is off or the row ids have gaps
   * (then every aggregate stays in SQL).
   */
  columns(store: Store): Columns | null {
    this.validate(store);
    return this.scanned;
  }

  /** Loads up to `rows` more rows into the scan columns; true while rows are left to load. */
  warm(store: Store, rows: number): boolean {
    const cols = this.columns(store);
    return cols !== null && cols.fill(rows) > 0;
  }

  private validate(store: Store): void {
    const maxId = store.scalar('SELECT max(id) FROM ev');
    if (store === this.store && maxId === this.maxId) return;
    // A replaced store has been closed with its TEMP tables; a grown one still holds them.
    if (store === this.store) this.drop(store, [...this.textTables.values()]);
    this.textTables.clear();
    this.entries.clear();
    const dense = this.scan && store.scalar('SELECT count(*) FROM ev') === maxId;
    if (!dense) this.scanned = null;
    // Appended rows extend the columns; fewer rows (an import rolled back) load them afresh.
    else if (store === this.store && this.scanned && maxId > this.maxId) this.scanned.grow(maxId);
    else this.scanned = new Columns(store, maxId);
    this.store = store;
    this.maxId = maxId;
  }

  private drop(store: Store, tables: readonly string[]): void {
    if (tables.length === 0) return;
    store.resetCaches(); // statements prepared against a dropped table must not outlive it
    for (const t of tables) store.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}
