/**
 * A whole SQLite database file built in memory: tables and indexes written bottom-up (pages.ts),
 * then the schema on page 1 and the file header. The result opens in sql.js (`new SQL.Database`)
 * and in the `sqlite3` shell like any file SQLite wrote; its schema is parsed from the CREATE
 * statements given here, so they must match the b-trees written under them.
 */
import { IndexBuilder, PageFile, TableBuilder, put32, writeFirstPage } from './pages';
import { RecordWriter } from './record';

export const DEFAULT_PAGE_SIZE = 4096;
/** The SQLite version recorded in the header (informational; any 3.x reads the file). */
const SQLITE_VERSION_NUMBER = 3046000;

interface SchemaRow {
  readonly type: 'table' | 'index';
  readonly name: string;
  readonly table: string;
  readonly root: number;
  readonly sql: string;
}

export class DatabaseImage {
  readonly file: PageFile;
  private readonly schema: SchemaRow[] = [];

  constructor(pageSize = DEFAULT_PAGE_SIZE, expectedBytes = 0) {
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad page size ${pageSize}`);
    this.file = new PageFile(pageSize, expectedBytes);
  }

  /** Writes a table: `fill` adds its rows in ascending rowid order. */
  table(name: string, sql: string, fill: (b: TableBuilder) => void): void {
    const b = new TableBuilder(this.file);
    fill(b);
    this.schema.push({ type: 'table', name, table: name, root: b.finish(), sql });
  }

  /** Writes an index (or a WITHOUT ROWID table): `fill` adds entries in ascending key order. */
  index(type: 'table' | 'index', name: string, table: string, sql: string, fill: (b: IndexBuilder) => void): void {
    const b = new IndexBuilder(this.file);
    fill(b);
    this.schema.push({ type, name, table, root: b.finish(), sql });
  }

  /** The finished file (a view of the builder's buffer). */
  finish(): Uint8Array {
    const rec = new RecordWriter();
    const rows = this.schema.map((s, i) => {
      rec.text(s.type);
      rec.text(s.name);
      rec.text(s.table);
      rec.int(s.root);
      rec.text(s.sql);
      return { rowid: i + 1, payload: rec.finish().slice() };
    });
    writeFirstPage(this.file, rows);
    writeHeader(this.file);
    return this.file.buf.subarray(0, this.file.pages * this.file.pageSize);
  }
}

function writeHeader(file: PageFile): void {
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
  put32(h, 32, 0);
  put32(h, 36, 0);
  put32(h, 40, 1);
  put32(h, 44, 4);
  put32(h, 48, 0);
  put32(h, 52, 0);
  put32(h, 56, 1);
  put32(h, 92, 1);
  put32(h, 96, SQLITE_VERSION_NUMBER);
}
