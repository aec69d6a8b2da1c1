/**
 * The machine's floor for an import, measured in the same run: read + gunzip + JSON.parse of every
 * file (counting records), spread over worker threads. Nothing can import faster than it parses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && p.endsWith('.json.gz')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export interface FloorResult {
  readonly ms: number;
  readonly events: number;
  readonly bytesGz: number;
}

function run(files: readonly string[], workers: number, parse: boolean): Promise<FloorResult> {
  const started = performance.now();
  return Promise.all(
    Array.from({ length: workers }, (_, w) =>
      new Promise<{ events: number; bytes: number }>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { floorFiles: files.filter((_, i) => i % workers === w), parse } });
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
    ),
  ).then((parts) => ({ ms: performance.now() - started, events: parts.reduce((n, p) => n + p.events, 0), bytesGz: parts.reduce((n, p) => n + p.bytes, 0) }));
}

/** read + gunzip + JSON.parse on `workers` threads. */
export function measureFloor(files: readonly string[], workers = 2): Promise<FloorResult> {
  return run(files, workers, true);
}

/** read + gunzip only. */
export function measureRead(files: readonly string[], workers = 2): Promise<FloorResult> {
  return run(files, workers, false);
}

if (!isMainThread && parentPort && (workerData as { floorFiles?: unknown } | null)?.floorFiles) {
  const { floorFiles, parse } = workerData as { floorFiles: string[]; parse: boolean };
  let events = 0;
  let bytes = 0;
  for (const f of floorFiles) {
    const gz = fs.readFileSync(f);
    bytes += gz.length;
    const raw = zlib.gunzipSync(gz);
    // Decoding UTF-8 into a string is part of parsing, not of reading (it costs about as much as gunzip).
    if (parse) events += (JSON.parse(raw.toString('utf8')) as { Records: unknown[] }).Records.length;
  }
  parentPort.postMessage({ events, bytes });
}
