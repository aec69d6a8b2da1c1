/**
 * Jobs of an import's finish that run on a thread of their own (indexWorker.ts), one worker per
 * job: the integer indexes of `ev`, its text indexes (one after the other), the dictionary's file, the comparison
 * of duplicates with the records kept. Typed arrays named here are transferred, not copied (the
 * caller loses them); strings and raw blocks are copied.
 *
 * An import of fewer than FINISH_WORKERS_FROM events runs them on its own thread instead ('here'):
 * each worker's start and its cold code cost more than such a job. Timing script, the same imports
 * with the jobs on workers and here, four in one process each: one file of 30 events 209–412 ms →
 * 107–310 ms (CPU 393–772 → 184–543 ms); 50,000 events 1.23–1.65 s → 0.90–1.32 s; ~197,000 events
 * 1.81–2.21 s → 1.71–2.15 s; but ~394,000 events 3.78–4.27 s → 4.03–4.51 s, and a million
 * 6.9–7.2 s → 7.6–7.9 s, so workers from there on.
 */
import { Worker } from 'node:worker_threads';
import { compiledScript } from '../compiled';
import { prepareEngineThreads } from './memory';
import { runJob } from './jobs';
import type { AuxJob } from './auxImage';
import type { CopiesJob } from './copies';
import type { IntIndexJob, NamedTree } from './intIndexes';
import type { PackedTexts } from './textIndexes';

export type OffThreadJob =
  | { readonly kind: 'int'; readonly job: IntIndexJob }
  | { readonly kind: 'aux'; readonly job: AuxJob }
  | { readonly kind: 'copies'; readonly job: CopiesJob }
  | { readonly kind: 'text'; readonly job: { readonly indexes: readonly TextIndexJob[]; readonly pageSize: number } };

/** A text index to build: its name, and its texts (row r at r - 1). */
export interface TextIndexJob {
  readonly name: string;
  readonly texts: PackedTexts;
}
/** Events from which an import's finish runs its jobs on workers (see the file's comment). */
export const FINISH_WORKERS_FROM = 200_000;

/** Where a job runs: on a worker, or on the calling thread. */
export type JobThread = 'worker' | 'here';

/** A job's last reply when it succeeded. */
export interface OffThreadDone {
  readonly ok: true;
  readonly trees?: NamedTree[];
  readonly file?: Uint8Array;
  readonly identical?: Int8Array;
  readonly partial?: undefined;
}
export type OffThreadReply =
  | OffThreadDone
  /** One tree of a job that sends its trees as they are built; the job's last reply follows. */
  | { readonly ok: true; readonly partial: NamedTree }
  | { readonly ok: false; readonly message: string };

/** A worker started ahead of its job (see prestartWorkers), and whether it has stopped meanwhile. */
interface Idle {
  readonly worker: Worker;
  stopped: boolean;
}

/** Workers waiting for a job: unreferenced, so they never keep the process alive on their own. */
const idle: Idle[] = [];

function newWorker(): Worker {
  prepareEngineThreads();
  return new Worker(compiledScript(__dirname, 'store', 'indexWorker.js', 'index worker'));
}

/**
 * Starts `n` workers for the jobs of a finish before they are needed (a bulk import calls it as it
 * begins), so that each job starts the moment its input is ready: started together as the load
 * ended, the workers were still setting themselves up while the two cores stood partly idle (~122%
 * busy in that half second at a million events, ~172% with workers started ahead; per-thread CPU
 * sampled every half second). Those no job takes are stopped by stopIdleWorkers.
 */
export function prestartWorkers(n: number): void {
  while (idleWorkers() < n) {
    const entry: Idle = { worker: newWorker(), stopped: false };
    const stopped = (): void => {
      entry.stopped = true;
    };
    // An idle worker that fails to start is only dropped: the job that would have taken it starts one.
    entry.worker.on('error', stopped);
    entry.worker.once('exit', stopped);
    entry.worker.unref();
    idle.push(entry);
  }
}

/** How many started workers wait for a job. */
export function idleWorkers(): number {
  return idle.filter((w) => !w.stopped).length;
}

/** Stops the workers prestartWorkers started that no job took. */
export function stopIdleWorkers(): void {
  for (const w of idle.splice(0)) void w.worker.terminate();
}

