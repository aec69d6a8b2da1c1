import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelope, gz, record, tmpDir, write } from '../helpers/evidence';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'cairn.js');

function cairn(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cairn command line', () => {
  const dir = tmpDir();
  write(dir, 'ev/a.json.gz', gz(envelope([record({ eventName: 'One' }), record({ eventName: '=HYPERLINK("http://x")' })])));
  write(dir, 'ev/bad.json', envelope([record({ eventTime: 'nope' })]));
  write(dir, 'ev/readme.txt', 'hello');
  const caseFile = path.join(dir, 'c.cairn');

  it('imports with a JSON report of the documented shape, exit 0 even with rejects', () => {
    const r = cairn('import', path.join(dir, 'ev'), '--case', caseFile, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['files', 'records', 'rejects', 'timeRange', 'elapsedMs']));
    expect(report['files']).toMatchObject({ seen: 3, imported: 2, skipped: [{ path: path.join(dir, 'ev', 'readme.txt'), reason: 'not JSON (no object or array found)' }] });
    expect(report['records']).toMatchObject({ seen: 3, imported: 2, duplicates: 0, rejected: 1 });
    expect(report['rejects']).toEqual([{ path: path.join(dir, 'ev', 'bad.json'), index: 0, reason: 'eventTime is not a time: nope' }]);
    expect(report['timeRange']).toEqual({ first: expect.stringMatching(/^2024-/), last: expect.stringMatching(/^2024-/) });
    expect(typeof report['elapsedMs']).toBe('number');
    expect(r.stderr).toMatch(/imported 2 of 3 records/);
  });

  it('queries in every format, escaping formulas in CSV', () => {
    const sql = 'SELECT eventName FROM events ORDER BY eventName';
    expect(cairn('query', caseFile, sql, '--format', 'json').stdout).toBe(`${JSON.stringify([{ eventName: '=HYPERLINK("http://x")' }, { eventName: 'One' }], null, 1)}\n`);
    expect(cairn('query', caseFile, sql, '--format', 'jsonl').stdout).toBe('{"eventName":"=HYPERLINK(\\"http://x\\")"}\n{"eventName":"One"}\n');
    expect(cairn('query', caseFile, sql, '--format', 'csv').stdout).toBe('eventName\r\n"\'=HYPERLINK(""http://x"")"\r\nOne\r\n');
    expect(cairn('query', caseFile, sql).stdout).toMatch(/^eventName\s*\n-+\n=HYPERLINK\("http:\/\/x"\)\nOne\n\(2 rows/);
  });

  it('refuses writes and reports bad SQL with exit 1', () => {
    const w = cairn('query', caseFile, 'DELETE FROM ev');
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/read-only/);
    expect(cairn('query', caseFile, 'SELECT nope FROM events').stderr).toMatch(/no such column: nope/);
    expect(cairn('query', caseFile, 'SELECT count(*) AS n FROM events', '--format', 'json').stdout).toContain('"n": 2');
  });

  it('describes a case', () => {
    const r = cairn('info', caseFile, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ events: 2, sources: 3, rejects: 1, accounts: [{ value: '111122223333', count: 2 }] });
  });

  it('exits non-zero with a message when it cannot run, 2 for bad usage', () => {
    expect(cairn('import', path.join(dir, 'missing'), '--case', caseFile)).toMatchObject({ code: 1, stderr: expect.stringMatching(/evidence not found/) });
    expect(cairn('import', path.join(dir, 'ev'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/--case/) });
    expect(cairn('query', path.join(dir, 'nope.cairn'), 'SELECT 1')).toMatchObject({ code: 1, stderr: expect.stringMatching(/case not found/) });
    expect(cairn('frobnicate')).toMatchObject({ code: 2 });
    expect(cairn('query', caseFile, 'SELECT 1', '--format', 'xml')).toMatchObject({ code: 2 });
  });

  it('has --help on every command', () => {
    for (const cmd of [[], ['import'], ['query'], ['info']]) {
      const r = cairn(...cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: cairn/);
    }
  });
});
