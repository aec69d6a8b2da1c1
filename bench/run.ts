/**
 * `npm run bench`: generates (or reuses) a synthetic archive, measures the machine's floor in the same
 * run, imports with Cairn, times the UI's queries, saves and reopens the case, and (when installed)
 * loads the same files into DuckDB. Every figure is reported next to a baseline from this run, as a
 * ratio, because the machines are shared and noisy.
 *
 *   npm run bench -- [--events N] [--dir D] [--seed S] [--records-per-file R] [--skip-duckdb]
 *                    [--duckdb-mode schema|auto] [--skip-case] [--rounds N] [--json]
 *
 * --skip-case leaves out saving and reopening the case (minutes at 10M events).
 * --rounds N measures the floor, Cairn's import and DuckDB's load N times in all, in a rotating
 * order, and reports each round's ratios and their medians: on these shared machines one round's
 * ratio to DuckDB has come out anywhere between 0.93× and 1.34× for the same code. Each further
 * import runs in a process of its own, as the first does.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../electron/engine/engine';
import type { ImportReport } from '../shared/domain';
import { type DuckMode, type DuckResult, measureDuckDb } from './duckdb';
import { listFiles, measureFloor, measureRead } from './floor';
import { type GenerateOptions, type Manifest, generateArchive, manifestMatches, readManifest } from './generate';
import { type Latency, runQueries } from './queries';
import { type BenchResult, type Round, formatResult } from './report';
import { collectGarbage } from '../electron/engine/store/memory';
import { RssSampler } from './rss';
import { projectRoot } from './scripts';

/** CPU time of this whole process (every thread), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The argument that makes this script a further round's import (importInChild). */
const CHILD_IMPORT = '--child-import';

const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

const gc = collectGarbage;

function settledRss(): number {
  gc();
  gc();
  return process.memoryUsage.rss();
}

async function archive(opts: GenerateOptions): Promise<{ manifest: Manifest; generatedMs: number | null }> {
  const existing = readManifest(opts.dir);
  if (existing && manifestMatches(existing, opts)) {
    log(`archive: reusing ${opts.dir} (${existing.result.files} files)`);
    return { manifest: existing, generatedMs: null };
  }
  log(`archive: generating ${opts.events} events in ${opts.dir}`);
  let last = 0;
  const result = await generateArchive({
    ...opts,
    onProgress: (p) => {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      log(`  ${p.files}/${p.filesTotal} files, ${(p.bytes / 1e6).toFixed(0)} MB`);
    },
  });
  const manifest = readManifest(opts.dir);
  if (!manifest) throw new Error(`the generator wrote no manifest in ${opts.dir}`);
  log(`archive: ${result.events} events (${result.duplicates} delivered twice) in ${result.files} files, ${(result.bytes / 1e6).toFixed(0)} MB gzip, ${(result.ms / 1000).toFixed(1)} s`);
  return { manifest, generatedMs: result.ms };
}

async function importArchive(dir: string, sampler: RssSampler): Promise<{ engine: Engine; report: ImportReport; importMs: number; importCpuMs: number; loadMs: number; queryableMs: number; peakRss: number; rssBase: number; rssAfter: number }> {
  const rssBase = settledRss();
  sampler.reset();
  const engine = await Engine.create();
  const c0 = cpuMs();
  const t0 = performance.now();
  let indexingAt = 0;
  let lastLog = 0;
  const report = await engine.importPaths([path.join(dir, 'AWSLogs')], {
    onProgress: (p) => {
      if (p.phase === 'indexing' && indexingAt === 0) indexingAt = performance.now();
      if (Date.now() - lastLog < 5000) return;
      lastLog = Date.now();
      log(`  import: ${p.records} records, ${p.filesDone} files, ${(p.bytesRead / 1e6).toFixed(0)} MB, ${p.phase}`);
    },
  });
  const importMs = performance.now() - t0;
  const importCpuMs = cpuMs() - c0;
  engine.store.scalar('SELECT count(*) FROM events');
  const queryableMs = performance.now() - t0;
  const peakRss = sampler.peakBytes();
  const rssAfter = settledRss();
  return { engine, report, importMs, importCpuMs, loadMs: (indexingAt || t0 + importMs) - t0, queryableMs, peakRss, rssBase, rssAfter };
}

/** Everything an import must account for: nothing dropped silently. */
function reconcile(m: Manifest, report: ImportReport, stored: number, files: number): string[] {
  const problems: string[] = [];
  const r = m.result;
  if (report.records.seen !== r.records) problems.push(`records seen ${report.records.seen}, written ${r.records}`);
  if (report.records.imported !== r.events) problems.push(`imported ${report.records.imported}, distinct events ${r.events}`);
  if (report.records.duplicates !== r.duplicates) problems.push(`duplicates ${report.records.duplicates}, delivered twice ${r.duplicates}`);
  if (report.records.rejected !== 0) problems.push(`${report.records.rejected} records rejected`);
  if (stored !== report.records.imported) problems.push(`ev holds ${stored} rows, report says ${report.records.imported}`);
  if (report.files.imported !== files) problems.push(`files imported ${report.files.imported} of ${files}`);
  return problems;
}

