/**
 * A bulk import's database images: `ev` in one file, `strings` and `event_resources` in another
 * (so that each stays under the 4 GiB a sql.js file can hold at ten million events). `ev` is written
 * as a b-tree while the import runs (its rows arrive in rowid order); the rest once the load is
 * done, on workers (on this thread below FINISH_WORKERS_FROM events; see offThread.ts): the integer
 * indexes of `ev` (intIndexes.ts), its text indexes (textIndexes.ts, one job) and the dictionary's
 * file (auxImage.ts). A text index with a text too long to move is written here instead.
 * An index of HOT_INDEXES without a builder is a bug, reported as one.
 */
import { EvRows, INT_COLUMNS, type IntColumn, Triples } from './bulkRows';
import { Arena } from './image/arena';
import { DatabaseImage, indexStat } from './image/image';
import { orderByText } from './image/order';
import type { IndexBuilder, TableBuilder } from './image/pages';
import { RecordWriter, putAsciiTextIntRecord, putIntRecord } from './image/record';
import { tableSql, textEntries } from './auxImage';
import { INT_INDEXES, type NamedTree } from './intIndexes';
import type { ValueRows } from './valueCounts';
import { FINISH_WORKERS_FROM, type JobThread, type TextIndexJob, buildAuxImageOffThread, buildIntIndexesOffThread, buildTextIndexesOffThread } from './offThread';
import { type PackedTexts, movable, packedText } from './packedTexts';
import { EV_DDL, HOT_INDEXES, MINUTE_TABLE_DDL, SOURCES_DDL, VALUE_COUNTS_DDL, tableOf } from './schema';

/** A `sources` row, in its columns' order (id, parent_id, path, size, sha256, kind, records, imported, duplicates, rejects, note). */
export type SourceRow = [number, number | null, string, number, string | null, string, number, number, number, number, string | null];

/** Free space left per event for what is written after the import (sessions, statistics). */
const SLACK_PER_EVENT = 24;

/** What runs on the workers once every row is in. */
interface Jobs {
  /** The jobs that build indexes of `ev`, each settled once its trees have all arrived. */
  readonly trees: readonly Promise<void>[];
  readonly auxFile: Promise<Uint8Array>;
}

export class BulkImage {
  readonly ev = new EvRows();
  /** (event rowid, type id, arn id); 0 for NULL ids. */
  private readonly resources = new Triples();
  /** `ev` and its indexes; the dictionary and resources go to their own file (see Store.adopt). */
  private readonly img = new DatabaseImage();
  /** The `ev` table, where the caller writes each row in rowid order (see EvEncoder). */
  readonly evTable: TableBuilder;
  private readonly small = new RecordWriter();
  private jobs: Jobs | null = null;
  /** The `sqlite_stat1` rows of the indexes of `ev`. */
  private readonly stats: [string, string, string][] = [];
  /** Text indexes of `ev` built on a worker. */
  private readonly movedText = new Set<string>();

  /** The rows' eventIDs, once taken (see the constructor). */
  private eventIdTexts: PackedTexts | null = null;

  /**
   * `dictionary` hands over the import's strings as UTF-8, id i at row i - 1, once every row is in;
   * `eventIds` the rows' eventIDs the same way, row r at r - 1 (the dedupe keys' own bytes: a copy
   * of them kept for the index cost a copy per event and 44 bytes an event);
   * `finishOn`: where the finish's jobs run (by default, by the number of events; see start).
   */
  constructor(
    private readonly dictionary: () => PackedTexts,
    private readonly eventIds: () => PackedTexts,
    private readonly finishOn?: JobThread,
  ) {
    this.evTable = this.img.openTable('ev', tableSql(EV_DDL));
  }

  /**
   * The text indexes of `ev`, and the texts of each row they index (row r at r - 1), got only when
   * needed: those sent to a worker are detached here.
   */
  private readonly textIndexes: readonly (readonly [string, () => PackedTexts])[] = [
    ['ev_event_id', () => this.eventIdsTaken()],
    ['ev_shared', () => this.ev.sharedEventIds.all()],
  ];

  private eventIdsTaken(): PackedTexts {
    const ids = (this.eventIdTexts ??= this.eventIds());
    if (ids.count !== this.ev.count) throw new Error(`bulk image: ${ids.count} eventIDs for ${this.ev.count} rows`);
    return ids;
  }

  private stat(index: string, value: string | null): void {
    if (value !== null) this.stats.push(['ev', index, value]);
  }

  addResource(ev: number, type: number, arn: number): void {
    this.resources.push(ev, type, arn);
  }

