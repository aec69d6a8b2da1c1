/**
 * The case store: one sql.js database. A new case starts with its tables in an attached `':memory:'`
 * schema `s` (inside the WebAssembly heap). Its first import replaces them (`adopt`) with database
 * images built in JS (bulkImage.ts): `ev` and its indexes become `main`, the dictionary and resources
 * a second file attached as `aux` — both files in sql.js's in-memory file system, outside the 2 GiB
 * heap. A reopened case is the saved file itself (everything in `main`). Raw record blocks of this
 * session stay in JS memory until the case is saved.
 *
 * Queries use unqualified names (`ev`, `strings`, `events`, …), which resolve in every layout.
 * Saving writes one SQLite file readable by the `sqlite3` shell (see schema.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BindParams, Database, SqlJsStatic, Statement } from 'sql.js';
import { registerFunctions } from './functions';
import { type RawBlock, RawBlockReader } from './rawBlocks';
import {
  CASE_FORMAT_VERSION,
  HOT_TABLES_DDL,
  HOT_INDEXES,
  RAW_TABLE_DDL,
  RESOURCES_DDL,
  SMALL_TABLES,
  SMALL_TABLES_DDL,
  STRINGS_DDL,
  liveEventsViewSql,
  portableEventsViewSql,
  withSchema,
} from './schema';
import { DatabaseImage } from './image/image';
import { MAX_IMAGE_BYTES } from './image/pages';
import { collectGarbage } from './memory';
import { handOver, loadSqlJs, writtenInPlace } from './sqljs';

/** A bulk import's `ev` image from which a full collection runs before the store adopts it. */
const COLLECT_FROM_BYTES = 1 << 30;

export type SqlValue = number | string | Uint8Array | null;
export type SqlParams = readonly SqlValue[];
export type Row = Record<string, SqlValue>;

const MAX_CACHED_STATEMENTS = 64;
/** SQLite's page cache for the main database, in KiB. */
const MAIN_CACHE_KIB = 512 * 1024;
/** The same for the dictionary and resources file of a bulk-built case. */
const AUX_CACHE_KIB = 128 * 1024;
const CASE_APP_ID = 'cairn-case';

export class StoreError extends Error {}

/** The parts of sql.js's module that expose SQLite's backup API (exported, but not in its typings). */
interface BackupApi {
  _sqlite3_backup_init(dest: number, destName: number, src: number, srcName: number): number;
  _sqlite3_backup_step(b: number, pages: number): number;
  _sqlite3_backup_finish(b: number): number;
  stringToNewUTF8(s: string): number;
  _free(p: number): void;
}
const SQLITE_DONE = 101;

/** Copies schema `schema` of `src` into the (empty) main database of `dest`, page by page. */
function backup(SQL: SqlJsStatic, src: Database, schema: string, dest: Database): void {
  const api = SQL as unknown as BackupApi;
  const srcPtr = (src as unknown as { db: number }).db;
  const destPtr = (dest as unknown as { db: number }).db;
  const main = api.stringToNewUTF8('main');
  const from = api.stringToNewUTF8(schema);
  try {
    const b = api._sqlite3_backup_init(destPtr, main, srcPtr, from);
    if (b === 0) throw new StoreError('cannot start writing the case (backup_init failed)');
    const rc = api._sqlite3_backup_step(b, -1);
    api._sqlite3_backup_finish(b);
    if (rc !== SQLITE_DONE) throw new StoreError(`cannot write the case (SQLite error ${rc})`);
  } finally {
    api._free(main);
    api._free(from);
  }
}

/** sql.js's name for a database's file in its in-memory file system (not in its typings). */
function fileOf(db: Database): string {
  const name = (db as unknown as { filename?: unknown }).filename;
  if (typeof name !== 'string') throw new StoreError('sql.js did not name the database file');
  return `/${name}`;
}

/** Copies the aux file's tables, and their indexes, into the main database of `out`. */
function mergeAux(out: Database, auxPath: string): void {
  out.run('ATTACH ? AS aux', [auxPath]);
  try {
    for (const [table, ddl] of [['strings', STRINGS_DDL], ['event_resources', RESOURCES_DDL]] as const) {
      out.run(withSchema(ddl, 'main'));
      out.run(`INSERT INTO main.${table} SELECT * FROM aux.${table}`);
    }
    for (const ix of HOT_INDEXES) if (!ix.on.startsWith('ev(')) out.run(`CREATE INDEX IF NOT EXISTS main.${ix.name} ON ${ix.on}`);
  } finally {
    out.run('DETACH aux');
  }
}

