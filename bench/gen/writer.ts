/** Renders, gzips and writes a share of the layout's files (in a worker thread, or inline for small runs). */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileCount } from './layout';
import { type RenderEnv, filePath, renderFile } from './render';

export interface WriteTotals {
  files: number;
  bytes: number;
  rawBytes: number;
}

/** Writes files f = first, first + step, … ; calls `progress` every `every` files. */
export function writeFiles(env: RenderEnv, dir: string, first: number, step: number, progress?: (t: WriteTotals) => void, every = 200): WriteTotals {
  const totals: WriteTotals = { files: 0, bytes: 0, rawBytes: 0 };
  const made = new Set<string>();
  const n = fileCount(env.layout);
  for (let f = first; f < n; f += step) {
    const text = renderFile(env, f);
    const raw = Buffer.from(text, 'utf8');
    const gz = zlib.gzipSync(raw, { level: 6 });
    const file = path.join(dir, filePath(env, f));
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(file, gz);
    totals.files++;
    totals.bytes += gz.length;
    totals.rawBytes += raw.length;
    if (progress && totals.files % every === 0) progress({ ...totals });
  }
  return totals;
}