  /**
   * Starts the finish's jobs; call it once every row is in. The rows' times and indexed integer
   * columns go with them, and so does the dictionary. Below FINISH_WORKERS_FROM events the jobs run
   * on this thread.
   */
  start(): void {
    if (this.jobs) return;
    const ev = this.ev;
    const thread = this.finishOn ?? (ev.count < FINISH_WORKERS_FROM ? 'here' : 'worker');
    const pageSize = this.img.file.pageSize;
    const columns: Partial<Record<IntColumn, Int32Array>> = {};
    for (const { column } of INT_INDEXES.values()) if (column) columns[column] = ev.ints[INT_COLUMNS.indexOf(column)] as Int32Array;
    const strings = this.dictionary();
    const intJob = { names: [...INT_INDEXES.keys()], count: ev.count, maxId: strings.count + 1, pageSize, times: ev.times, columns };
    const auxJob = { strings, resources: this.resources.data, resourceCount: this.resources.count, events: ev.count, pageSize };
    const trees = [buildIntIndexesOffThread(intJob, (tree) => this.arrived(tree), thread)];
    // The text indexes that can move, one job (see buildTextIndexesOffThread).
    const texts: TextIndexJob[] = [];
    for (const [name, textsOf] of this.textIndexes) {
      const packed = textsOf();
      if (!movable(packed)) continue;
      this.movedText.add(name);
      texts.push({ name, texts: packed });
    }
    if (texts.length > 0) trees.push(buildTextIndexesOffThread(texts, pageSize, thread).then((built) => built.forEach((tree) => this.arrived(tree))));
    this.jobs = { trees, auxFile: buildAuxImageOffThread(auxJob, thread) };
    // Counted down as they settle (see drain). Awaited by finish and finishAux, which report a
    // failure; until then it must not go unhandled, and these handlers see to that.
    const all = [...trees, this.jobs.auxFile];
    this.running = all.length;
    for (const p of all) {
      const settled = (): void => {
        this.running--;
        this.drain();
      };
      p.then(settled, settled);
    }
  }

  /** Trees that arrived and are not in the file yet. */
  private readonly waiting: NamedTree[] = [];
  /** Moves a tree into the file; set while `finish` waits for the jobs. */
  private place: ((tree: NamedTree) => void) | null = null;
  /** The jobs of `start` not settled yet. */
  private running = 0;
  /** Why moving a tree failed, when it did outside `finish`'s own calls. */
  private placeError: Error | null = null;

  /** A tree from a job. */
  private arrived(tree: NamedTree): void {
    this.waiting.push(tree);
    this.drain();
  }

  /**
   * Moves the waiting trees into the file once `finish` has begun and at most one job still runs,
   * so that a core is free for the copying: moving them all once the last job was done kept a core
   * idle meanwhile (1.5 s at 10M), and moving each as it came slowed the other jobs down (1M; timing scripts).
   */
  private drain(): void {
    if (!this.place || this.running > 1) return;
    try {
      for (const tree of this.waiting.splice(0)) this.place(tree);
    } catch (e) {
      this.placeError ??= e as Error;
    }
  }

  private started(): Jobs {
    this.start();
    return this.jobs as Jobs;
  }

  /** The dictionary and resources file, with their indexes. */
  finishAux(): Promise<Uint8Array> {
    return this.started().auxFile;
  }

  /**
   * Writes `tl_minute` and `ev_counts` whole into the `ev` file, from the counts the load kept: the
   * case is new, so they are all there is. Upserted through SQL one row at a time, then copied into
   * the new database, they cost more: at a million events the main thread's CPU in the finish went
   * from 0.68 to 0.62 s, and the finish from 2.44 to 2.32 s (timing script, two pairs of runs).
   */
  countTables(minutes: { readonly m: Float64Array; readonly n: Int32Array; readonly errors: Int32Array }, values: ValueRows): void {
    const out = new Uint8Array(64);
    const row = new Float64Array(3);
    row[0] = NaN; // the rowid's column: NULL
    this.img.table('tl_minute', tableSql(MINUTE_TABLE_DDL), (b) => {
      for (let i = 0; i < minutes.m.length; i++) {
        row[1] = minutes.n[i] as number;
        row[2] = minutes.errors[i] as number;
        b.add(minutes.m[i] as number, out, putIntRecord(out, row, 3));
      }
    });
    const rec = this.small;
    this.img.withoutRowidTable('ev_counts', tableSql(VALUE_COUNTS_DDL), (b) => {
      for (let r = 0; r < values.id.length; r++) {
        const col = values.names[values.col[r] as number] as string;
        const id = values.id[r] as number;
        const n = values.n[r] as number;
        const size = putAsciiTextIntRecord(out, col, id, n);
        if (size > 0) {
          b.add(out, size);
          continue;
        }
        rec.text(col);
        rec.int(id);
        rec.int(n);
        b.add(rec.finish());
      }
    });
  }

