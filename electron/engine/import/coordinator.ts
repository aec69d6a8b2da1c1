/**
 * Runs one import: the input reader feeds files to a pool of parse workers (bounded bytes in flight),
 * and this thread writes what they send into the store. Counts reconcile by construction: every
 * record a worker finds is either encoded (then imported or a duplicate here) or rejected with a
 * reason, and every file becomes a `sources` row.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledScript } from '../compiled';
import type { ImportProgress, ImportReport, SourceKind } from '../../../shared/domain';
import type { JobThread } from '../store/offThread';
import type { Store } from '../store/store';
import { type SourceRecord, StoreWriter } from '../store/writer';
import { prepareEngineThreads } from '../store/memory';
import type { DecodeLimits } from './decode';
import { InputReader, type InputSink, type SourceInfo, hashFile } from './inputs';
import { CANCELLED_NOTE, type FromWorker, type Task, type ToWorker, type UnitDone, type WorkerSetup } from './protocol';
import { isoFromMs } from './time';

const MAX_BYTES_IN_FLIGHT = 256 * 1024 * 1024;
/**
 * Files handed to a worker and not yet reported, at most: enough that a worker never waits for the
 * coordinator. This thread falls behind the workers now and then (a bundle of reports and events
 * takes it 5–100 ms while it shares two cores with them), and a worker that has done all it was
 * given then waits until the backlog is read. At 64 a worker, each parse worker of a 1M import sat
 * idle ~0.7 s of its ~4 s in waits over 5 ms; at 256, ~0.3–0.5 s (instrumented copy). 16 had left
 * them idle more still (1M import 11.6 → 10.7 s at 64, timing script).
 */
const TASKS_PER_WORKER = 256;
/**
 * Files found and not yet handed out, at most, per worker: the walk runs that far ahead. Letting it
 * run 4,096 files ahead made files go out several to a message at a million events (messages to the
 * workers ~15,200 → ~4,100), but at ten million it cost ~12 CPU-seconds more, and the parse workers
 * blocked ~13 times as often (one import each: 67.5 s → 79.6 s; back at 64 a worker, 66.5 s); why is
 * not proven yet (README, Performance). At 256 a worker, with the walk's directory steps
 * synchronous (inputs.ts), 10M took 57.6 and 57.5 s against 64.7 and 57.6 s before (alternating).
 */
const QUEUED_PER_WORKER = TASKS_PER_WORKER;
const MAX_REPORTED_REJECTS = 1000;
const PROGRESS_MS = 250;

/** Kinds whose files count as imported (they hold events, even if none survived). */
const EVENT_KINDS: ReadonlySet<SourceKind> = new Set(['cloudtrail-log', 'cloudtrail-insights', 'lookup-events', 'eventbridge', 'cloudwatch-logs', 'json-records']);
const CONTAINER_KINDS: ReadonlySet<SourceKind> = new Set(['zip', 'tar']);

export interface ImportOptions {
  readonly importId?: string;
  readonly onProgress?: (p: ImportProgress) => void;
  readonly signal?: AbortSignal;
  readonly workers?: number;
  readonly limits?: Partial<DecodeLimits>;
  /**
   * Whether a first import into an empty case writes the store as a database image (the default)
   * or row by row as appends do; the tests compare the two.
   */
  readonly bulk?: boolean;
  /**
   * Where the finish's jobs run: by default on this thread below FINISH_WORKERS_FROM events and on
   * workers from there (store/offThread.ts); the tests hold the two to the same store.
   */
  readonly finishOn?: JobThread;
}

/** The compiled worker; tests running TypeScript sources use the build in dist/. */
export function workerScript(): string {
  return compiledScript(__dirname, 'import', 'worker.js', 'import worker');
}

interface PoolWorker {
  readonly worker: Worker;
  readonly strMap: number[];
  readonly blkMap: number[];
  inFlight: { sourceId: number; bytes: number }[];
  flushed?: () => void;
}

