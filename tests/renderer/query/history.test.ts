// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_KEY, HISTORY_MAX, addToHistory, loadHistory, parseHistory, saveHistory } from '../../../renderer/panels/query/history';
import { csvFileName, columnWidths, expandedText, resultCsv } from '../../../renderer/panels/query/grid';
import { resultStatus } from '../../../renderer/panels/query/run';
import { moveCell } from '../../../renderer/panels/query/ResultGrid';

afterEach(() => window.localStorage.clear());

describe('query history', () => {
  it('puts the newest first, moves a repeated query up and keeps the last 50', () => {
    let h = addToHistory([], 'SELECT 1', 1);
    h = addToHistory(h, 'SELECT 2', 2);
    h = addToHistory(h, '  SELECT 1  ', 3);
    expect(h).toEqual([{ sql: 'SELECT 1', at: 3 }, { sql: 'SELECT 2', at: 2 }]);
    expect(addToHistory(h, '   ', 4)).toEqual(h);
    for (let i = 0; i < 80; i++) h = addToHistory(h, `SELECT ${i + 10}`, 10 + i);
    expect(h).toHaveLength(HISTORY_MAX);
    expect(h[0]?.sql).toBe('SELECT 89');
  });

  it('survives a reload through localStorage and ignores what it cannot trust', () => {
    saveHistory([{ sql: 'SELECT 1', at: 5 }]);
    expect(loadHistory()).toEqual([{ sql: 'SELECT 1', at: 5 }]);
    window.localStorage.setItem(HISTORY_KEY, '{not json');
    expect(loadHistory()).toEqual([]);
    expect(parseHistory(JSON.stringify([{ sql: 'ok', at: 1 }, { sql: 3, at: 1 }, { sql: '', at: 2 }, null, { sql: 'x', at: 'now' }]))).toEqual([{ sql: 'ok', at: 1 }]);
    expect(parseHistory(JSON.stringify({ sql: 'x' }))).toEqual([]);
  });
});

describe('result helpers', () => {
  it('sizes columns to their content, within bounds', () => {
    const w = columnWidths(['n', 'eventName', 'json'], [[1, 'GetObject', 'x'.repeat(5000)], [22, null, null]]);
    expect(w[0]).toBe(56);
    expect(w[1]).toBeGreaterThan(80);
    expect(w[2]).toBe(420);
  });

  it('writes CSV through shared/csv.ts: quoted, formulas neutralised, NULL empty', () => {
    expect(resultCsv(['a', 'b'], [['=cmd|calc', null], ['x,y', 3]])).toBe(`a,b\r\n'=cmd|calc,\r\n"x,y",3\r\n`);
    expect(csvFileName(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('cairn-query-20250102T030405.csv');
  });

  it('indents JSON in the cell viewer and leaves other text alone', () => {
    expect(expandedText('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(expandedText('[not json')).toBe('[not json');
    expect(expandedText(null)).toBe('NULL');
    expect(expandedText(42)).toBe('42');
  });

  it('moves the selected cell with the keys, inside the grid', () => {
    expect(moveCell(null, 'ArrowDown', 5, 3)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 0, col: 0 }, 'ArrowUp', 5, 3)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 1, col: 2 }, 'ArrowRight', 5, 3)).toEqual({ row: 1, col: 2 });
    expect(moveCell({ row: 1, col: 2 }, 'PageDown', 5, 3)).toEqual({ row: 4, col: 2 });
    expect(moveCell({ row: 1, col: 1 }, 'ArrowLeft', 5, 3)).toEqual({ row: 1, col: 0 });
    expect(moveCell({ row: 1, col: 1 }, 'a', 5, 3)).toBeNull();
    expect(moveCell(null, 'ArrowDown', 0, 3)).toBeNull();
  });

  it('says how many rows, whether capped, and how long', () => {
    expect(resultStatus({ columns: ['a'], rows: Array.from({ length: 500 }, () => [1]), truncated: true, elapsedMs: 12.4 })).toBe('500 rows (capped) in 12 ms');
    expect(resultStatus({ columns: ['a'], rows: [[1]], truncated: false, elapsedMs: 0.42 })).toBe('1 row in 0.4 ms');
  });
});
