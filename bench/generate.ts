/**
 * A deterministic synthetic CloudTrail archive in the real S3 layout
 * (`AWSLogs/o-…/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<16>.json.gz`),
 * each file a gzip of one line `{"Records":[…]}`. See bench/gen/ for what the organisation does.
 *
 * Memory stays bounded: the plan holds ~30 bytes per event and records are rendered file by file.
 * Files are written by worker threads (two by default) for large runs, inline for small ones; the bytes
 * are the same either way for a given seed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fillPlan } from './gen/activities';
import { fileCount, layoutFiles } from './gen/layout';
import { PlanBuilder } from './gen/plan';
import { Rng } from './gen/rng';
import type { GenWorkerData } from './gen/worker';
import { buildWorld } from './gen/world';
import { type WriteTotals, writeFiles } from './gen/writer';
import { benchScript } from './scripts';

/** Bump when the generated content changes, so cached archives are rebuilt. */
export const GENERATOR_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const DEFAULT_START_MS = Date.UTC(2024, 2, 1);

export interface GenerateOptions {
  readonly dir: string;
  readonly events: number;
  readonly seed?: number;
  readonly accounts?: number;
  readonly regions?: number;
  readonly recordsPerFile?: number;
  readonly days?: number;
  readonly startMs?: number;
  /** Worker threads writing files; 0 writes inline. Default: 2 (or fewer cores) from 20,000 events. */
  readonly workers?: number;
  readonly onProgress?: (p: { files: number; filesTotal: number; bytes: number }) => void;
}

export interface GenerateResult {
  readonly files: number;
  /** Gzip bytes written. */
  readonly bytes: number;
  /** Distinct events (what an import keeps after deduplication). */
  readonly events: number;
  /** Records written, duplicate deliveries included. */
  readonly records: number;
  readonly duplicates: number;
  /** Uncompressed JSON bytes. */
  readonly rawBytes: number;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly ms: number;
}

export interface Manifest {
  readonly generator: number;
  readonly options: Required<Omit<GenerateOptions, 'dir' | 'workers' | 'onProgress'>>;
  readonly result: GenerateResult;
}

export function resolveOptions(o: GenerateOptions): Manifest['options'] {
  return {
    events: Math.max(0, Math.floor(o.events)),
    seed: (o.seed ?? 20240301) >>> 0,
    accounts: Math.max(1, Math.min(250, o.accounts ?? 4)),
    regions: Math.max(1, Math.min(12, o.regions ?? 6)),
    recordsPerFile: Math.max(1, o.recordsPerFile ?? 100),
    days: Math.max(1, o.days ?? 30),
    startMs: o.startMs ?? DEFAULT_START_MS,
  };
}

/** The archive's manifest, if `dir` holds a complete archive made by this generator version. */
export function readManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    return m.generator === GENERATOR_VERSION ? m : null;
  } catch {
    return null;
  }
}

export function manifestMatches(m: Manifest | null, o: GenerateOptions): boolean {
  if (!m) return false;
  const want = resolveOptions(o);
  return (Object.keys(want) as (keyof typeof want)[]).every((k) => m.options[k] === want[k]);
}

function runWorkers(data: Omit<GenWorkerData, 'index' | 'step'>, n: number, onTotals: (sum: WriteTotals) => void): Promise<WriteTotals> {
  const script = benchScript('gen/worker');
  const latest: WriteTotals[] = Array.from({ length: n }, () => ({ files: 0, bytes: 0, rawBytes: 0 }));
  const sum = (): WriteTotals => latest.reduce((a, t) => ({ files: a.files + t.files, bytes: a.bytes + t.bytes, rawBytes: a.rawBytes + t.rawBytes }), { files: 0, bytes: 0, rawBytes: 0 });
  const one = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(script, { workerData: { ...data, index, step: n } satisfies GenWorkerData });
      worker.on('message', (m: WriteTotals & { type: string }) => {
        latest[index] = { files: m.files, bytes: m.bytes, rawBytes: m.rawBytes };
        onTotals(sum());
        if (m.type === 'done') resolve();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator worker exited with code ${code}`))));
    });
  return Promise.all(Array.from({ length: n }, (_, i) => one(i))).then(sum);
}

export async function generateArchive(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const o = resolveOptions(opts);
  const w = buildWorld(o.seed, o.accounts, o.regions);
  const builder = new PlanBuilder(w, o.events, { startMs: o.startMs, endMs: o.startMs + o.days * 86_400_000 }, Rng.of(o.seed, 0x504c414e, 0));
  fillPlan(builder);
  const plan = builder.build();
  const layout = layoutFiles(plan, { seed: o.seed, accounts: w.accounts.length, regions: w.regions.length, recordsPerFile: o.recordsPerFile, startMs: o.startMs });
  const filesTotal = fileCount(layout);

  fs.mkdirSync(opts.dir, { recursive: true });
  fs.rmSync(path.join(opts.dir, MANIFEST), { force: true });
  fs.rmSync(path.join(opts.dir, 'AWSLogs'), { recursive: true, force: true });

  const nWorkers = opts.workers ?? (o.events >= 20_000 ? Math.min(2, os.availableParallelism()) : 0);
  const report = (t: WriteTotals): void => opts.onProgress?.({ files: t.files, filesTotal, bytes: t.bytes });
  const totals =
    nWorkers > 0
      ? await runWorkers({ seed: o.seed, accounts: o.accounts, regions: o.regions, plan, layout, dir: opts.dir }, Math.min(nWorkers, Math.max(1, filesTotal)), report)
      : writeFiles({ w, plan, layout }, opts.dir, 0, 1, report);

  const duplicates = layout.dupStart[filesTotal] ?? 0;
  const result: GenerateResult = {
    files: totals.files,
    bytes: totals.bytes,
    events: plan.n,
    records: plan.n + duplicates,
    duplicates,
    rawBytes: totals.rawBytes,
    firstMs: plan.n > 0 ? plan.firstMs : 0,
    lastMs: plan.n > 0 ? plan.lastMs : 0,
    ms: Math.round(performance.now() - started),
  };
  const manifest: Manifest = { generator: GENERATOR_VERSION, options: o, result };
  fs.writeFileSync(path.join(opts.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return result;
}