/** Room for a saved case beyond the estimate of its size (the indexes rebuilt in it, the view), and a floor. */
const SAVE_ROOM = 1.1;
const SAVE_ROOM_EXTRA = 16 * 1024 * 1024;

export class Store {
  private readonly statements = new Map<string, Statement>();
  /** Raw blocks of this session, kept in JS memory (outside the WebAssembly heap) until saved. */
  readonly blocks = new Map<number, RawBlock>();
  private database: Database;
  private schema: 's' | 'main';
  private reader: RawBlockReader;
  /**
   * A bulk-built case keeps its dictionary and resources in a second database file, attached as
   * `aux` (each sql.js file must stay under 4 GiB). This connection only keeps the file alive.
   */
  private auxFile: Database | null = null;

  private constructor(
    private readonly SQL: SqlJsStatic,
    db: Database,
    hot: 's' | 'main',
    /** Where the case was opened from or last saved to. */
    public path: string | null,
  ) {
    this.database = db;
    this.schema = hot;
    this.reader = this.connect(db);
  }

  get db(): Database {
    return this.database;
  }

  /** Schema holding the hot tables: `s` for a case being built in memory, `main` for a file image. */
  get hot(): 's' | 'main' {
    return this.schema;
  }

  get raw(): RawBlockReader {
    return this.reader;
  }

  private connect(db: Database): RawBlockReader {
    const raw = new RawBlockReader(db, this.blocks);
    registerFunctions(db, raw);
    db.run('PRAGMA temp_store = MEMORY');
    // The file lives outside the WebAssembly heap and every page read copies it in: keep what
    // queries read in SQLite's cache (inside the heap, which the hot tables no longer fill).
    db.run(`PRAGMA main.cache_size = -${MAIN_CACHE_KIB}`);
    db.run(liveEventsViewSql());
    return raw;
  }

