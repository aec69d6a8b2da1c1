/** Worker thread of RssSampler: raises the shared peak whenever the process's RSS exceeds it. */
import { workerData } from 'node:worker_threads';

const { peak, intervalMs } = workerData as { peak: BigInt64Array; intervalMs: number };

function sample(): void {
  const rss = BigInt(process.memoryUsage.rss());
  let seen = Atomics.load(peak, 0);
  while (rss > seen) {
    const prev = Atomics.compareExchange(peak, 0, seen, rss);
    if (prev === seen) break;
    seen = prev;
  }
}

setInterval(sample, intervalMs);
