/**
 * V8 settings of the engine's threads: a full garbage collection on demand, the initial heap of the
 * worker threads an import starts, and how much the optimising compiler inlines.
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
 * and gets the same: the engine runs on a worker started after prepareEngineThreads in the app and web
 * mode (EngineHost) and in `cairn import` (cli/importWorker.ts). A process's main thread cannot be
 * sized from here (V8 reads the flag once, at startup): the bench, whose imports run on its main
 * thread, starts node with --initial-old-space-size=128 (package.json), so that it measures the
 * import as these run it.
 */
const WORKER_OLD_SPACE_MB = 128;

/**
 * The most bytecode TurboFan inlines into one optimised function, in all (V8's default: 920). An
 * import's threads are new isolates whose hot code is compiled afresh, while both cores are busy:
 * at a million events V8's compiler threads took ~1.2 CPU-s of the import's ~12 (`perf`), more than
 * a third of it compiling again code that had deoptimised, and the largest compiles were the
 * functions that inline the most. With half the budget, compiles took about a third less time
 * (--trace-opt, one import each), and in 34 alternating pairs of 1M imports (three runs, timing
 * script) the import was faster in 23, its median 1–5% shorter per run, its CPU 2–4% less. At ten
 * million events, two pairs: no difference beyond the noise (129.4 and 133.5 against 129.8 and
 * 130.1 CPU-s). Less inlining costs more in the code it makes, so it is halved, not cut further:
 * a quarter (230 bytes) made the import slower (8 pairs: 2 faster), and an earlier session found
 * 300 slower too (README, Performance).
 */
const INLINED_BYTECODE_CUMULATIVE = 460;

let threadsPrepared = false;

/**
 * Call before starting an engine thread (the engine's own, an import's workers). Isolates created
 * from now on start with WORKER_OLD_SPACE_MB of old generation: V8 reads the flag when it sets up a
 * new isolate's heap, and running isolates keep theirs. The inlining budget is V8's, for every
 * thread of the process, from the next compile on.
 */
export function prepareEngineThreads(): void {
  if (threadsPrepared) return;
  threadsPrepared = true;
  v8.setFlagsFromString(`--initial-old-space-size=${WORKER_OLD_SPACE_MB}`);
  v8.setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_CUMULATIVE}`);
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