  static async create(): Promise<Store> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('PRAGMA main.journal_mode = OFF; PRAGMA main.synchronous = OFF;');
    db.run("ATTACH ':memory:' AS s");
    db.run('PRAGMA s.journal_mode = OFF');
    db.run(withSchema(HOT_TABLES_DDL, 's'));
    db.run(withSchema(RAW_TABLE_DDL, 's'));
    db.run(`INSERT INTO s.meta(key, value) VALUES ('app', '${CASE_APP_ID}'), ('format', '${CASE_FORMAT_VERSION}'), ('created', ?)`, [
      new Date().toISOString(),
    ]);
    return new Store(SQL, db, 's', null);
  }

  /** Opens a saved case file (read into memory; the file itself is not kept open or changed). */
  static async open(file: string): Promise<Store> {
    const SQL = await loadSqlJs();
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      throw new StoreError(`cannot read case file ${file}: ${(e as Error).message}`);
    }
    if (bytes.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') {
      throw new StoreError(`${file} is not a Cairn case file (not an SQLite database)`);
    }
    const db = new SQL.Database(handOver(bytes));
    try {
      const app = db.exec("SELECT value FROM meta WHERE key = 'app'")[0]?.values[0]?.[0];
      if (app !== CASE_APP_ID) throw new StoreError(`${file} is an SQLite database but not a Cairn case`);
      const format = db.exec("SELECT value FROM meta WHERE key = 'format'")[0]?.values[0]?.[0];
      if (format !== CASE_FORMAT_VERSION) throw new StoreError(`${file} has case format ${String(format)}; this Cairn reads format ${CASE_FORMAT_VERSION}`);
    } catch (e) {
      db.close();
      if (e instanceof StoreError) throw e;
      throw new StoreError(`${file} is not a Cairn case: ${(e as Error).message}`);
    }
    db.run('PRAGMA main.journal_mode = OFF; PRAGMA main.synchronous = OFF;');
    return new Store(SQL, db, 'main', path.resolve(file));
  }

  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
      this.statements.set(sql, stmt);
      return stmt;
    }
    stmt = this.db.prepare(sql);
    this.statements.set(sql, stmt);
    if (this.statements.size > MAX_CACHED_STATEMENTS) {
      const [oldestSql, oldest] = this.statements.entries().next().value as [string, Statement];
      oldest.free();
      this.statements.delete(oldestSql);
    }
    return stmt;
  }

  all(sql: string, params?: SqlParams): Row[] {
    const stmt = this.statement(sql);
    try {
      if (params) stmt.bind(params as BindParams);
      const rows: Row[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as Row);
      return rows;
    } finally {
      stmt.reset();
    }
  }

  /**
   * Calls `fn` with each row's values in column order: for reading whole columns (query/scan.ts),
   * where building a row object per event would cost more than the read.
   */
  each(sql: string, params: SqlParams, fn: (values: readonly SqlValue[]) => void): void {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params as BindParams);
      while (stmt.step()) fn(stmt.get() as SqlValue[]);
    } finally {
      stmt.reset();
    }
  }

  get(sql: string, params?: SqlParams): Row | undefined {
    const stmt = this.statement(sql);
    try {
      if (params) stmt.bind(params as BindParams);
      return stmt.step() ? (stmt.getAsObject() as Row) : undefined;
    } finally {
      stmt.reset();
    }
  }

  /** A single number from a query (count(*), max(id), …); 0 when the query returns no row or NULL. */
  scalar(sql: string, params?: SqlParams): number {
    const row = this.get(sql, params);
    const v = row ? Object.values(row)[0] : undefined;
    return typeof v === 'number' ? v : 0;
  }

  run(sql: string, params?: SqlParams): void {
    this.db.run(sql, params as BindParams | undefined);
  }

  /** Dictionary id of a string, without inserting it. */
  stringId(value: string): number | undefined {
    const row = this.get('SELECT id FROM strings WHERE value = ?', [value]);
    const id = row?.['id'];
    return typeof id === 'number' ? id : undefined;
  }

  /** The original record of an event, exactly as it was in the evidence (decoded as UTF-8). */
  rawRecord(rowId: number): string | null {
    const row = this.get('SELECT blk, off, len FROM ev WHERE id = ?', [rowId]);
    if (!row) return null;
    const { blk, off, len } = row;
    if (typeof blk !== 'number' || typeof off !== 'number' || typeof len !== 'number') return null;
    return this.raw.text(blk, off, len);
  }

  /** Drops cached statements and blocks; needed before schema changes (index rebuilds). */
  resetCaches(): void {
    for (const stmt of this.statements.values()) stmt.free();
    this.statements.clear();
    this.reader.reset();
  }

  /**
   * Writes the case to one SQLite file: the hot tables (copied page by page with SQLite's backup
   * API — no rebuild), this session's raw blocks and a portable `events` view. The file is written
   * next to its destination and renamed into place.
   */
  async save(file: string): Promise<number> {
    this.resetCaches();
    const estimate = this.fileBytes();
    if (estimate > MAX_IMAGE_BYTES) {
      throw new StoreError(
        `this case needs about ${(estimate / 2 ** 30).toFixed(1)} GiB as one file; sql.js writes a database file as a single buffer of at most 4 GiB, so it cannot be saved (the evidence re-imports instead)`,
      );
    }
    // The file is written into one buffer sized for it (see handOver), and read back from there.
    const pageSize = this.scalar(`PRAGMA ${this.hot}.page_size`);
    const seed = new DatabaseImage(pageSize).finish();
    const image = new Uint8Array(Math.min(MAX_IMAGE_BYTES, Math.ceil(estimate * SAVE_ROOM) + SAVE_ROOM_EXTRA));
    image.set(seed);
    const out = new this.SQL.Database(handOver(image.subarray(0, seed.length), image.length));
    try {
      backup(this.SQL, this.db, this.hot, out);
      out.run('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
      if (this.auxFile) mergeAux(out, fileOf(this.auxFile));
      out.run(withSchema(RAW_TABLE_DDL, 'main'));
      const ins = out.prepare('INSERT INTO raw_blocks (id, usize, data) VALUES (?, ?, ?)');
      try {
        out.run('BEGIN');
        for (const [id, b] of this.blocks) ins.run([id, b.usize, b.data]);
        out.run('COMMIT');
      } finally {
        ins.free();
      }
      out.run(portableEventsViewSql('main'));
      out.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('saved', ?)", [new Date().toISOString()]);
      const pages = Number(out.exec('PRAGMA main.page_count')[0]?.values[0]?.[0] ?? 0);
      const bytes = writtenInPlace(image, pages, pageSize) ? image.subarray(0, pages * pageSize) : out.export();
      const dest = path.resolve(file);
      const tmp = `${dest}.partial-${process.pid}`;
      await fs.promises.writeFile(tmp, bytes);
      await fs.promises.rename(tmp, dest);
      this.path = dest;
      return bytes.length;
    } finally {
      out.close();
    }
  }

  /** What a saved case file would take: the hot tables, the aux file and the raw blocks. */
  private fileBytes(): number {
    let raw = 0;
    for (const b of this.blocks.values()) raw += b.data.length;
    return this.schemaBytes(this.hot) + (this.auxFile ? this.schemaBytes('aux') : 0) + raw;
  }

  /** Bytes a schema's file takes (the hot one of a case being bulk-loaded: its small tables only). */
  schemaBytes(schema: string): number {
    return this.scalar(`PRAGMA ${schema}.page_count`) * this.scalar(`PRAGMA ${schema}.page_size`);
  }

  /**
   * Replaces the hot tables with a database image holding `strings`, `ev`, `event_resources` and
   * their indexes (see bulkImage.ts). The small tables are copied over from the current database,
   * which is then closed; the image becomes `main`, as a reopened case's file does.
   */
  adopt(image: Uint8Array, aux: Database): void {
    // What the finish released (sort columns, event ids, the index trees' own files) goes before the
    // store's memory grows again; a pause of ~20 ms at a million events, with the other core idle,
    // where that memory is a few hundred MB.
    if (image.length >= COLLECT_FROM_BYTES) collectGarbage();
    const next = new this.SQL.Database(handOver(image));
    try {
      next.run('PRAGMA main.journal_mode = OFF; PRAGMA main.synchronous = OFF;');
      next.run('ATTACH ? AS aux', [fileOf(aux)]);
      next.run(`PRAGMA aux.journal_mode = OFF; PRAGMA aux.synchronous = OFF; PRAGMA aux.cache_size = -${AUX_CACHE_KIB};`);
      next.run(withSchema(SMALL_TABLES_DDL, 'main'));
      next.run(withSchema(RAW_TABLE_DDL, 'main'));
      this.copySmallTables(next);
    } catch (e) {
      next.close();
      throw e;
    }
    this.resetCaches();
    this.reader.close();
    this.database.close();
    this.auxFile?.close();
    this.auxFile = aux;
    this.database = next;
    this.schema = 'main';
    this.reader = this.connect(next);
  }

  /**
   * Copies the small tables of the hot schema into `next`, in SQL: the schema is written to a file of
   * sql.js's file system (VACUUM INTO), which `next` attaches. Row by row through JS, the copy took
   * about 0.2 s at a million events (the sources, minute and value counts), on the finish's serial
   * path; `adopt` went from 0.24 to 0.11 s (timing script).
   */
  private copySmallTables(next: Database): void {
    // An empty database holds the file's name, and removes the file when closed.
    const holder = new this.SQL.Database();
    try {
      const file = fileOf(holder);
      this.db.run(`VACUUM ${this.hot} INTO ?`, [file]);
      next.run('ATTACH ? AS small', [file]);
      try {
        for (const table of [...SMALL_TABLES, 'raw_blocks']) next.run(`INSERT INTO main.${table} SELECT * FROM small.${table}`);
      } finally {
        next.run('DETACH small');
      }
    } finally {
      holder.close();
    }
  }

  /** Puts a database image into sql.js's file system, to be attached by `adopt`. */
  openAux(image: Uint8Array): Database {
    return new this.SQL.Database(handOver(image));
  }

  /** The schema holding `table`: `aux` for the dictionary and resources of a bulk-built case, else the hot one. */
  schemaOf(table: string): string {
    if (this.auxFile && this.scalar("SELECT count(*) FROM aux.sqlite_master WHERE type = 'table' AND name = ?", [table]) === 1) return 'aux';
    return this.hot;
  }

  close(): void {
    this.resetCaches();
    this.reader.close();
    this.database.close();
    this.auxFile?.close();
    this.auxFile = null;
  }
}
