/**
 * A whole SQLite database file built in memory: tables and indexes written bottom-up (pages.ts),
 * then the schema on page 1 and the file header. The result opens in sql.js (`new SQL.Database`)
 * and in the `sqlite3` shell like any file SQLite wrote; its schema is parsed from the CREATE
 * statements given here, so they must match the b-trees written under them.
 */
import { type BuiltTree, appendTree } from './movedIndex';
import { IndexBuilder, PageFile, TableBuilder, put32, writeFirstPage } from './pages';
import { RecordWriter } from './record';

export const DEFAULT_PAGE_SIZE = 4096;
/** The SQLite version recorded in the header (informational; any 3.x reads the file). */
const SQLITE_VERSION_NUMBER = 3046000;

interface SchemaRow {
  readonly type: 'table' | 'index';
  readonly name: string;
  readonly table: string;
  readonly sql: string;
  readonly builder: { finish(): number };
}

export class DatabaseImage {
  readonly file: PageFile;
  private readonly schema: SchemaRow[] = [];

  constructor(pageSize = DEFAULT_PAGE_SIZE) {
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad page size ${pageSize}`);
    this.file = new PageFile(pageSize);
  }

  /** Starts a table, to be given its rows in ascending rowid order (tables may be filled side by side). */
  openTable(name: string, sql: string): TableBuilder {
    const builder = new TableBuilder(this.file);
    this.schema.push({ type: 'table', name, table: name, sql, builder });
    return builder;
  }

  /** Starts an index, to be given its entries in ascending key order. */
  openIndex(name: string, table: string, sql: string): IndexBuilder {
    const builder = new IndexBuilder(this.file);
    this.schema.push({ type: 'index', name, table, sql, builder });
    return builder;
  }

  /**
   * An index whose b-tree is built in another file: it takes its place in the schema now, and its
   * pages when the returned function is given them (before `finish`).
   */
  movedIndex(name: string, table: string, sql: string): (tree: BuiltTree) => void {
    let root = 0;
    const builder = {
      finish: (): number => {
        if (root === 0) throw new Error(`index ${name} was never given its pages`);
        return root;
      },
    };
    this.schema.push({ type: 'index', name, table, sql, builder });
    return (tree) => {
      root = appendTree(this.file, tree);
    };
  }

  /**
   * Writes a WITHOUT ROWID table: its b-tree is an index's, whose entries are the records of its
   * rows (primary key columns first), which `fill` adds in ascending key order.
   */
  withoutRowidTable(name: string, sql: string, fill: (b: IndexBuilder) => void): void {
    const builder = new IndexBuilder(this.file);
    this.schema.push({ type: 'table', name, table: name, sql, builder });
    fill(builder);
  }

  /**
   * Writes `sqlite_stat1` (what ANALYZE writes: per index, its entries and how many rows an
   * equality on each prefix of its columns matches), which SQLite reads when it opens the file.
   */
  stats(rows: readonly (readonly [table: string, index: string, stat: string])[]): void {
    const rec = new RecordWriter();
    this.table('sqlite_stat1', 'CREATE TABLE sqlite_stat1(tbl,idx,stat)', (b) => {
      rows.forEach(([table, index, stat], i) => {
        rec.text(table);
        rec.text(index);
        rec.text(stat);
        b.add(i + 1, rec.finish());
      });
    });
  }

  /** Writes a table: `fill` adds its rows in ascending rowid order. */
  table(name: string, sql: string, fill: (b: TableBuilder) => void): void {
    fill(this.openTable(name, sql));
  }

  /** Writes an index: `fill` adds its entries in ascending key order. */
  index(name: string, table: string, sql: string, fill: (b: IndexBuilder) => void): void {
    fill(this.openIndex(name, table, sql));
  }

  /** Finishes every b-tree and appends `freePages` free pages; returns the file (a view, not a copy). */
  finish(freePages = 0): Uint8Array {
    const rec = new RecordWriter();
    const roots = this.schema.map((s) => s.builder.finish());
    const rows = this.schema.map((s, i) => {
      rec.text(s.type);
      rec.text(s.name);
      rec.text(s.table);
      rec.int(roots[i] as number);
      rec.text(s.sql);
      return { rowid: i + 1, payload: rec.finish().slice() };
    });
    writeFirstPage(this.file, rows);
    const [trunk, free] = freePages > 0 ? this.file.freePages(freePages) : [0, 0];
    writeHeader(this.file, trunk, free);
    return this.file.bytes();
  }
}

/**
 * An index's `sqlite_stat1` value as ANALYZE computes it: its number of entries, then for each prefix
 * of its key columns the rows an equality on it matches, `entries / distinct` rounded up (kept at 1
 * when it would be a 2 from just over 1.0). `distinct[k]` counts the distinct values of the first
 * k + 1 columns, NULLs counted as one value. Null when the index is empty (ANALYZE writes no row).
 */
export function indexStat(entries: number, distinct: readonly number[]): string | null {
  if (entries === 0) return null;
  const avg = distinct.map((d) => {
    const v = Math.floor((entries + d - 1) / d);
    return v === 2 && entries * 10 <= d * 11 ? 1 : v;
  });
  return [entries, ...avg].join(' ');
}

function writeHeader(file: PageFile, freeTrunk: number, freeCount: number): void {
  const h = file.page(1);
  h.set(new TextEncoder().encode('SQLite format 3\u0000'), 0);
  h[16] = file.pageSize === 65536 ? 0 : file.pageSize >>> 8;
  h[17] = file.pageSize === 65536 ? 1 : file.pageSize & 0xff;
  h[18] = 1;
  h[19] = 1;
  h[20] = 0;
  h[21] = 64;
  h[22] = 32;
  h[23] = 32;
  put32(h, 24, 1);
  put32(h, 28, file.pages);
  put32(h, 32, freeTrunk);
  put32(h, 36, freeCount);
  put32(h, 40, 1);
  put32(h, 44, 4);
  put32(h, 48, 0);
  put32(h, 52, 0);
  put32(h, 56, 1);
  put32(h, 92, 1);
  put32(h, 96, SQLITE_VERSION_NUMBER);
}
