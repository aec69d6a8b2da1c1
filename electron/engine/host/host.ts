/**
 * Runs the engine in a worker thread, so neither Electron's main thread nor the web server's event
 * loop ever waits on SQL or an import. Calls are matched to answers by id; pushes fan out to
 * listeners. If the worker dies, every pending and later call answers 'internal' instead of hanging.
 */
import { Worker } from 'node:worker_threads';
import { type EngineCallName, type PushName, type Result, err } from '../../../shared/api';
import { compiledScript } from '../compiled';
import { EngineError } from '../errors';
import { prepareEngineThreads } from '../store/memory';
import type { FromWorker, ToWorker, WorkerData } from './protocol';

type PushListener = (name: PushName, payload: unknown) => void;

const CLOSE_GRACE_MS = 5000;

/** The compiled worker; code running from TypeScript sources (tests) uses the build in dist/. */
function workerScript(): string {
  return compiledScript(__dirname, 'host', 'worker.js', 'engine worker');
}

export class EngineHost {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly listeners = new Set<PushListener>();
  /** Why calls are refused: set when the worker stops or close() starts. */
  private stopped: Result<never> | null = null;
  private readonly exited: Promise<void>;
  private readonly ready: Promise<void>;

  private constructor(private readonly worker: Worker) {
    let onReady: () => void = () => undefined;
    let onFail: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') onReady();
      else if (m.type === 'failed') onFail(new EngineError(m.code, m.message));
      else if (m.type === 'result') this.settle(m.id, m.result);
      else for (const l of this.listeners) l(m.name, m.payload);
    });
    worker.on('error', (e) => {
      onFail(e);
      this.stop(err('internal', `the engine stopped: ${e.message}`));
    });
    this.exited = new Promise<void>((resolve) => {
      worker.on('exit', (code) => {
        onFail(new EngineError('internal', `the engine exited (code ${code}) before it was ready`));
        this.stop(err('internal', `the engine exited (code ${code})`));
        resolve();
      });
    });
  }

  /** Starts the engine's worker; opens the case at `casePath` if given (rejects if it cannot). */
  static async start(opts: { casePath?: string } = {}): Promise<EngineHost> {
    const data: WorkerData = opts.casePath === undefined ? {} : { casePath: opts.casePath };
    // The engine's thread coordinates imports: it starts with the heap an import's workers get (see memory.ts).
    prepareEngineThreads();
    const host = new EngineHost(new Worker(workerScript(), { workerData: data }));
    try {
      await host.ready;
    } catch (e) {
      await host.worker.terminate();
      throw e;
    }
    return host;
  }

  call(name: EngineCallName, req: unknown): Promise<Result<unknown>> {
    if (this.stopped) return Promise.resolve(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.post({ type: 'call', id, name, req });
      } catch (e) {
        // structured clone refuses functions, symbols and the like: the payload was not plain data
        this.settle(id, err('bad-request', `the request is not plain data: ${(e as Error).message}`));
      }
    });
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Closes the engine; pending calls answer 'cancelled'. */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.stop(err('cancelled', 'the engine was closed'));
      this.post({ type: 'close' });
    }
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private settle(id: number, result: Result<unknown>): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(result);
  }

  private stop(reason: Result<never>): void {
    this.stopped ??= reason;
    for (const id of [...this.pending.keys()]) this.settle(id, this.stopped);
  }
}
