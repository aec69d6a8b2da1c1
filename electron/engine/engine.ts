/**
 * The engine: one case store plus the operations every face (app, web mode, CLI) needs. Plain Node;
 * it never imports `electron`. The app and web mode run it in a worker thread (see host/).
 */
import crypto from 'node:crypto';
import type { PushEvents, PushName, SqlResult } from '../../shared/api';
import type { CaseSummary, CountByValue, ImportProgress, ImportReport, RejectRow, SourceKind, SourceRow } from '../../shared/domain';
import { type CorrelateBy, type Correlation, correlate } from './correlate/query';
import { buildCorrelation } from './correlate/sessions';
import { type ImportOptions, runImport } from './import/coordinator';
import { EngineError } from './errors';
import { SqlError, runSql } from './sql';
import { Store, StoreError } from './store/store';

export { EngineError };

type PushListener = <K extends PushName>(name: K, payload: PushEvents[K]) => void;

function counts(rows: Record<string, unknown>[]): CountByValue[] {
  return rows.map((r) => ({ value: typeof r['value'] === 'string' ? r['value'] : null, count: Number(r['n']) }));
}

export class Engine {
  private listeners = new Set<PushListener>();
  private imports = new Map<string, AbortController>();
  private dirty = false;
  /** `sessions` and `created` are rebuilt lazily after the events change. */
  private correlationStale = true;
  private busy: Promise<unknown> = Promise.resolve();
  private importsRunning = 0;

  private constructor(public store: Store) {}

  static async create(): Promise<Engine> {
    return new Engine(await Store.create());
  }

