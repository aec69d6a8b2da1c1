/** The bench's result and its text table: every figure beside the baseline it is compared with. */
import type { DuckResult } from './duckdb';
import type { FloorResult } from './floor';
import type { GenerateResult } from './generate';
import type { Latency } from './queries';

export interface BenchResult {
  readonly command: string;
  readonly host: { readonly cpus: number; readonly memGiB: number; readonly node: string; readonly load1: number };
  readonly archive: GenerateResult & { readonly dir: string; readonly generatedMs: number | null; readonly gzBytes: number };
  readonly read: { readonly ms: number };
  readonly floor: FloorResult;
  readonly import: {
    readonly ms: number;
    readonly loadMs: number;
    readonly queryableMs: number;
    readonly report: { readonly seen: number; readonly imported: number; readonly duplicates: number; readonly rejected: number; readonly files: number };
    readonly peakRss: number;
    readonly rssBase: number;
    readonly rssAfter: number;
    readonly stored: number;
  };
  readonly duckdb: DuckResult;
  readonly duckPeakRss: number | null;
  readonly queries: readonly Latency[];
  readonly save: { readonly ms: number; readonly bytes: number } | null;
  readonly reopen: { readonly ms: number; readonly peakRss: number; readonly queries: readonly Latency[] } | null;
  /** Every round's loads (the first is the run the other figures come from); see --rounds. */
  readonly rounds: readonly Round[];
  readonly problems: readonly string[];
}

/** One round of the three timed loads: the floor, Cairn's import (and its first count), DuckDB's load (null when skipped). */
export interface Round {
  readonly order: string;
  readonly floorMs: number;
  readonly importMs: number;
  readonly queryableMs: number;
  readonly duckMs: number | null;
  /** CPU time of every thread of the process during each load (the import's without its first count). */
  readonly floorCpuMs: number;
  readonly importCpuMs: number;
  readonly duckCpuMs: number | null;
}

