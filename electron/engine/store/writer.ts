/**
 * Bulk writes into the store during an import: the global string dictionary, raw blocks, events
 * (multi-row INSERTs of mostly integers), resources, sources, rejects and digests, with
 * deduplication on (recipientAccountId, eventID). Indexes are dropped for the load and rebuilt after.
 */
import type { Statement } from 'sql.js';
import { DICT_COLUMNS, type FileFacts, NDICT, NNUM, NTXT, NUM, TXT } from '../import/protocol';
import { BulkImage, type SourceRow } from './bulkImage';
import { INT_COLUMNS } from './bulkRows';
import { type Batch, EvEncoder, pushInsertValues } from './evRecords';
import { EventKeys } from './eventKeys';
import { type PackedTexts, packedText } from './packedTexts';
import { MinuteCounts } from './minuteCounts';
import { DroppedCopies } from './copies';
import { FINISH_WORKERS_FROM, type JobThread, prestartWorkers, stopIdleWorkers } from './offThread';
import { ValueCounts } from './valueCounts';
import { EV_INSERT_COLUMNS, HOT_INDEXES, SMALL_TABLES, tableOf } from './schema';
import type { Store } from './store';

const ROWS_PER_INSERT = 128;

const STRINGS_PER_INSERT = 64;
const ACCOUNT_SLOT = DICT_COLUMNS.indexOf('account');
const ERROR_SLOT = DICT_COLUMNS.indexOf('error_code');
const BULK_BLK = INT_COLUMNS.indexOf('blk');
const BULK_OFF = INT_COLUMNS.indexOf('off');
const BULK_LEN = INT_COLUMNS.indexOf('len');

export interface SourceRecord extends FileFacts {
  readonly id: number;
  readonly parentId: number | null;
  readonly path: string;
}

export interface SourceCounts {
  imported: number;
  duplicates: number;
}

export class StoreWriter {
  /** The dictionary: each string's UTF-8 (with account 0) → its id. */
  private readonly dict = new EventKeys();
  private nextString: number;
  private nextEvent: number;
  private nextBlock: number;
  /** The first raw block this import adds (they are dropped again if it is abandoned). */
  private readonly firstBlock: number;
  /** The schemas this import writes. */
  private readonly schemas: readonly string[];
  /** Dedupe on (recipientAccountId, eventID): the row kept for each key. */
  private readonly keys = new EventKeys();
  /** Dropped copies, compared with the records kept once the load is done. */
  private readonly dropped = new DroppedCopies();
  private readonly multi: Statement;
  private readonly single: Statement;
  private readonly insString: Statement;
  private readonly insStrings: Statement;
  private readonly insResource: Statement;
  private readonly insSource: Statement;
  private readonly insReject: Statement;
  private readonly pending: (number | string | null)[] = [];
  /** The sources of a bulk import, for its image. */
  private readonly sourceRows: SourceRow[] = [];
  private pendingRows = 0;
  private freed = false;
  readonly counts = new Map<number, SourceCounts>();
  private readonly minutes: MinuteCounts;
  private readonly values: ValueCounts;
  firstMs = Infinity;
  lastMs = -Infinity;
  /**
   * Set when the case has no events yet: rows are kept in JS memory and written as a database
   * image at the end (bulkImage.ts). Otherwise they are INSERTed, and the indexes rebuilt.
   */
  private readonly bulk: BulkImage | null;
  private readonly encoder = new EvEncoder();
  /** Where the finish's jobs run when the caller says (else by the number of events: finishThread). */
  private readonly finishOn: JobThread | undefined;
  /** Whether the finish's workers were started (see addEvents). */
  private prestarted = false;

