/** Pure helpers of the result grid: cell text, column widths sized to content, CSV of a result. */
import { csvRow } from '../../../shared/csv';

export type Cell = string | number | null;

export const NULL_TEXT = 'NULL';
/** Widths are estimated from text length: monospace 12px is ~7.3 px a character. */
const CHAR_PX = 7.3;
const PAD_PX = 18;
const MIN_PX = 56;
const MAX_PX = 420;
/** Enough rows to find the widest values without measuring every row of a 10,000-row result. */
const SAMPLE_ROWS = 300;
/** A title attribute with a megabyte of JSON helps nobody; the cell viewer shows everything. */
const TITLE_MAX = 1000;

export function cellText(v: Cell): string {
  return v === null ? NULL_TEXT : typeof v === 'number' ? String(v) : v;
}

export function cellTitle(v: Cell): string {
  const t = cellText(v);
  return t.length > TITLE_MAX ? `${t.slice(0, TITLE_MAX)}… (${t.length.toLocaleString('en-US')} characters: select the cell to see all)` : t;
}

/** The cell viewer's text: JSON objects and arrays (the record's JSON columns) indented, the rest as is. */
export function expandedText(v: Cell): string {
  const t = cellText(v);
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return t;
  try {
    return JSON.stringify(JSON.parse(v), null, 2);
  } catch {
    // Not JSON after all (text that starts with a bracket): shown as it is.
    return t;
  }
}

export function columnWidths(columns: readonly string[], rows: readonly (readonly Cell[])[]): number[] {
  const sample = rows.slice(0, SAMPLE_ROWS);
  return columns.map((name, i) => {
    let chars = name.length + 1;
    for (const r of sample) chars = Math.max(chars, cellText(r[i] ?? null).length);
    return Math.round(Math.min(MAX_PX, Math.max(MIN_PX, chars * CHAR_PX + PAD_PX)));
  });
}

/** CSV with a header row; every cell goes through shared/csv.ts (quoting, formula neutralising). */
export function resultCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [csvRow(columns), ...rows.map((r) => csvRow(r))].join('\r\n') + '\r\n';
}

export function csvFileName(now: Date): string {
  const iso = now.toISOString().replace(/\.\d+Z$/, '').replaceAll(':', '').replaceAll('-', '');
  return `cairn-query-${iso}.csv`;
}