  static async open(path: string): Promise<Engine> {
    const e = new Engine(await Store.create());
    await e.openCase(path);
    return e;
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private push<K extends PushName>(name: K, payload: PushEvents[K]): void {
    for (const l of this.listeners) l(name, payload);
  }

  /** Serialises operations that change the store (imports, open, new). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  importPaths(paths: readonly string[], opts: Omit<ImportOptions, 'importId'> & { importId?: string } = {}): Promise<ImportReport> {
    if (paths.length === 0) return Promise.reject(new EngineError('bad-request', 'no evidence paths given'));
    return this.exclusive(async () => {
      this.importsRunning++;
      try {
        const report = await runImport(this.store, paths, opts);
        this.dirty = true;
        this.correlationStale = true;
        return report;
      } finally {
        this.importsRunning--;
      }
    });
  }

  /** Whether an import is writing the store now (background work waits for it). */
  get importing(): boolean {
    return this.importsRunning > 0;
  }

  /** Starts an import in the background; progress and the report arrive as pushes. */
  startImport(paths: readonly string[]): { importId: string } {
    const importId = crypto.randomUUID();
    const controller = new AbortController();
    this.imports.set(importId, controller);
    this.importPaths(paths, {
      importId,
      signal: controller.signal,
      onProgress: (p: ImportProgress) => this.push('import:progress', p),
    })
      .then((report) => {
        // Forget the import before announcing it, so a cancel that follows `import:done` answers false.
        this.imports.delete(importId);
        this.push('import:done', { importId, report });
        this.push('case:changed', this.summary());
      })
      .catch((e: unknown) => {
        this.imports.delete(importId);
        const message = e instanceof Error ? e.message : String(e);
        this.push('import:done', {
          importId,
          report: { files: { seen: 0, imported: 0, skipped: [{ path: paths.join(', '), reason: message }] }, records: { seen: 0, imported: 0, duplicates: 0, rejected: 0, syntheticIds: 0 }, rejects: [], timeRange: { first: null, last: null }, elapsedMs: 0, cancelled: false },
        });
      });
    return { importId };
  }

  cancelImport(importId: string): boolean {
    const c = this.imports.get(importId);
    if (!c) return false;
    c.abort();
    return true;
  }

  summary(): CaseSummary {
    const s = this.store;
    const range = s.get('SELECT min(t) AS first, max(t) AS last FROM ev');
    const top = (col: string, limit: number): CountByValue[] =>
      counts(s.all(`SELECT d.value AS value, x.n AS n FROM (SELECT ${col} AS id, count(*) AS n FROM ev GROUP BY ${col}) x LEFT JOIN strings d ON d.id = x.id ORDER BY x.n DESC LIMIT ${limit}`));
    return {
      path: s.path,
      events: s.scalar('SELECT count(*) FROM ev'),
      sources: s.scalar('SELECT count(*) FROM sources'),
      rejects: s.scalar('SELECT count(*) FROM rejects'),
      firstMs: typeof range?.['first'] === 'number' ? range['first'] : null,
      lastMs: typeof range?.['last'] === 'number' ? range['last'] : null,
      accounts: top('account', 50),
      regions: top('region', 50),
      topEventNames: top('name', 10),
      dirty: this.dirty,
    };
  }

  openCase(path: string): Promise<CaseSummary> {
    return this.exclusive(async () => {
      let next: Store;
      try {
        next = await Store.open(path);
      } catch (e) {
        throw new EngineError(e instanceof StoreError ? 'bad-request' : 'io-error', (e as Error).message);
      }
      this.store.close();
      this.store = next;
      this.dirty = false;
      this.correlationStale = next.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sessions'") === 0;
      const summary = this.summary();
      this.push('case:changed', summary);
      return summary;
    });
  }

  /** Makes sure `sessions` and `created` describe the current events. */
  ensureCorrelation(): void {
    if (!this.correlationStale) return;
    this.store.resetCaches();
    buildCorrelation(this.store);
    this.store.resetCaches();
    this.correlationStale = false;
  }

  /** Who is behind an access key, principal, IP or session, and everything the chain did. */
  correlate(by: CorrelateBy): Correlation {
    this.ensureCorrelation();
    return correlate(this.store, by);
  }

  newCase(): Promise<CaseSummary> {
    return this.exclusive(async () => {
      const next = await Store.create();
      this.store.close();
      this.store = next;
      this.dirty = false;
      this.correlationStale = true;
      const summary = this.summary();
      this.push('case:changed', summary);
      return summary;
    });
  }

  saveCase(path: string): Promise<{ path: string; bytes: number }> {
    return this.exclusive(async () => {
      let bytes: number;
      try {
        this.ensureCorrelation();
        bytes = await this.store.save(path);
      } catch (e) {
        throw new EngineError('io-error', `cannot save the case to ${path}: ${(e as Error).message}`);
      }
      this.dirty = false;
      return { path: this.store.path ?? path, bytes };
    });
  }

  sources(offset: number, limit: number): { rows: SourceRow[]; total: number } {
    const rows = this.store.all('SELECT * FROM sources ORDER BY id LIMIT ? OFFSET ?', [limit, offset]).map(
      (r): SourceRow => ({
        id: Number(r['id']),
        path: String(r['path']),
        parentId: typeof r['parent_id'] === 'number' ? r['parent_id'] : null,
        size: Number(r['size']),
        sha256: typeof r['sha256'] === 'string' ? r['sha256'] : null,
        kind: String(r['kind']) as SourceKind,
        records: Number(r['records']),
        imported: Number(r['imported']),
        duplicates: Number(r['duplicates']),
        rejects: Number(r['rejects']),
        note: typeof r['note'] === 'string' ? r['note'] : null,
      }),
    );
    return { rows, total: this.store.scalar('SELECT count(*) FROM sources') };
  }

  rejects(offset: number, limit: number): { rows: RejectRow[]; total: number } {
    const rows = this.store
      .all('SELECT r.source_id, s.path, r.idx, r.reason, r.excerpt FROM rejects r LEFT JOIN sources s ON s.id = r.source_id ORDER BY r.id LIMIT ? OFFSET ?', [limit, offset])
      .map(
        (r): RejectRow => ({
          sourceId: Number(r['source_id']),
          path: String(r['path'] ?? ''),
          index: Number(r['idx']),
          reason: String(r['reason']),
          excerpt: typeof r['excerpt'] === 'string' ? r['excerpt'] : null,
        }),
      );
    return { rows, total: this.store.scalar('SELECT count(*) FROM rejects') };
  }

  runSql(sql: string, maxRows: number): SqlResult {
    try {
      return runSql(this.store, sql, maxRows);
    } catch (e) {
      throw new EngineError('sql-error', e instanceof SqlError ? e.message : (e as Error).message);
    }
  }

  sqlSchema(): { tables: { name: string; columns: string[] }[] } {
    const names = this.store
      .all("SELECT DISTINCT name FROM pragma_table_list WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name = 'events' DESC, name")
      .map((r) => String(r['name']));
    return {
      tables: names.map((name) => ({ name, columns: this.store.all(`SELECT name FROM pragma_table_info('${name.replaceAll("'", "''")}')`).map((c) => String(c['name'])) })),
    };
  }

  close(): void {
    for (const c of this.imports.values()) c.abort();
    this.store.close();
  }
}