export async function runImport(store: Store, paths: readonly string[], opts: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const writer = new StoreWriter(store, { bulk: opts.bulk ?? true, finishOn: opts.finishOn });
  const sources = new Map<number, SourceRecord>();
  const reserved = new Map<number, { parentId: number | null; path: string; note: string | null }>();
  let nextSource = store.scalar('SELECT coalesce(max(id), 0) + 1 FROM sources');
  const rejectsReported: { path: string; index: number; reason: string }[] = [];
  let records = 0;
  let rejects = 0;
  let synthetic = 0;
  let bytesRead = 0;
  let filesDone = 0;
  let fatal: Error | null = null;
  const pending: { resolve: () => void }[] = [];
  let bytesInFlight = 0;
  const queue: Task[] = [];
  const containers: Promise<void>[] = [];

  const cancelled = (): boolean => opts.signal?.aborted === true || fatal !== null;
  const progress = (phase: ImportProgress['phase']): void =>
    opts.onProgress?.({ importId: opts.importId ?? '', filesDone, filesSeen: sources.size + reserved.size, records, rejects, bytesRead, elapsedMs: Date.now() - started, phase });
  const timer = setInterval(() => progress('reading'), PROGRESS_MS);

  const nWorkers = Math.max(1, opts.workers ?? Math.min(2, os.availableParallelism()));
  const pool: PoolWorker[] = [];
  const script = workerScript();
  prepareEngineThreads();
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const setup: WorkerSetup = { limits: opts.limits ?? {}, stop };
  for (let i = 0; i < nWorkers; i++) {
    const w: PoolWorker = { worker: new Worker(script, { workerData: setup }), strMap: [0], blkMap: [], inFlight: [] };
    w.worker.on('message', (m: FromWorker) => onMessage(w, m));
    w.worker.on('error', (e) => {
      fatal = e;
      wake();
    });
    pool.push(w);
  }

  const reader = new InputReader(sink());
  opts.signal?.addEventListener('abort', () => wake());
  let drainedResolve: (() => void) | null = null;

  function wake(): void {
    if (cancelled()) {
      for (const t of queue.splice(0)) if ('bytes' in t) bytesInFlight -= t.bytes.byteLength;
      // The files the workers hold are reported unread (see WorkerSetup).
      Atomics.store(stop, 0, 1);
    }
    dispatch();
    while (pending.length > 0 && (bytesInFlight < MAX_BYTES_IN_FLIGHT || inFlightCount() === 0) && queue.length < nWorkers * QUEUED_PER_WORKER) pending.shift()?.resolve();
    if (fatal) for (const p of pending.splice(0)) p.resolve();
    if (drainedResolve && (fatal !== null || (queue.length === 0 && inFlightCount() === 0 && containers.length === 0))) drainedResolve();
  }

  function inFlightCount(): number {
    return pool.reduce((n, w) => n + w.inFlight.length, 0);
  }

  /** Hands queued files to the workers with room for them, in one message per worker. */
  function dispatch(): void {
    const due = new Map<PoolWorker, { tasks: Task[]; transfer: ArrayBuffer[] }>();
    while (queue.length > 0 && !cancelled()) {
      const w = pool.reduce((a, b) => (b.inFlight.length < a.inFlight.length ? b : a));
      if (w.inFlight.length >= TASKS_PER_WORKER) break;
      const task = queue.shift() as Task;
      const size = 'bytes' in task ? task.bytes.byteLength : 0;
      w.inFlight.push({ sourceId: task.sourceId, bytes: size });
      let out = due.get(w);
      if (!out) due.set(w, (out = { tasks: [], transfer: [] }));
      out.tasks.push(task);
      if ('bytes' in task) out.transfer.push(task.bytes.buffer as ArrayBuffer);
    }
    for (const [w, { tasks, transfer }] of due) w.worker.postMessage({ type: 'tasks', tasks } satisfies ToWorker, transfer);
  }

  function sink(): InputSink {
    return {
      source(info: SourceInfo): number {
        const id = nextSource++;
        sources.set(id, { id, ...info, records: 0, rejects: 0 });
        if (!CONTAINER_KINDS.has(info.kind)) filesDone++;
        return id;
      },
      reserve(parentId, displayPath, note): number {
        const id = nextSource++;
        reserved.set(id, { parentId, path: displayPath, note: note ?? null });
        return id;
      },
      submit(task): Promise<void> {
        const t: Task = { type: 'task', ...task };
        if ('bytes' in t) bytesInFlight += t.bytes.byteLength;
        queue.push(t);
        dispatch();
        if ((bytesInFlight < MAX_BYTES_IN_FLIGHT || inFlightCount() === 0) && queue.length < nWorkers * QUEUED_PER_WORKER) return Promise.resolve();
        return new Promise<void>((resolve) => pending.push({ resolve }));
      },
      cancelled,
    };
  }

  /** Set while the messages of a bundle are handled: its reports wake the reader once, at its end. */
  let bundling = false;

  function onMessage(w: PoolWorker, m: FromWorker): void {
    try {
      switch (m.type) {
        case 'strings':
          for (const id of writer.internStrings(m.texts)) w.strMap.push(id);
          return;
        case 'block':
          w.blkMap[m.id] = writer.addBlock(m.usize, m.data);
          return;
        case 'events':
          synthetic += writer.addEvents(m.count, m.dict, m.nums, m.texts, m.resources, w.strMap, w.blkMap);
          writer.prestartFinish();
          return;
        case 'reject': {
          rejects++;
          const src = reserved.get(m.sourceId);
          writer.addReject(m.sourceId, m.index, m.reason, m.excerpt);
          if (rejectsReported.length < MAX_REPORTED_REJECTS) rejectsReported.push({ path: src?.path ?? String(m.sourceId), index: m.index, reason: m.reason });
          return;
        }
        case 'digest':
          writer.addDigest(m.sourceId, m.json);
          return;
        case 'unit':
          onUnit(w, m);
          return;
        case 'flushed':
          w.flushed?.();
          return;
        case 'bundle':
          // The files whose reports it holds are replaced once it is read, in one message (dispatch).
          bundling = true;
          try {
            for (const inner of m.msgs) onMessage(w, inner);
          } finally {
            bundling = false;
          }
          wake();
          return;
        case 'fatal':
          fatal = new Error(`import worker failed: ${m.message}`);
          wake();
          return;
      }
    } catch (e) {
      fatal = e instanceof Error ? e : new Error(String(e));
      wake();
    }
  }

  function onUnit(w: PoolWorker, u: UnitDone): void {
    const i = w.inFlight.findIndex((f) => f.sourceId === u.sourceId);
    const done = i >= 0 ? w.inFlight.splice(i, 1)[0] : undefined;
    if (done) bytesInFlight -= done.bytes;
    const r = reserved.get(u.sourceId);
    reserved.delete(u.sourceId);
    const path = r?.path ?? String(u.sourceId);
    const note = [r?.note ?? null, u.note].filter((n): n is string => n !== null).join('; ') || null;
    sources.set(u.sourceId, { id: u.sourceId, parentId: r?.parentId ?? null, path, size: u.size, sha256: u.sha256, kind: u.kind, records: u.records, rejects: u.rejects, note });
    records += u.records;
    bytesRead += u.bytesRead;
    if (u.container) {
      const depth = path.split('!/').length;
      let job: Promise<void>;
      if (u.containerBytes) {
        const bytes = Buffer.from(u.containerBytes.buffer, u.containerBytes.byteOffset, u.containerBytes.byteLength);
        job = reader.readArchive(u.container === 'zip' ? 'zip' : bytes[0] === 0x1f ? 'tgz' : 'tar', path, { bytes }, u.sourceId, depth);
      } else {
        // An archive file found by a worker: stream it from disk here, and hash it while at it.
        const kind = u.container;
        job = hashFile(path).then((sha256) => {
          const s = sources.get(u.sourceId);
          if (s) sources.set(u.sourceId, { ...s, sha256 });
          return reader.readArchive(kind, path, { file: path }, u.sourceId, depth);
        });
      }
      job = job
        .catch((e: unknown) => {
          // One unreadable archive never stops the import: it is reported on its own row.
          const s = sources.get(u.sourceId);
          if (s) sources.set(u.sourceId, { ...s, kind: 'unreadable', note: `cannot read the archive: ${e instanceof Error ? e.message : String(e)}` });
        })
        .finally(() => {
          containers.splice(containers.indexOf(job), 1);
          wake();
        });
      containers.push(job);
    } else {
      filesDone++;
    }
    if (!bundling) wake();
  }

  const stopWorkers = (): Promise<unknown> => Promise.all(pool.map((w) => w.worker.terminate()));
  try {
    await reader.readPaths(paths);
    await new Promise<void>((resolve) => {
      drainedResolve = resolve;
      wake();
    });
    if (!fatal) {
      await Promise.all(pool.map((w) => new Promise<void>((resolve) => {
        w.flushed = resolve;
        w.worker.postMessage({ type: 'flush' });
      })));
    }
  } catch (e) {
    clearInterval(timer);
    await stopWorkers();
    throw e;
  }
  clearInterval(timer);
  // Awaited once the finish has started: the parse workers' threads wind down while it runs (the
  // wait took ~25 ms at a million events, with the finish's workers ready and idle).
  const stopped = stopWorkers();
  if (fatal) {
    await stopped;
    writer.abort();
    throw fatal;
  }
  progress('indexing');
  writer.rowsDone();
  await stopped;
  for (const [id, r] of reserved) {
    sources.set(id, { id, parentId: r.parentId, path: r.path, size: 0, sha256: null, kind: 'unreadable', records: 0, rejects: 0, note: CANCELLED_NOTE });
  }
  for (const s of sources.values()) writer.addSource(s);
  await writer.finish();
  progress('done');
  return buildReport(sources, writer, { records, rejects, synthetic, rejectsReported, started, cancelled: opts.signal?.aborted === true });
}

