/**
 * The bench's rounds (--rounds): each round's ratios are taken within the round, and the medians
 * are of those ratios, not ratios of medians of seconds measured at different times.
 */
import { describe, expect, it } from 'vitest';
import { type BenchResult, type Round, formatResult, median } from '../../bench/report';

function result(rounds: readonly Round[]): BenchResult {
  const first = rounds[0] as Round;
  return {
    command: 'npm run bench -- --rounds 3',
    host: { cpus: 2, memGiB: 24, node: 'v20', load1: 2 },
    archive: { files: 10, bytes: 1e6, events: 1000, records: 1001, duplicates: 1, rawBytes: 1e7, firstMs: 0, lastMs: 1, dir: '/tmp/a', generatedMs: null, gzBytes: 1e6 },
    read: { ms: 100 },
    floor: { ms: first.floorMs, events: 1001, bytesGz: 1e6 },
    import: {
      ms: first.importMs, loadMs: first.importMs / 2, queryableMs: first.queryableMs, report: { seen: 1001, imported: 1000, duplicates: 1, rejected: 0, files: 10 },
      peakRss: 1e9, rssBase: 1e8, rssAfter: 2e8, stored: 1000,
    },
    duckdb: first.duckMs === null ? { skipped: '--skip-duckdb' } : { ms: first.duckMs, rows: 1001, expectedRows: 1001, threads: 2, mode: 'schema', version: 'v1' },
    duckPeakRss: null,
    queries: [],
    save: null,
    reopen: null,
    rounds,
    problems: [],
  };
}

const line = (text: string, start: string): string => text.split('\n').find((l) => l.startsWith(start)) ?? '';

describe('the bench report of several rounds', () => {
  it('gives each round its ratios and the median of each ratio', () => {
    const rounds: Round[] = [
      { order: 'floor → cairn → duckdb', floorMs: 4000, importMs: 8000, queryableMs: 9000, duckMs: 6000, floorCpuMs: 7600, importCpuMs: 15200, duckCpuMs: 11400 },
      // A slow round: every load slower, the ratios alike.
      { order: 'cairn → duckdb → floor', floorMs: 6000, importMs: 12000, queryableMs: 13500, duckMs: 10000, floorCpuMs: 11000, importCpuMs: 23100, duckCpuMs: 22000 },
      { order: 'duckdb → floor → cairn', floorMs: 4000, importMs: 6000, queryableMs: 7000, duckMs: 7500, floorCpuMs: 8000, importCpuMs: 12000, duckCpuMs: 15000 },
    ];
    const text = formatResult(result(rounds));
    expect(line(text, '1: floor → cairn → duckdb')).toMatch(/2\.00×, 1\.33×\s+2\.25×, 1\.50×\s+7\.6, 15\.2, 11\.4\s+2\.00×, 1\.33×$/);
    expect(line(text, '3: duckdb → floor → cairn')).toMatch(/1\.50×, 0\.80×\s+1\.75×, 0\.93×\s+8\.0, 12\.0, 15\.0\s+1\.50×, 0\.80×$/);
    // Medians of the per-round ratios (import/DuckDB: 1.33, 1.20, 0.80 → 1.20), not 8000 / 7500;
    // of CPU (import/DuckDB: 1.33, 1.05, 0.80 → 1.05), not 15.2 / 15.0.
    expect(line(text, 'median of 3')).toMatch(/4\.00 s\s+8\.00 s \/ 9\.00 s\s+7\.50 s\s+2\.00×, 1\.20×\s+2\.25×, 1\.35×\s+8\.0, 15\.2, 15\.0\s+2\.00×, 1\.05×$/);
  });

  it('leaves DuckDB out when it was skipped, and shows no rounds table for one round', () => {
    const skipped: Round[] = [
      { order: 'floor → cairn → duckdb', floorMs: 4000, importMs: 8000, queryableMs: 9000, duckMs: null, floorCpuMs: 8000, importCpuMs: 16000, duckCpuMs: null },
      { order: 'cairn → duckdb → floor', floorMs: 4000, importMs: 10000, queryableMs: 11000, duckMs: null, floorCpuMs: 8000, importCpuMs: 20000, duckCpuMs: null },
    ];
    const text = formatResult(result(skipped));
    expect(line(text, '2: cairn → duckdb → floor')).toMatch(/skipped\s+2\.50×\s+2\.75×\s+8\.0, 20\.0, –\s+2\.50×$/);
    expect(line(text, 'median of 2')).toMatch(/2\.25×\s+2\.50×\s+8\.0, 18\.0, –\s+2\.25×$/);
    expect(formatResult(result(skipped.slice(0, 1)))).not.toContain('ROUNDS');
  });

  it('takes the median of an odd and an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