const REOPEN_BUDGET_MS = 3000;

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const sec = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const msText = (ms: number): string => `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : int(ms)} ms`;
const mb = (b: number): string => (b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${(b / 1e6).toFixed(0)} MB`);
const ratio = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)}×`;

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

function importRows(r: BenchResult): string[][] {
  const n = r.import.report.imported;
  const floorRate = r.floor.events / (r.floor.ms / 1000);
  const rate = n / (r.import.queryableMs / 1000);
  const gzMB = r.archive.gzBytes / 1e6;
  const resident = r.import.rssAfter - r.import.rssBase;
  const rows: string[][] = [
    ['IMPORT', 'value', 'baseline (this run)', 'ratio'],
    ['read + gunzip, 2 workers', sec(r.read.ms), '', ''],
    ['floor: read + gunzip + JSON.parse, 2 workers', sec(r.floor.ms), '', '1.00'],
    ['Cairn import, files → indexed store', sec(r.import.ms), `floor ${sec(r.floor.ms)}`, `${ratio(r.import.ms / r.floor.ms)} floor`],
    ['  of which loading / indexes and finish', `${sec(r.import.loadMs)} / ${sec(r.import.ms - r.import.loadMs)}`, '', ''],
    ['  until a first count(*) over the events view answers', sec(r.import.queryableMs), `floor ${sec(r.floor.ms)}`, `${ratio(r.import.queryableMs / r.floor.ms)} floor`],
  ];
  const d = r.duckdb;
  if ('skipped' in d) rows.push(['DuckDB read_json → table', 'skipped', d.skipped, '']);
  else {
    // DuckDB's time is its load alone; Cairn's is given both ways: the import, and until the first count answers.
    rows.push([`DuckDB ${d.version} read_json (${d.mode}), ${d.threads} threads → table`, sec(d.ms), `Cairn ${sec(r.import.ms)} / ${sec(r.import.queryableMs)}`, `Cairn = ${ratio(r.import.ms / d.ms)} / ${ratio(r.import.queryableMs / d.ms)} DuckDB`]);
  }
  rows.push(
    ['events/s', int(rate), `floor ${int(floorRate)}/s`, `${ratio(rate / floorRate)} floor`],
    ['MB/s of gzip input', (gzMB / (r.import.queryableMs / 1000)).toFixed(1), `floor ${(gzMB / (r.floor.ms / 1000)).toFixed(1)}`, `${ratio(r.floor.ms / r.import.queryableMs)} floor`],
    ['peak RSS during import (whole process)', mb(r.import.peakRss), r.duckPeakRss === null ? '' : `DuckDB load ${mb(r.duckPeakRss)}`, r.duckPeakRss === null ? '' : `${ratio(r.import.peakRss / r.duckPeakRss)} DuckDB`],
    ['resident after import, per event', `${int(resident / Math.max(1, n))} B`, `JSON ${int(r.archive.rawBytes / Math.max(1, r.archive.records))} B, gzip ${int(r.archive.gzBytes / Math.max(1, r.archive.records))} B`, `${ratio(resident / Math.max(1, r.archive.rawBytes * (n / Math.max(1, r.archive.records))))} JSON`],
  );
  return rows;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Each round's ratios, taken within the round, and their medians. */
function roundRows(rounds: readonly Round[]): string[][] {
  const duck = rounds.every((x) => x.duckMs !== null);
  const rows: string[][] = [
    ['ROUNDS (ratios within each round)', 'floor', 'Cairn import / first count', 'DuckDB', 'import: floor, DuckDB', 'first count: floor, DuckDB', 'CPU-s: floor, Cairn, DuckDB', 'import CPU: floor, DuckDB'],
  ];
  const cpu = (ms: number | null): string => (ms === null ? '–' : (ms / 1000).toFixed(1));
  const pair = (a: number, b: number | null): string => (b === null ? '' : ratio(a / b));
  rounds.forEach((x, i) => {
    rows.push([
      `${i + 1}: ${x.order}`,
      sec(x.floorMs),
      `${sec(x.importMs)} / ${sec(x.queryableMs)}`,
      x.duckMs === null ? 'skipped' : sec(x.duckMs),
      [ratio(x.importMs / x.floorMs), pair(x.importMs, x.duckMs)].filter(Boolean).join(', '),
      [ratio(x.queryableMs / x.floorMs), pair(x.queryableMs, x.duckMs)].filter(Boolean).join(', '),
      [cpu(x.floorCpuMs), cpu(x.importCpuMs), cpu(x.duckCpuMs)].join(', '),
      [ratio(x.importCpuMs / x.floorCpuMs), pair(x.importCpuMs, x.duckCpuMs)].filter(Boolean).join(', '),
    ]);
  });
  const med = (f: (x: Round) => number): string => ratio(median(rounds.map(f)));
  rows.push([
    `median of ${rounds.length}`,
    sec(median(rounds.map((x) => x.floorMs))),
    `${sec(median(rounds.map((x) => x.importMs)))} / ${sec(median(rounds.map((x) => x.queryableMs)))}`,
    duck ? sec(median(rounds.map((x) => x.duckMs as number))) : '',
    [med((x) => x.importMs / x.floorMs), duck ? med((x) => x.importMs / (x.duckMs as number)) : ''].filter(Boolean).join(', '),
    [med((x) => x.queryableMs / x.floorMs), duck ? med((x) => x.queryableMs / (x.duckMs as number)) : ''].filter(Boolean).join(', '),
    [cpu(median(rounds.map((x) => x.floorCpuMs))), cpu(median(rounds.map((x) => x.importCpuMs))), duck ? cpu(median(rounds.map((x) => x.duckCpuMs as number))) : '–'].join(', '),
    [med((x) => x.importCpuMs / x.floorCpuMs), duck ? med((x) => x.importCpuMs / (x.duckCpuMs as number)) : ''].filter(Boolean).join(', '),
  ]);
  return rows;
}

function queryRows(r: BenchResult): string[][] {
  const rows: string[][] = [['QUERIES (median of 5; first run)', 'live store', 'reopened case', 'budget', 'live / budget']];
  const cell = (q: Latency | undefined): string => (!q ? '' : q.error ? `error: ${q.error}` : `${msText(q.medianMs)} (${msText(q.firstMs)})`);
  r.queries.forEach((q, i) => {
    rows.push([q.label, cell(q), cell(r.reopen?.queries[i]), msText(q.budgetMs), q.error ? '' : ratio(q.medianMs / q.budgetMs)]);
  });
  if (r.save && r.reopen) {
    rows.push(['save the case', sec(r.save.ms), mb(r.save.bytes), '', '']);
    rows.push(['reopen the case to its first screen', sec(r.reopen.ms), `peak RSS ${mb(r.reopen.peakRss)}`, sec(REOPEN_BUDGET_MS), ratio(r.reopen.ms / REOPEN_BUDGET_MS)]);
  } else {
    rows.push(['save and reopen the case', r.problems.some((p) => p.startsWith('save')) ? 'failed (see CHECKS)' : 'skipped (--skip-case)', '', sec(REOPEN_BUDGET_MS), '']);
  }
  return rows;
}

export function formatResult(r: BenchResult): string {
  const a = r.archive;
  const head = [
    `Cairn bench: ${int(a.events)} events (${int(a.records)} records, ${int(a.duplicates)} delivered twice) in ${int(a.files)} files, ${mb(a.gzBytes)} gzip, ${mb(a.rawBytes)} JSON`,
    `host: ${r.host.cpus} CPUs, ${r.host.memGiB.toFixed(0)} GiB, Node ${r.host.node}, load ${r.host.load1.toFixed(1)} at the end · ${r.command}`,
    a.generatedMs === null ? `archive reused: ${a.dir}` : `archive generated in ${sec(a.generatedMs)}: ${a.dir}`,
  ];
  const rep = r.import.report;
  const checks =
    r.problems.length === 0
      ? `CHECKS ok: ${int(rep.seen)} records seen = ${int(rep.imported)} imported + ${int(rep.duplicates)} duplicates + ${int(rep.rejected)} rejected; ${int(rep.files)} files`
      : `CHECKS FAILED:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`;
  const rounds = r.rounds.length > 1 ? `${table(roundRows(r.rounds))}\n\n` : '';
  return `${head.join('\n')}\n\n${table(importRows(r))}\n\n${rounds}${table(queryRows(r))}\n\n${checks}\n`;
}