function buildReport(
  sources: ReadonlyMap<number, SourceRecord>,
  writer: StoreWriter,
  r: { records: number; rejects: number; synthetic: number; rejectsReported: ImportReport['rejects']; started: number; cancelled: boolean },
): ImportReport {
  let seen = 0;
  let imported = 0;
  const skipped: { path: string; reason: string }[] = [];
  let importedRecords = 0;
  let duplicates = 0;
  for (const s of sources.values()) {
    const c = writer.counts.get(s.id);
    importedRecords += c?.imported ?? 0;
    duplicates += c?.duplicates ?? 0;
    if (CONTAINER_KINDS.has(s.kind)) continue;
    seen++;
    if (EVENT_KINDS.has(s.kind)) imported++;
    else skipped.push({ path: s.path, reason: s.note ?? s.kind });
  }
  const has = writer.firstMs <= writer.lastMs;
  return {
    files: { seen, imported, skipped },
    records: { seen: r.records, imported: importedRecords, duplicates, rejected: r.rejects, syntheticIds: r.synthetic },
    rejects: r.rejectsReported,
    timeRange: { first: has ? isoFromMs(writer.firstMs) : null, last: has ? isoFromMs(writer.lastMs) : null },
    elapsedMs: Date.now() - r.started,
    cancelled: r.cancelled,
  };
}
