/**
 * Cuts the planned events into delivery files the way a trail does: one stream per (account, region),
 * events in roughly time order within a stream, a file every ~`recordsPerFile` events or at most an
 * hour of activity, delivered 5–10 minutes after its newest event. About 0.1% of events are delivered
 * again in a later file of the same stream (or, for a stream's last file, twice in the same file).
 */
import type { Plan } from './plan';
import { Rng } from './rng';

const WINDOW_MS = 5 * 60_000;
const MAX_FILE_WINDOWS = 12;
export const DUPLICATE_RATE = 0.001;

export interface Layout {
  /** Event indices, grouped by file. */
  readonly order: Int32Array;
  /** File f holds order[fileStart[f] .. fileStart[f + 1]). */
  readonly fileStart: Int32Array;
  readonly fileAcct: Uint8Array;
  readonly fileRegion: Uint8Array;
  /** Delivery time (ms, whole minutes): the timestamp in the file name and the date folders. */
  readonly fileDelivery: Float64Array;
  /** Duplicate deliveries: file f also holds dupEvent[dupStart[f] .. dupStart[f + 1]). */
  readonly dupStart: Int32Array;
  readonly dupEvent: Int32Array;
}

function sab<T>(ctor: { new (b: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number }, n: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, n) * ctor.BYTES_PER_ELEMENT));
}

/** Counting sort of events by (stream, five-minute window). */
function bucketSort(plan: Plan, accounts: number, regions: number, startMs: number): { order: Int32Array; bucketStart: Int32Array; windows: number } {
  const windows = plan.n === 0 ? 1 : Math.floor((plan.lastMs - startMs) / WINDOW_MS) + 1;
  const streams = accounts * regions;
  const key = new Int32Array(plan.n);
  const bucketStart = new Int32Array(streams * windows + 1);
  for (let i = 0; i < plan.n; i++) {
    const k = ((plan.acct[i] ?? 0) * regions + (plan.region[i] ?? 0)) * windows + Math.floor(((plan.t[i] ?? startMs) - startMs) / WINDOW_MS);
    key[i] = k;
    bucketStart[k + 1] = (bucketStart[k + 1] ?? 0) + 1;
  }
  for (let k = 1; k < bucketStart.length; k++) bucketStart[k] = (bucketStart[k] ?? 0) + (bucketStart[k - 1] ?? 0);
  const next = bucketStart.slice(0, bucketStart.length - 1);
  const order = sab(Int32Array, plan.n);
  for (let i = 0; i < plan.n; i++) {
    const k = key[i] ?? 0;
    const at = next[k] ?? 0;
    order[at] = i;
    next[k] = at + 1;
  }
  return { order, bucketStart, windows };
}

interface FileRow {
  start: number;
  acct: number;
  region: number;
  delivery: number;
}

function cutFiles(plan: Plan, sorted: ReturnType<typeof bucketSort>, regions: number, recordsPerFile: number, rng: Rng): FileRow[] {
  const files: FileRow[] = [];
  const { order, bucketStart, windows } = sorted;
  for (let stream = 0; stream * windows < bucketStart.length - 1; stream++) {
    const acct = Math.floor(stream / regions);
    const region = stream % regions;
    let open: FileRow | null = null;
    let count = 0;
    let target = 0;
    let firstWindow = 0;
    let newest = 0;
    const close = (): void => {
      if (open) open.delivery = Math.floor((newest + 300_000 + rng.int(300_000)) / 60_000) * 60_000;
      open = null;
    };
    for (let win = 0; win < windows; win++) {
      const b = stream * windows + win;
      const from = bucketStart[b] ?? 0;
      const to = bucketStart[b + 1] ?? 0;
      if (open && win - firstWindow >= MAX_FILE_WINDOWS && from < to) close();
      for (let j = from; j < to; j++) {
        if (!open) {
          open = { start: j, acct, region, delivery: 0 };
          files.push(open);
          count = 0;
          newest = 0;
          firstWindow = win;
          target = Math.max(1, Math.round(recordsPerFile * (0.5 + rng.float())));
        }
        newest = Math.max(newest, plan.t[order[j] ?? 0] ?? 0);
        if (++count >= target) close();
      }
    }
    close();
  }
  return files;
}

function duplicates(files: readonly FileRow[], order: Int32Array, n: number, rng: Rng): { dupStart: Int32Array; dupEvent: Int32Array } {
  const pairs: [number, number][] = [];
  for (let f = 0; f < files.length; f++) {
    const row = files[f];
    if (!row) continue;
    const end = files[f + 1]?.start ?? n;
    for (let j = row.start; j < end; j++) {
      if (!rng.chance(DUPLICATE_RATE)) continue;
      let to = f;
      for (let k = rng.range(1, 3); k > 0; k--) {
        const nextRow = files[to + 1];
        if (!nextRow || nextRow.acct !== row.acct || nextRow.region !== row.region) break;
        to++;
      }
      pairs.push([to, order[j] ?? 0]);
    }
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const dupStart = sab(Int32Array, files.length + 1);
  const dupEvent = sab(Int32Array, pairs.length);
  pairs.forEach(([f, e], i) => {
    dupEvent[i] = e;
    dupStart[f + 1] = (dupStart[f + 1] ?? 0) + 1;
  });
  for (let f = 1; f <= files.length; f++) dupStart[f] = (dupStart[f] ?? 0) + (dupStart[f - 1] ?? 0);
  return { dupStart, dupEvent };
}

export function layoutFiles(plan: Plan, opts: { seed: number; accounts: number; regions: number; recordsPerFile: number; startMs: number }): Layout {
  const rng = Rng.of(opts.seed, 0x4c41594f, 0);
  const sorted = bucketSort(plan, opts.accounts, opts.regions, opts.startMs);
  const files = cutFiles(plan, sorted, opts.regions, opts.recordsPerFile, rng);
  const fileStart = sab(Int32Array, files.length + 1);
  const fileAcct = sab(Uint8Array, files.length);
  const fileRegion = sab(Uint8Array, files.length);
  const fileDelivery = sab(Float64Array, files.length);
  files.forEach((f, i) => {
    fileStart[i] = f.start;
    fileAcct[i] = f.acct;
    fileRegion[i] = f.region;
    fileDelivery[i] = f.delivery;
  });
  fileStart[files.length] = plan.n;
  return { order: sorted.order, fileStart, fileAcct, fileRegion, fileDelivery, ...duplicates(files, sorted.order, plan.n, rng) };
}

export function fileCount(l: Layout): number {
  return l.fileStart.length - 1;
}
