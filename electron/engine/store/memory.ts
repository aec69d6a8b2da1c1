/**
 * Memory settings of the engine's threads: a full garbage collection on demand, and the initial heap
 * of the worker threads an import starts.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * The old generation a new isolate starts with, in MB. V8 sizes a worker's heap from what it holds,
 * and a parse worker holds little for long (its dictionary, a batch or two): from a few MB, its heap
 * was collected in full about fifty times per million events, with marking threads competing for
 * the two cores. Starting at 128 MB, the import of the bench's million events took 8–10% less time
 * and 1.4–1.8 CPU-s less, and peak memory did not move (timing script, alternating runs).
 *
 * The thread that coordinates an import holds little JavaScript too (its data is in typed arrays),
 * and gets the same: the engine runs on a worker started after sizeWorkerHeaps in the app and web
 * mode (EngineHost) and in `cairn import` (cli/importWorker.ts). A process's main thread cannot be
 * sized from here (V8 reads the flag once, at startup): the bench, whose imports run on its main
 * thread, starts node with --initial-old-space-size=128 (package.json), so that it measures the
 * import as these run it.
 */
const WORKER_OLD_SPACE_MB = 128;
let workerHeapsSized = false;

/**
 * Makes isolates created from now on (worker threads) start with WORKER_OLD_SPACE_MB of old
 * generation. V8 reads the flag when it sets up a new isolate's heap; running isolates keep theirs.
 */
export function sizeWorkerHeaps(): void {
  if (workerHeapsSized) return;
  workerHeapsSized = true;
  v8.setFlagsFromString(`--initial-old-space-size=${WORKER_OLD_SPACE_MB}`);
}

/**
 * A full garbage collection on demand. Used once per bulk import of a large store (Store.adopt),
 * just before sql.js takes the finished files: the sort columns, event ids and index trees released
 * a moment earlier (gigabytes at ten million events) would otherwise still be held while the store's
 * memory grows again (SQLite's page cache, the scan columns), and that moment is the peak.
 */
function findGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  return typeof gc === 'function' ? () => (gc as () => void)() : () => undefined;
}

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  gc ??= findGc();
  gc();
}
