/**
 * Peak resident memory of the whole process (main thread, engine workers, sql.js heaps, DuckDB),
 * sampled every 100 ms by a worker thread, so samples keep coming while the main thread is busy
 * inside a long synchronous SQL statement. `reset()` starts a new phase.
 */
import { Worker } from 'node:worker_threads';
import { benchScript } from './scripts';

export class RssSampler {
  private readonly peak = new BigInt64Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor(intervalMs = 100) {
    this.reset();
    this.worker = new Worker(benchScript('rssWorker'), { workerData: { peak: this.peak, intervalMs } });
    this.worker.unref();
  }

  /** Starts a new phase: the peak is now the current RSS. */
  reset(): void {
    Atomics.store(this.peak, 0, BigInt(process.memoryUsage.rss()));
  }

  /** The highest RSS since the last reset (bytes), including a sample taken now. */
  peakBytes(): number {
    const now = BigInt(process.memoryUsage.rss());
    const p = Atomics.load(this.peak, 0);
    return Number(now > p ? now : p);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
