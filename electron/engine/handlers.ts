/**
 * The engine's side of the API contract: one handler per engine call (typed against `ApiHandlers`,
 * so a missing call does not compile) and `dispatch`, the single entry point every transport uses.
 * `dispatch` refuses unknown names, validates the payload (query/requests.ts), runs the handler and
 * turns every failure into a `Result` — a thrown error would lose all but its message across IPC.
 */
import path from 'node:path';
import { type ApiHandlers, type ApiResponse, type EngineCallName, type Result, SHELL_CALLS, err, ok } from '../../shared/api';
import { type Engine, EngineError } from './engine';
import { QueryCache } from './query/cache';
import { eventGet, eventsPage } from './query/events';
import { evidencePaths, exportEvents } from './query/export';
import { entitySummary, facetsTop } from './query/facets';
import { VALIDATORS } from './query/requests';
import { timelineBuckets } from './query/timeline';
import { refuseProtected } from './query/writeFile';

/** Tables derived from the events on demand (see Engine.ensureCorrelation). */
const CORRELATION_TABLES = /\b(sessions|created)\b/i;

/** Rows the scan columns load per idle slice: about 0.1 s (bench, 10M), the most a call arriving meanwhile waits. */
const WARM_SLICE_ROWS = 100_000;

/**
 * Fills the scan columns (query/scan.ts) in slices after the case changes, between calls, so the
 * first filtered aggregate finds them loaded; never while an import is writing the store.
 */
export function warmWhenIdle(engine: Engine, cache: QueryCache): () => void {
  let timer: NodeJS.Timeout | null = null;
  const step = (): void => {
    timer = null;
    if (engine.importing) return; // the import's own case:changed starts it again
    try {
      if (cache.warm(engine.store, WARM_SLICE_ROWS)) schedule();
    } catch {
      // The store closed or changed under us: the next call loads what it needs itself.
    }
  };
  const schedule = (): void => {
    if (timer) return;
    timer = setTimeout(step, 0);
    timer.unref();
  };
  return schedule;
}

/** `warmNow`: start filling the scan columns at once (an engine that opened a case at start). */
export function createHandlers(engine: Engine, options: { warmNow?: boolean } = {}): ApiHandlers {
  const cache = new QueryCache();
  const warm = warmWhenIdle(engine, cache);
  engine.onPush((name) => {
    if (name === 'case:changed') warm();
  });
  if (options.warmNow) warm();
  return {
    'case:summary': async () => engine.summary(),
    'case:open': (req) => engine.openCase(req.path),
    'case:save': async (req) => {
      // Saving replaces the destination: never let it be a file the evidence came from.
      refuseProtected(path.resolve(req.path), evidencePaths(engine.store));
      return engine.saveCase(req.path);
    },
    'case:new': () => engine.newCase(),
    'import:start': async (req) => engine.startImport(req.paths),
    'import:cancel': async (req) => ({ cancelled: engine.cancelImport(req.importId) }),
    'sources:list': async (req) => engine.sources(req.offset, req.limit),
    'rejects:list': async (req) => engine.rejects(req.offset, req.limit),
    'events:page': async (req) => eventsPage(engine.store, cache, req),
    'event:get': async (req) => eventGet(engine.store, req.rowId),
    'timeline:buckets': async (req) => timelineBuckets(engine.store, cache, req),
    'facets:top': async (req) => facetsTop(engine.store, cache, req),
    'sql:run': async (req) => {
      // `sessions` and `created` are rebuilt lazily after an import: build them before a query reads them.
      if (CORRELATION_TABLES.test(req.sql)) engine.ensureCorrelation();
      return engine.runSql(req.sql, req.maxRows);
    },
    'sql:schema': async () => {
      engine.ensureCorrelation();
      return engine.sqlSchema();
    },
    'correlate:entity': async (req) => entitySummary(engine.store, cache, req),
    'export:events': (req) => exportEvents(engine.store, cache, req),
    'correlate:chain': async (req) => engine.correlate(req.by),
  };
}

export function isEngineCall(name: unknown): name is EngineCallName {
  return typeof name === 'string' && Object.hasOwn(VALIDATORS, name);
}

function run<K extends EngineCallName>(handlers: ApiHandlers, name: K, req: unknown): Promise<ApiResponse<K>> {
  const request = VALIDATORS[name](req);
  const handler: (r: typeof request) => Promise<ApiResponse<K>> = handlers[name];
  return handler(request);
}

export function toErrorResult(e: unknown): Result<never> {
  if (e instanceof EngineError) return err(e.code, e.message);
  return err('internal', e instanceof Error ? e.message : String(e));
}

export async function dispatch(handlers: ApiHandlers, name: unknown, req: unknown): Promise<Result<unknown>> {
  if (!isEngineCall(name)) {
    const shell = typeof name === 'string' && (SHELL_CALLS as readonly string[]).includes(name);
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : `of type ${typeof name}`;
    return shell ? err('unsupported', `${shown} is answered by the shell, not the engine`) : err('bad-request', `unknown call ${shown}`);
  }
  try {
    return ok(await run(handlers, name, req));
  } catch (e) {
    return toErrorResult(e);
  }
}
