/**
 * `cairn import`'s engine, on a worker thread (main.ts starts it): an isolate started after
 * prepareEngineThreads, so the thread that coordinates the import starts with the old generation the
 * import's own workers get, as the app's and web mode's engine (EngineHost) does. On the process's
 * main thread, whose heap V8 sizes at startup, the import's coordinator was collected in full about
 * fifty times per million events for a heap of 10–20 MB (each started by an allocation limit that
 * small heap sets); started at 128 MB, about thirty times, and the import of the bench's million
 * events took 0.31 s less on average (timing script, four alternating pairs: −0.52, −0.07, −0.31,
 * −0.33 s; 0.6 CPU-s less).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/engine';
import type { ImportProgress, ImportReport } from '../../shared/domain';

/** What main.ts gives the worker. */
export interface ImportJob {
  readonly caseFile: string;
  /** Whether the case file exists (then the evidence is added to it). */
  readonly exists: boolean;
  readonly evidence: readonly string[];
  readonly workers?: number;
  readonly maxInflate?: number;
}

/** What the worker says: progress while it imports, then one of done or failed. */
export type ImportWorkerMessage =
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly type: 'done'; readonly report: ImportReport; readonly saved: { readonly path: string; readonly bytes: number } }
  | { readonly type: 'failed'; readonly message: string };

async function run(job: ImportJob, post: (m: ImportWorkerMessage) => void): Promise<void> {
  const engine = job.exists ? await Engine.open(job.caseFile) : await Engine.create();
  try {
    const report = await engine.importPaths(job.evidence, {
      onProgress: (progress) => post({ type: 'progress', progress }),
      ...(job.workers ? { workers: job.workers } : {}),
      ...(job.maxInflate ? { limits: { maxInflated: job.maxInflate } } : {}),
    });
    const saved = await engine.saveCase(job.caseFile);
    post({ type: 'done', report, saved: { path: saved.path, bytes: saved.bytes } });
  } finally {
    engine.close();
  }
}

const port = parentPort;
if (!port) throw new Error('the import worker must run in a worker thread');
const post = (m: ImportWorkerMessage): void => port.postMessage(m);
run(workerData as ImportJob, post).catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