type Saved = { saveMs: number; caseBytes: number; reopenMs: number; reopenPeakRss: number; reopened: Latency[] } | { error: string };

/** Saves the case, closes the engine, reopens the file and runs the queries again. Failures are reported, not fatal. */
async function saveAndReopen(engine: Engine, sampler: RssSampler): Promise<Saved> {
  const caseFile = path.join(os.tmpdir(), `cairn-bench-${process.pid}.cairn`);
  try {
    let t = performance.now();
    const saved = await engine.saveCase(caseFile);
    const saveMs = performance.now() - t;
    engine.close();
    settledRss();
    sampler.reset();
    t = performance.now();
    const reopened = await Engine.open(caseFile);
    const reopenMs = performance.now() - t;
    const reopenPeakRss = sampler.peakBytes();
    const latencies = await runQueries(reopened);
    reopened.close();
    return { saveMs, caseBytes: saved.bytes, reopenMs, reopenPeakRss, reopened: latencies };
  } catch (e) {
    engine.close();
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    fs.rmSync(caseFile, { force: true });
  }
}

/**
 * One import in a process of its own, as the first round's is and as `cairn import` runs: in this
 * process the main thread's code would already be optimised by the rounds before.
 */
function importInChild(dir: string): Promise<{ importMs: number; queryableMs: number; cpuMs: number; imported: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, CHILD_IMPORT, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the import of a further round exited with code ${code}`));
      try {
        resolve(JSON.parse(out) as { importMs: number; queryableMs: number; cpuMs: number; imported: number });
      } catch {
        reject(new Error(`the import of a further round printed no result: ${out.slice(0, 200)}`));
      }
    });
  });
}

/** The child's part of importInChild: times an import of `dir` and its first count, prints them. */
async function childImport(dir: string): Promise<void> {
  const engine = await Engine.create();
  const c0 = cpuMs();
  const t0 = performance.now();
  const report = await engine.importPaths([path.join(dir, 'AWSLogs')]);
  const importMs = performance.now() - t0;
  const importCpuMs = cpuMs() - c0;
  engine.store.scalar('SELECT count(*) FROM events');
  const queryableMs = performance.now() - t0;
  engine.close();
  process.stdout.write(JSON.stringify({ importMs, queryableMs, cpuMs: importCpuMs, imported: report.records.imported }));
}

/** The three timed loads of a further round, in the order given. */
type Step = 'floor' | 'cairn' | 'duckdb';

/**
 * A further round. Each load is checked as the first round's are (a load that does less work would
 * make its ratio a false one): what does not add up goes into `problems`.
 */
async function round(files: readonly string[], dir: string, order: readonly Step[], expect: { skipDuck: boolean; mode: DuckMode; records: number; events: number }, problems: string[]): Promise<Round> {
  let floorMs = 0;
  let floorCpuMs = 0;
  let importMs = 0;
  let queryableMs = 0;
  let importCpuMs = 0;
  let duckMs: number | null = null;
  let duckCpuMs: number | null = null;
  for (const step of order) {
    settledRss();
    const c0 = cpuMs();
    const label = `round ${order.join(' → ')}`;
    if (step === 'floor') {
      const floor = await measureFloor(files);
      floorMs = floor.ms;
      floorCpuMs = cpuMs() - c0;
      if (floor.events !== expect.records) problems.push(`${label}: the floor parsed ${floor.events} records of ${expect.records}`);
    } else if (step === 'cairn') {
      const child = await importInChild(dir);
      ({ importMs, queryableMs, cpuMs: importCpuMs } = child);
      if (child.imported !== expect.events) problems.push(`${label}: Cairn imported ${child.imported} events of ${expect.events}`);
    } else if (!expect.skipDuck) {
      const d = await measureDuckDb(dir, { mode: expect.mode, expectedRows: expect.records });
      if ('rows' in d && d.rows !== expect.records) problems.push(`${label}: DuckDB loaded ${d.rows} rows of ${expect.records}`);
      if ('ms' in d) {
        duckMs = d.ms;
        duckCpuMs = cpuMs() - c0;
      }
    }
  }
  return { order: order.join(' → '), floorMs, importMs, queryableMs, duckMs, floorCpuMs, importCpuMs, duckCpuMs };
}

function parse(): { gen: GenerateOptions; skipDuckDb: boolean; duckMode: DuckMode; skipCase: boolean; json: boolean; rounds: number } {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' }, dir: { type: 'string' }, seed: { type: 'string' }, 'records-per-file': { type: 'string' },
      'skip-duckdb': { type: 'boolean' }, 'duckdb-mode': { type: 'string' }, 'skip-case': { type: 'boolean' }, json: { type: 'boolean' }, rounds: { type: 'string' },
    },
  });
  const events = Number(values.events ?? 1_000_000);
  if (!Number.isInteger(events) || events <= 0) throw new Error('--events must be a positive integer');
  const mode = values['duckdb-mode'] ?? 'schema';
  if (mode !== 'schema' && mode !== 'auto') throw new Error('--duckdb-mode is schema or auto');
  const rounds = Number(values.rounds ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  return {
    gen: { dir: path.resolve(values.dir ?? path.join(projectRoot(), '.bench', String(events))), events, seed: num(values.seed), recordsPerFile: num(values['records-per-file']) },
    skipDuckDb: values['skip-duckdb'] === true,
    duckMode: mode,
    skipCase: values['skip-case'] === true,
    json: values.json === true,
    rounds,
  };
}

async function main(): Promise<void> {
  const args = parse();
  const sampler = new RssSampler();
  const { manifest, generatedMs } = await archive(args.gen);
  const dir = args.gen.dir;
  const files = listFiles(path.join(dir, 'AWSLogs'));
  const gzBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);

  const read = await measureRead(files);
  log(`read + gunzip: ${(read.ms / 1000).toFixed(2)} s`);
  const floorCpu0 = cpuMs();
  const floor = await measureFloor(files);
  const floorCpuMs = cpuMs() - floorCpu0;
  log(`floor (read + gunzip + JSON.parse, 2 workers): ${(floor.ms / 1000).toFixed(2)} s, ${floor.events} records`);

  const imp = await importArchive(dir, sampler);
  log(`cairn import: ${(imp.importMs / 1000).toFixed(2)} s`);
  const stored = imp.engine.store.scalar('SELECT count(*) FROM ev');
  const problems = reconcile(manifest, imp.report, stored, files.length);
  if (floor.events !== manifest.result.records) problems.push(`the floor parsed ${floor.events} records of ${manifest.result.records}`);
  const live = await runQueries(imp.engine);
  let saved: Saved | null = null;
  if (args.skipCase) imp.engine.close();
  else saved = await saveAndReopen(imp.engine, sampler);
  if (saved && 'error' in saved) problems.push(`save or reopen failed: ${saved.error}`);

  settledRss();
  sampler.reset();
  const duckCpu0 = cpuMs();
  const duck: DuckResult = args.skipDuckDb ? { skipped: '--skip-duckdb' } : await measureDuckDb(dir, { mode: args.duckMode, expectedRows: manifest.result.records });
  const duckCpuMs = cpuMs() - duckCpu0;
  const duckPeakRss = sampler.peakBytes();
  if ('rows' in duck && duck.rows !== manifest.result.records) problems.push(`DuckDB loaded ${duck.rows} rows of ${manifest.result.records}`);
  await sampler.stop();

  // Round 1 is the run above; each further round measures the three loads again, in a rotating order.
  const rounds: Round[] = [
    {
      order: 'floor → cairn → duckdb', floorMs: floor.ms, importMs: imp.importMs, queryableMs: imp.queryableMs, duckMs: 'ms' in duck ? duck.ms : null,
      floorCpuMs, importCpuMs: imp.importCpuMs, duckCpuMs: 'ms' in duck ? duckCpuMs : null,
    },
  ];
  const steps: Step[] = ['floor', 'cairn', 'duckdb'];
  for (let k = 1; k < args.rounds; k++) {
    const order = [...steps.slice(k % 3), ...steps.slice(0, k % 3)];
    log(`round ${k + 1} of ${args.rounds}: ${order.join(' → ')}`);
    rounds.push(await round(files, dir, order, { skipDuck: 'skipped' in duck, mode: args.duckMode, records: manifest.result.records, events: manifest.result.events }, problems));
  }

  const result: BenchResult = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    host: { cpus: os.availableParallelism(), memGiB: os.totalmem() / 2 ** 30, node: process.version, load1: os.loadavg()[0] ?? 0 },
    archive: { ...manifest.result, dir, generatedMs, gzBytes },
    read: { ms: read.ms },
    floor,
    import: {
      ms: imp.importMs, loadMs: imp.loadMs, queryableMs: imp.queryableMs, report: { ...imp.report.records, files: imp.report.files.imported },
      peakRss: imp.peakRss, rssBase: imp.rssBase, rssAfter: imp.rssAfter, stored,
    },
    duckdb: duck,
    duckPeakRss: 'skipped' in duck ? null : duckPeakRss,
    queries: live,
    save: !saved || 'error' in saved ? null : { ms: saved.saveMs, bytes: saved.caseBytes },
    reopen: !saved || 'error' in saved ? null : { ms: saved.reopenMs, peakRss: saved.reopenPeakRss, queries: saved.reopened },
    rounds,
    problems,
  };
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 1)}\n` : formatResult(result));
  if (problems.length > 0) process.exitCode = 2;
}

const child = process.argv.indexOf(CHILD_IMPORT);
(child >= 0 ? childImport(process.argv[child + 1] ?? '') : main()).catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
