import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../../shared/csv';
import type { Filter } from '../../../shared/domain';
import { EXPORT_COLUMNS } from '../../../electron/engine/query/export';
import { writeNewFile } from '../../../electron/engine/query/writeFile';
import { tmpDir } from '../../helpers/evidence';
import { type Fixture, N, makeFixture } from './fixture';

let fx: Fixture;
let out: string;
beforeAll(async () => {
  fx = await makeFixture();
  out = tmpDir('cairn-export-');
});
afterAll(() => fx.engine.close());

const FILTER: Filter = { clauses: [{ id: 'e', field: 'errorCode', values: [null], negate: true, enabled: true }] };
const SORT = { field: 'userAgent', dir: 'desc' } as const;
const VIEW_ORDER = 'WHERE errorCode IS NOT NULL ORDER BY userAgent DESC, rowId DESC';

describe('export:events', () => {
  it('writes csv: the view columns, escaped cells, filter and sort applied', async () => {
    const dest = path.join(out, 'events.csv');
    const r = await fx.value<{ path: string; rows: number }>('export:events', { filter: FILTER, sort: SORT, format: 'csv', path: dest });
    const expected = fx.engine.store.all(`SELECT ${EXPORT_COLUMNS.join(', ')} FROM events ${VIEW_ORDER}`);
    expect(r).toEqual({ path: dest, rows: expected.length });
    expect(expected.length).toBeGreaterThan(0);
    const text = fs.readFileSync(dest, 'utf8');
    expect(text).toBe([EXPORT_COLUMNS, ...expected.map((row) => EXPORT_COLUMNS.map((c) => row[c]))].map((cells) => `${csvRow(cells)}\r\n`).join(''));
    expect(text).toContain(",'=cmd|' /C calc'!A0,");
    expect(text).not.toMatch(/(^|,)=cmd/m);
  });

  it('writes json: one array of rows with eventTime', async () => {
    const dest = path.join(out, 'events.json');
    await fx.value('export:events', { filter: FILTER, sort: SORT, format: 'json', path: dest });
    const expected = fx.engine.store.all(`SELECT ${EXPORT_COLUMNS.join(', ')} FROM events ${VIEW_ORDER}`);
    const got = JSON.parse(fs.readFileSync(dest, 'utf8')) as Record<string, unknown>[];
    expect(got.map((o) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, o[c]])))).toEqual(expected);
  });

  it('writes jsonl: the original records, one per line; an empty result is an empty file', async () => {
    const dest = path.join(out, 'events.jsonl');
    await fx.value('export:events', { filter: FILTER, sort: SORT, format: 'jsonl', path: dest });
    const ids = fx.engine.store.all(`SELECT rowId FROM events ${VIEW_ORDER}`).map((r) => Number(r['rowId']));
    const lines = fs.readFileSync(dest, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(ids.map((id) => fx.engine.store.rawRecord(id)));
    const emptyDest = path.join(out, 'none.jsonl');
    const none = await fx.value<{ rows: number }>('export:events', { filter: { clauses: [], text: 'zz-nowhere-zz' }, sort: SORT, format: 'jsonl', path: emptyDest });
    expect(none.rows).toBe(0);
    expect(fs.readFileSync(emptyDest, 'utf8')).toBe('');
  });

  it('exports across many pages', async () => {
    const dest = path.join(out, 'all.json');
    const r = await fx.value<{ rows: number }>('export:events', { filter: { clauses: [] }, sort: { field: 'eventTimeMs', dir: 'asc' }, format: 'json', path: dest });
    expect(r.rows).toBe(N);
    expect((JSON.parse(fs.readFileSync(dest, 'utf8')) as unknown[]).length).toBe(N);
  });

  it('refuses to overwrite evidence or the case file, and leaves them untouched', async () => {
    const evidence = fx.files[0] as string;
    const before = fs.readFileSync(evidence);
    const refused = await fx.call('export:events', { filter: FILTER, sort: SORT, format: 'csv', path: evidence });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const viaDots = path.join(path.dirname(evidence), '..', path.basename(path.dirname(evidence)), path.basename(evidence));
    expect((await fx.call('export:events', { filter: FILTER, sort: SORT, format: 'csv', path: viaDots })).ok).toBe(false);
    expect(fs.readFileSync(evidence).equals(before)).toBe(true);
    const casePath = path.join(out, 'case.cairn');
    await fx.value('case:save', { path: casePath });
    expect(await fx.call('export:events', { filter: FILTER, sort: SORT, format: 'csv', path: casePath })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('reports an unwritable destination as io-error', async () => {
    const r = await fx.call('export:events', { filter: FILTER, sort: SORT, format: 'csv', path: path.join(out, 'no', 'such', 'dir', 'x.csv') });
    expect(r).toMatchObject({ ok: false, error: { code: 'io-error' } });
  });
});

describe('writeNewFile', () => {
  it('refuses a symbolic link or hard link to a protected file, and archive members', async () => {
    const dir = tmpDir('cairn-write-');
    const evidence = path.join(dir, 'log.json');
    fs.writeFileSync(evidence, 'EVIDENCE');
    const produce = async (w: (t: string) => Promise<void>): Promise<void> => w('x');
    fs.symlinkSync(evidence, path.join(dir, 'sym.json'));
    fs.linkSync(evidence, path.join(dir, 'hard.json'));
    await expect(writeNewFile(path.join(dir, 'sym.json'), [evidence], produce)).rejects.toThrow(/refusing/);
    await expect(writeNewFile(path.join(dir, 'hard.json'), [evidence], produce)).rejects.toThrow(/refusing/);
    fs.writeFileSync(path.join(dir, 'bundle.zip'), 'ZIP');
    await expect(writeNewFile(path.join(dir, 'bundle.zip'), [`${dir}/bundle.zip!/AWSLogs/x.json`], produce)).rejects.toThrow(/refusing/);
    await expect(writeNewFile(dir, [], produce)).rejects.toThrow(/directory/);
    expect(fs.readFileSync(evidence, 'utf8')).toBe('EVIDENCE');
    expect(fs.readFileSync(path.join(dir, 'bundle.zip'), 'utf8')).toBe('ZIP');
  });

  it('replaces an unprotected file only when complete, and leaves no temporary file on failure', async () => {
    const dir = tmpDir('cairn-write-');
    const dest = path.join(dir, 'out.txt');
    fs.writeFileSync(dest, 'OLD');
    await expect(
      writeNewFile(dest, [], async (w) => {
        await w('partial');
        throw new Error('disk on fire');
      }),
    ).rejects.toThrow(/disk on fire/);
    expect(fs.readFileSync(dest, 'utf8')).toBe('OLD');
    expect(fs.readdirSync(dir)).toEqual(['out.txt']);
    expect(await writeNewFile(dest, [], (w) => w('NEW'))).toBe(dest);
    expect(fs.readFileSync(dest, 'utf8')).toBe('NEW');
    expect(fs.readdirSync(dir)).toEqual(['out.txt']);
  });
});