  constructor(
    private readonly store: Store,
    opts: { readonly bulk?: boolean; readonly finishOn?: JobThread } = {},
  ) {
    this.finishOn = opts.finishOn;
    store.resetCaches();
    this.minutes = new MinuteCounts(store);
    this.values = new ValueCounts(store);
    for (const row of store.all('SELECT id, value FROM strings')) {
      if (typeof row['id'] === 'number' && typeof row['value'] === 'string') this.dict.addText(row['value'], 0, row['id']);
    }
    this.nextString = store.scalar('SELECT coalesce(max(id), 0) + 1 FROM strings');
    this.nextEvent = store.scalar('SELECT coalesce(max(id), 0) + 1 FROM ev');
    this.nextBlock = store.scalar('SELECT coalesce(max(id), 0) + 1 FROM raw_blocks');
    for (const k of store.blocks.keys()) if (k >= this.nextBlock) this.nextBlock = k + 1;
    this.firstBlock = this.nextBlock;
    for (const row of store.all('SELECT id, account, event_id FROM ev')) this.keys.addText(String(row['event_id']), Number(row['account'] ?? 0), Number(row['id']));
    this.bulk = (opts.bulk ?? true) && this.nextEvent === 1 && this.nextString === 1 ? new BulkImage(() => this.dict.takeTexts(this.nextString - 1), () => this.keys.takeTexts(this.nextEvent - 1), opts.finishOn) : null;
    for (const ix of HOT_INDEXES) store.run(`DROP INDEX IF EXISTS ${store.schemaOf(tableOf(ix.on))}.${ix.name}`);
    const db = store.db;
    const row = `(${EV_INSERT_COLUMNS.map(() => '?').join(',')})`;
    const head = `INSERT INTO ev (${EV_INSERT_COLUMNS.join(',')}) VALUES `;
    this.multi = db.prepare(head + Array(ROWS_PER_INSERT).fill(row).join(','));
    this.single = db.prepare(head + row);
    this.insString = db.prepare('INSERT INTO strings (id, value) VALUES (?, ?)');
    this.insStrings = db.prepare(`INSERT INTO strings (id, value) VALUES ${Array(STRINGS_PER_INSERT).fill('(?, ?)').join(',')}`);
    this.insResource = db.prepare('INSERT INTO event_resources (ev, type, arn) VALUES (?, ?, ?)');
    this.insSource = db.prepare('INSERT INTO sources (id, parent_id, path, size, sha256, kind, records, imported, duplicates, rejects, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
    this.insReject = db.prepare('INSERT INTO rejects (source_id, idx, reason, excerpt) VALUES (?, ?, ?, ?)');
    // The store runs without a rollback journal (nothing is written to disk until a save), so
    // ROLLBACK would undo nothing: an import keeps one in memory, for the case where it fails.
    this.schemas = [store.hot, ...(store.schemaOf('strings') === 'aux' ? ['aux'] : [])];
    this.journal('MEMORY');
    db.run('BEGIN');
  }

  private journal(mode: 'MEMORY' | 'OFF'): void {
    for (const schema of this.schemas) this.store.run(`PRAGMA ${schema}.journal_mode = ${mode}`);
  }

  /**
   * Global dictionary ids for a worker's new strings, found by their UTF-8 bytes (no string is made
   * of them here, unless they are INSERTed: a Map of every string cost ~0.2 CPU-s at a million events
   * in lookups alone, perf, and kept them all on this thread's heap).
   */
  internStrings(texts: PackedTexts): number[] {
    const fresh: (number | string)[] = [];
    const ids: number[] = [];
    const { bytes, starts, lengths } = texts;
    for (let r = 0; r < texts.count; r++) {
      const start = starts[r] as number;
      const length = lengths[r] as number;
      let id = this.dict.find(bytes, start, length, 0);
      if (id === 0) {
        id = this.nextString++;
        this.dict.add(bytes, start, length, 0, id);
        if (!this.bulk) fresh.push(id, packedText(texts, r) as string);
      }
      ids.push(id);
    }
    const width = 2 * STRINGS_PER_INSERT;
    let i = 0;
    for (; i + width <= fresh.length; i += width) this.insStrings.run(fresh.slice(i, i + width));
    for (; i < fresh.length; i += 2) this.insString.run([fresh[i] as number, fresh[i + 1] as string]);
    return ids;
  }

  addBlock(usize: number, data: Uint8Array): number {
    const id = this.nextBlock++;
    this.store.blocks.set(id, { usize, data });
    return id;
  }


  private countsFor(sourceId: number): SourceCounts {
    let c = this.counts.get(sourceId);
    if (!c) {
      c = { imported: 0, duplicates: 0 };
      this.counts.set(sourceId, c);
    }
    return c;
  }

  /**
   * Inserts a batch. `strMap` maps the worker's string ids to global ids, `blkMap` its block ids.
   * Returns the number of synthetic ids among the imported rows.
   */
  addEvents(
    count: number,
    dict: Int32Array,
    nums: Float64Array,
    texts: PackedTexts,
    resources: Int32Array,
    strMap: readonly number[],
    blkMap: readonly number[],
  ): number {
    const rowIds = new Int32Array(count).fill(-1);
    const batch: Batch = { dict, nums, texts, strMap, blkMap };
    let synthetic = 0;
    let sourceId = -1;
    let counts: SourceCounts = { imported: 0, duplicates: 0 };
    let first = this.firstMs;
    let last = this.lastMs;
    for (let r = 0; r < count; r++) {
      const d = r * NDICT;
      const n = r * NNUM;
      const k = r * NTXT + TXT.eventId;
      const idStart = texts.starts[k] as number;
      const idLength = Math.max(texts.lengths[k] as number, 0);
      const accountLocal = dict[d + ACCOUNT_SLOT] as number;
      const account = accountLocal === 0 ? 0 : (strMap[accountLocal] as number);
      if (nums[n + NUM.sourceId] !== sourceId) {
        sourceId = nums[n + NUM.sourceId] as number;
        counts = this.countsFor(sourceId);
      }
      const kept = this.keys.find(texts.bytes, idStart, idLength, account);
      if (kept !== 0) {
        counts.duplicates++;
        const eventId = packedText(texts, k) ?? '';
        this.dropped.add({ sourceId, index: nums[n + NUM.sourceIndex] as number, eventId, kept, blk: blkMap[nums[n + NUM.blk] as number] as number, off: nums[n + NUM.off] as number, len: nums[n + NUM.len] as number });
        continue;
      }
      counts.imported++;
      if (nums[n + NUM.synthetic] === 1) synthetic++;
      const id = this.nextEvent++;
      this.keys.add(texts.bytes, idStart, idLength, account, id);
      rowIds[r] = id;
      const t = nums[n + NUM.t] as number;
      this.minutes.add(t, dict[d + ERROR_SLOT] !== 0);
      this.values.add(dict, d, strMap);
      // Without a branch taken only now and then: its first time in optimised code deoptimised this
      // function, whose every recompile costs 15–60 ms of the compiler (--trace-opt).
      first = Math.min(first, t);
      last = Math.max(last, t);
      if (this.bulk) this.encoder.add(this.bulk.evTable, this.bulk.ev, id, batch, r);
      else this.pushRow(id, batch, r);
    }
    for (let i = 0; i + 2 < resources.length; i += 3) {
      const ev = rowIds[resources[i] as number] as number;
      if (ev < 0) continue;
      const type = resources[i + 1] as number;
      const arn = resources[i + 2] as number;
      if (this.bulk) {
        this.bulk.addResource(ev, type === 0 ? 0 : (strMap[type] as number), arn === 0 ? 0 : (strMap[arn] as number));
        continue;
      }
      this.insResource.run([ev, type === 0 ? null : (strMap[type] as number), arn === 0 ? null : (strMap[arn] as number)]);
    }
    this.firstMs = first;
    this.lastMs = last;
    return synthetic;
  }

  /**
   * Called after each batch: an import large enough for the finish's workers (see offThread.ts)
   * starts them now, for its jobs (the integer indexes; the event ids' and shared event ids'
   * indexes; the dictionary's file). Not in addEvents, where the branch taken once deoptimised it.
   */
  prestartFinish(): void {
    if (this.bulk && !this.prestarted && this.finishThread() === 'worker') {
      this.prestarted = true;
      prestartWorkers(3);
    }
  }

  /** Where the finish's jobs run, for the events written so far. */
  private finishThread(): JobThread {
    return this.finishOn ?? (this.nextEvent - 1 < FINISH_WORKERS_FROM ? 'here' : 'worker');
  }

  private pushRow(id: number, batch: Batch, r: number): void {
    pushInsertValues(this.pending, id, batch, r);
    this.pendingRows++;
    if (this.pendingRows === ROWS_PER_INSERT) {
      this.multi.run(this.pending);
      this.pending.length = 0;
      this.pendingRows = 0;
    }
  }

  private flushRows(): void {
    const width = EV_INSERT_COLUMNS.length;
    for (let i = 0; i < this.pendingRows; i++) this.single.run(this.pending.slice(i * width, (i + 1) * width));
    this.pending.length = 0;
    this.pendingRows = 0;
  }

  addReject(sourceId: number, index: number, reason: string, excerpt: string | null): void {
    this.insReject.run([sourceId, index, reason, excerpt]);
  }

  addDigest(sourceId: number, json: string): void {
    this.store.run('INSERT OR REPLACE INTO digests (source_id, json) VALUES (?, ?)', [sourceId, json]);
  }

  addSource(s: SourceRecord): void {
    const c = this.counts.get(s.id) ?? { imported: 0, duplicates: 0 };
    const row: SourceRow = [s.id, s.parentId, s.path, s.size, s.sha256, s.kind, s.records, c.imported, c.duplicates, s.rejects, s.note];
    // A new case gets its sources written into its image (see BulkImage.sourcesTable).
    if (this.bulk) this.sourceRows.push(row);
    else this.insSource.run(row);
  }

  /**
   * Every row is in: starts the finish's work on other threads (BulkImage.start), so that it runs
   * while this thread writes the sources (the parse workers are gone, and a core was idle while it
   * did: ~0.14 s at a million events). `finish` starts it when this was not called.
   */
  rowsDone(): void {
    this.bulk?.start();
  }

  /** Commits and builds the indexes; when it fails before the commit, the import leaves nothing behind. */
  async finish(onIndex?: (name: string) => void): Promise<void> {
    let files: { ev: Uint8Array; aux: Uint8Array } | null = null;
    try {
      this.flushRows();
      this.freeStatements();
      // The workers' part of the finish starts first, to run while this thread does the rest.
      this.bulk?.start();
      const identical = this.compareDuplicates();
      // Done with the dedupe keys and the dictionary's lookup: at ten million events they hold gigabytes.
      this.keys.clear();
      this.dict.clear();
      // A new case gets its count tables and sources written into its image; otherwise they are upserted.
      const minutes = this.bulk ? this.minutes.rows() : null;
      if (this.bulk && minutes) {
        this.bulk.countTables(minutes, this.values.rows());
        this.bulk.sourcesTable(this.sourceRows);
      } else {
        this.minutes.flush();
        this.values.flush();
      }
      if (this.bulk) files = { ev: await this.bulk.finish(this.store.schemaBytes(this.store.hot), onIndex), aux: await this.bulk.finishAux() };
      this.dropped.record(this.store, await identical);
    } catch (e) {
      this.rollback();
      throw e;
    }
    stopIdleWorkers();
    this.store.run('COMMIT');
    this.journal('OFF');
    if (files) {
      const aux = this.store.openAux(files.aux);
      try {
        this.store.adopt(files.ev, aux);
      } catch (e) {
        aux.close();
        throw e;
      }
    } else {
      this.createIndexes(onIndex);
    }
    if (files) {
      // The images hold the statistics of their indexes (see BulkImage): only the small tables are analyzed.
      for (const table of SMALL_TABLES) this.store.run(`ANALYZE ${this.store.hot}.${table}`);
    } else {
      // Bounded statistics: enough for the planner to prefer the right index, in milliseconds.
      this.store.run('PRAGMA analysis_limit = 1000');
      this.store.run(`ANALYZE ${this.store.hot}`);
      if (this.store.schemaOf('strings') === 'aux') this.store.run('ANALYZE aux');
    }
    this.store.resetCaches();
  }

  /** Starts comparing every dropped copy with the record kept (see copies.ts). */
  private compareDuplicates(): Promise<Int8Array> {
    const stmt = this.store.db.prepare('SELECT blk, off, len FROM ev WHERE id = ?');
    try {
      // Where the finish is told to run (the tests), else as much as is cheap here (see compare).
      const identical = this.dropped.compare(this.store, (row) => this.keptRef(stmt, row), this.finishOn, this.finishThread());
      // Awaited once the indexes are in, which reports a failure; until then it must not go unhandled
      // (an unhandled rejection ends the process).
      identical.catch(() => undefined);
      return identical;
    } finally {
      stmt.free();
    }
  }

  /** (blk, off, len) of a kept row: from the bulk rows, or from `ev`. */
  private keptRef(stmt: Statement, row: number): unknown[] {
    const ev = this.bulk?.ev;
    if (ev) return [BULK_BLK, BULK_OFF, BULK_LEN].map((k) => (ev.ints[k] as Int32Array)[row - 1]);
    stmt.bind([row]);
    const ref = stmt.step() ? stmt.get() : [];
    stmt.reset();
    return ref;
  }

  /** Abandons the transaction (used when the import cannot run at all). */
  abort(): void {
    this.rollback();
  }

  /** The indexes the import dropped (see the constructor). */
  private createIndexes(onIndex?: (name: string) => void): void {
    for (const ix of HOT_INDEXES) {
      onIndex?.(ix.name);
      this.store.run(`CREATE INDEX IF NOT EXISTS ${this.store.schemaOf(tableOf(ix.on))}.${ix.name} ON ${ix.on}`);
    }
  }

  private freeStatements(): void {
    if (this.freed) return;
    this.freed = true;
    for (const st of [this.multi, this.single, this.insString, this.insStrings, this.insResource, this.insSource, this.insReject]) st.free();
  }

  /** Rolls the store back to before the import, indexes included, and drops the raw blocks the import added. */
  private rollback(): void {
    stopIdleWorkers();
    this.freeStatements();
    this.store.run('ROLLBACK');
    this.journal('OFF');
    this.createIndexes();
    for (let id = this.firstBlock; id < this.nextBlock; id++) this.store.blocks.delete(id);
  }
}