  /**
   * Writes `sources` whole into the `ev` file (the case is new, so they are all there is): one
   * INSERT per source through sql.js, then copied into the new database, took ~0.27 s of this
   * thread at the bench's 15,246 files (perf), while the finish's workers wanted both cores.
   */
  sourcesTable(rows: readonly SourceRow[]): void {
    const rec = this.small;
    const sorted = [...rows].sort((a, b) => a[0] - b[0]);
    this.img.table('sources', tableSql(SOURCES_DDL), (b) => {
      for (const row of sorted) {
        rec.null(); // the rowid's column
        for (let c = 1; c < row.length; c++) {
          const v = row[c];
          if (v === null) rec.null();
          else if (typeof v === 'number') rec.num(v);
          else if (v !== undefined) rec.text(v);
        }
        b.add(row[0], rec.finish());
      }
    });
  }

  /**
   * Builds the indexes of `ev` and returns its file, with free pages for `slackBytes` more plus
   * what the correlation tables take, so they do not grow the file. `onIndex` is told each index.
   */
  async finish(slackBytes: number, onIndex?: (name: string) => void): Promise<Uint8Array> {
    const jobs = this.started();
    const moved = this.writeIndexes(onIndex);
    this.place = (tree) => {
      const place = moved.get(tree.name);
      if (!place) throw new Error(`bulk image: index ${tree.name} has no place in the schema`);
      onIndex?.(tree.name);
      place(tree);
      this.stat(tree.name, tree.stat);
    };
    try {
      this.drain();
      await Promise.all(jobs.trees);
      for (const tree of this.waiting.splice(0)) this.place(tree);
      if (this.placeError) throw this.placeError;
    } finally {
      this.place = null;
    }
    // Statistics counted as the indexes were built: ANALYZE would read every index page again
    // (at ten million events, 3.4 s at the end of the finish; timing script). In index order, not
    // in the order the trees arrived.
    this.img.stats(this.stats.sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0)));
    // The trees' own files are copied in: let them go (at 10M they are gigabytes).
    this.jobs = { trees: [], auxFile: jobs.auxFile };
    const events = this.ev.count;
    this.ev.clear();
    return this.img.finish(Math.ceil((slackBytes + events * SLACK_PER_EVENT) / this.img.file.pageSize));
  }

  /** Writes the text indexes of `ev` not built elsewhere; returns where the others go. */
  private writeIndexes(onIndex?: (name: string) => void): Map<string, (tree: NamedTree) => void> {
    const ev = this.ev;
    // Scratch for the sort, only when a text index is written here (36 bytes an event: at ten
    // million, 360 MB that the usual import, whose text indexes all move, never needs).
    let arena: Arena | null = null;
    const plans = new Map<string, (b: IndexBuilder) => void>(
      this.textIndexes.map(([name, textsOf]) => [
        name,
        (b: IndexBuilder): void => {
          arena ??= new Arena(36 * ev.count + (1 << 20));
          arena.release(0);
          const packed = textsOf();
          const texts = Array.from({ length: ev.count }, (_, r) => packedText(packed, r));
          const order = orderByText(0, ev.count, (r) => texts[r] ?? null, arena);
          textEntries(b, order, texts, (r) => r + 1, this.small);
          let distinct = 0;
          for (let i = 0; i < order.length; i++) if (i === 0 || texts[order[i] as number] !== texts[order[i - 1] as number]) distinct++;
          this.stat(name, indexStat(order.length, [distinct]));
        },
      ]),
    );
    const moved = new Map<string, (tree: NamedTree) => void>();
    for (const ix of HOT_INDEXES) {
      const table = tableOf(ix.on);
      if (table !== 'ev') continue;
      const sql = `CREATE INDEX ${ix.name} ON ${ix.on}`;
      if (INT_INDEXES.has(ix.name) || this.movedText.has(ix.name)) {
        moved.set(ix.name, this.img.movedIndex(ix.name, table, sql));
        continue;
      }
      const fill = plans.get(ix.name);
      if (!fill) throw new Error(`bulk image: no builder for index ${ix.name}`);
      onIndex?.(ix.name);
      fill(this.img.openIndex(ix.name, table, sql));
    }
    return moved;
  }
}
