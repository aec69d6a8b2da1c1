/**
 * `npm run bench`: generates (or reuses) a synthetic archive, measures the machine's floor and DuckDB
 * in the same run, imports with Cairn, and times the UI's queries. Figures are reported as ratios of
 * baselines measured in this run, because the machines are noisy.
 *
 *   npm run bench -- [--events N] [--dir D] [--skip-duckdb] [--json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../electron/engine/engine';
import { measureDuckDb, type DuckResult } from './duckdb';
import { listFiles, measureFloor, measureRead } from './floor';
import { generateArchive } from './generate';

const ROOT = path.resolve(__dirname, '..', '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(fn: () => unknown, runs = 5): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

class RssSampler {
  peak = process.memoryUsage().rss;
  private timer = setInterval(() => {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }, 100);
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}

async function archive(dir: string, events: number): Promise<{ files: string[]; gzBytes: number }> {
  const manifest = path.join(dir, 'manifest.json');
  const want = JSON.stringify({ events, generator: 2 });
  if (!fs.existsSync(manifest) || fs.readFileSync(manifest, 'utf8') !== want) {
    fs.rmSync(dir, { recursive: true, force: true });
    const t = performance.now();
    const g = await generateArchive({ dir, events });
    fs.writeFileSync(manifest, want);
    process.stderr.write(`generated ${g.events} events in ${g.files} files (${(g.bytes / 1e6).toFixed(0)} MB gzip) in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const files = listFiles(dir);
  return { files, gzBytes: files.reduce((n, f) => n + fs.statSync(f).size, 0) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string' }, dir: { type: 'string' }, 'skip-duckdb': { type: 'boolean' }, json: { type: 'boolean' } } });
  const events = Number(values.events ?? 1_000_000);
  if (!(events > 0)) throw new Error('--events must be positive');
  const dir = path.resolve(values.dir ?? path.join(ROOT, '.bench', String(events)));
  const log = (s: string): boolean => process.stderr.write(`${s}\n`);

  const { files, gzBytes } = await archive(dir, events);
  log(`archive: ${files.length} files, ${(gzBytes / 1e6).toFixed(1)} MB gzip`);
  const read = await measureRead(files);
  const floor = await measureFloor(files);
  log(`floor (read + gunzip + JSON.parse, 2 workers): ${(floor.ms / 1000).toFixed(2)} s for ${floor.events} records`);
  const duck: DuckResult = values['skip-duckdb'] ? { skipped: '--skip-duckdb' } : await measureDuckDb(dir);
  log('skipped' in duck ? `DuckDB: skipped (${duck.skipped})` : `DuckDB read_json: ${(duck.ms / 1000).toFixed(2)} s for ${duck.rows} rows`);

  const rssBefore = process.memoryUsage().rss;
  const sampler = new RssSampler();
  const engine = await Engine.create();
  const t0 = performance.now();
  let indexingAt = 0;
  const report = await engine.importPaths([path.join(dir, 'AWSLogs')], {
    onProgress: (p) => {
      if (p.phase === 'indexing' && indexingAt === 0) indexingAt = performance.now();
    },
  });
  const importMs = performance.now() - t0;
  const peakRss = sampler.stop();
  log(`cairn import: ${(importMs / 1000).toFixed(2)} s (load ${((indexingAt - t0) / 1000).toFixed(2)} s, indexes ${((performance.now() - indexingAt) / 1000).toFixed(2)} s)`);

  const st = engine.store;
  const n = st.scalar('SELECT count(*) FROM ev');
  const first = st.scalar('SELECT min(t) FROM ev');
  const someId = st.scalar('SELECT id FROM ev WHERE id % 7919 = 0 LIMIT 1') || 1;
  const queries = {
    histogramPerMinute: time(() => st.all('SELECT (t - ?) / 60000 AS b, count(*) AS n FROM ev GROUP BY b', [first])),
    topEventNames: time(() => st.all('SELECT name, count(*) AS c FROM ev GROUP BY name ORDER BY c DESC LIMIT 10')),
    pageOf100AtMiddle: time(() => st.all('SELECT e.* FROM events e JOIN (SELECT id FROM ev ORDER BY t LIMIT 100 OFFSET ?) p ON p.id = e.rowId', [Math.floor(n / 2)])),
    eventByRowId: time(() => st.rawRecord(someId)),
    eventByEventId: time(() => st.get('SELECT rowId FROM events WHERE eventID = (SELECT event_id FROM ev WHERE id = ?)', [someId])),
  };
  const caseFile = path.join(os.tmpdir(), `cairn-bench-${process.pid}.cairn`);
  let t = performance.now();
  const saved = await engine.saveCase(caseFile);
  const saveMs = performance.now() - t;
  engine.close();
  t = performance.now();
  const reopened = await Engine.open(caseFile);
  reopened.summary();
  const reopenMs = performance.now() - t;
  reopened.close();
  fs.rmSync(caseFile, { force: true });

  const result = {
    events: report.records.imported,
    recordsSeen: report.records.seen,
    files: files.length,
    gzipMB: gzBytes / 1e6,
    readGunzipMs: read.ms,
    floorMs: floor.ms,
    duckdb: duck,
    importMs,
    eventsPerSec: report.records.imported / (importMs / 1000),
    gzipMBps: gzBytes / 1e6 / (importMs / 1000),
    ratioToFloor: importMs / floor.ms,
    ratioToDuckDb: 'ms' in duck ? importMs / duck.ms : null,
    timeToQueryableMs: importMs,
    peakRssMB: peakRss / 1e6,
    residentBytesPerEvent: (peakRss - rssBefore) / Math.max(1, report.records.imported),
    queriesMs: queries,
    saveMs,
    caseMB: saved.bytes / 1e6,
    reopenMs,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
    return;
  }
  const f = (x: number): string => x.toFixed(x < 10 ? 2 : 0);
  const lines = [
    `events imported         ${result.events} of ${result.recordsSeen} records (${files.length} files, ${f(result.gzipMB)} MB gzip)`,
    `read + gunzip           ${f(read.ms / 1000)} s`,
    `floor (parse, 2 cores)  ${f(floor.ms / 1000)} s`,
    `DuckDB read_json        ${'ms' in duck ? `${f(duck.ms / 1000)} s` : `skipped: ${duck.skipped}`}`,
    `Cairn import            ${f(importMs / 1000)} s = ${f(result.ratioToFloor)}x floor${result.ratioToDuckDb === null ? '' : `, ${f(result.ratioToDuckDb)}x DuckDB`}`,
    `  events/s              ${f(result.eventsPerSec)}`,
    `  MB/s of gzip input    ${f(result.gzipMBps)}`,
    `  peak RSS              ${f(result.peakRssMB)} MB (${f(result.residentBytesPerEvent)} bytes/event)`,
    `queries (median of 5)   histogram/min ${f(queries.histogramPerMinute)} ms, top-10 ${f(queries.topEventNames)} ms, page of 100 at the middle ${f(queries.pageOf100AtMiddle)} ms, record by row ${f(queries.eventByRowId)} ms, by eventID ${f(queries.eventByEventId)} ms`,
    `case                    ${f(result.caseMB)} MB, save ${f(saveMs / 1000)} s, reopen ${f(reopenMs / 1000)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