/** A started worker when one waits, else a new one. */
function takeWorker(): Worker {
  for (let w = idle.shift(); w; w = idle.shift()) {
    if (w.stopped) continue;
    w.worker.removeAllListeners();
    w.worker.ref();
    return w.worker;
  }
  return newWorker();
}

/** Whether `buffer` was handed to another thread already (transferred buffers are detached). */
function isDetached(buffer: ArrayBuffer): boolean {
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * A job on this thread, once the caller's turn is over (as a worker's would begin): the caller
 * goes on with its own part of the finish first. Its input is used where it is, not copied.
 */
function runHere(msg: OffThreadJob, onTree?: (tree: NamedTree) => void): Promise<OffThreadDone> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(runJob(msg, (tree) => onTree?.(tree)).reply);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

function run(msg: OffThreadJob, transfer: ArrayBuffer[], onTree?: (tree: NamedTree) => void, thread: JobThread = 'worker'): Promise<OffThreadDone> {
  if (thread === 'here') return runHere(msg, onTree);
  // Node (20) posts nothing, and throws nothing, when a buffer to transfer is detached: the job
  // would wait for its reply forever, and the import with it.
  if (transfer.some(isDetached)) return Promise.reject(new Error(`index worker: the ${msg.kind} job's input was handed to another thread already`));
  const worker = takeWorker();
  return new Promise((resolve, reject) => {
    const fail = (e: Error): void => {
      void worker.terminate();
      reject(e);
    };
    const onMessage = (m: OffThreadReply): void => {
      if (m.ok && m.partial) {
        try {
          onTree?.(m.partial);
        } catch (e) {
          worker.off('message', onMessage);
          fail(e as Error);
        }
        return;
      }
      worker.off('message', onMessage);
      void worker.terminate();
      if (m.ok) resolve(m);
      else reject(new Error(`index worker failed: ${m.message}`));
    };
    worker.on('message', onMessage);
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`index worker stopped (exit code ${code})`)));
    worker.postMessage(msg, [...new Set(transfer)]);
  });
}

/** buildIntIndexes on a thread of its own; `onTree` is given each index as soon as it is built. */
export async function buildIntIndexesOffThread(job: IntIndexJob, onTree: (tree: NamedTree) => void, thread?: JobThread): Promise<void> {
  const reply = await run({ kind: 'int', job }, [job.times.buffer as ArrayBuffer, ...Object.values(job.columns).map((c) => c.buffer as ArrayBuffer)], onTree, thread);
  for (const tree of reply.trees ?? []) onTree(tree);
}

/** buildAuxImage on a thread of its own. */
export async function buildAuxImageOffThread(job: AuxJob, thread?: JobThread): Promise<Uint8Array> {
  const { strings } = job;
  const transfer = [job.resources.buffer, strings.bytes.buffer, strings.starts.buffer, strings.lengths.buffer] as ArrayBuffer[];
  const reply = await run({ kind: 'aux', job }, transfer, undefined, thread);
  if (!reply.file) throw new Error('index worker: no file in its reply');
  return reply.file;
}

/** compareJob on a thread of its own. */
export async function compareCopiesOffThread(job: CopiesJob, thread?: JobThread): Promise<Int8Array> {
  const reply = await run({ kind: 'copies', job }, [job.refs.buffer as ArrayBuffer], undefined, thread);
  if (!reply.identical) throw new Error('index worker: no comparison in its reply');
  return reply.identical;
}

/**
 * buildTextIndex of each of `indexes` on a thread of their own, one after the other: the code the
 * first made hot serves the next (the shared event ids' index after the event ids', a small job that
 * took a worker of its own, with its start and its cold code, for ~10 ms of work).
 */
export async function buildTextIndexesOffThread(indexes: readonly TextIndexJob[], pageSize: number, thread?: JobThread): Promise<NamedTree[]> {
  const transfer = indexes.flatMap(({ texts }) => [texts.bytes.buffer, texts.starts.buffer, texts.lengths.buffer] as ArrayBuffer[]);
  const reply = await run({ kind: 'text', job: { indexes, pageSize } }, transfer, undefined, thread);
  const trees = reply.trees ?? [];
  if (trees.length !== indexes.length) throw new Error('index worker: not every index in its reply');
  return trees;
}
