/** The events table's columns: label, width, what they sort by and which filter field they feed. */
import type { EventRow, FilterField, SortField } from '../../../shared/domain';
import { compactValue, formatUtc, reveal } from '../../format';
import type { ColumnId, ColumnWidths } from '../../store/tableSlice';

export interface ColumnDef {
  readonly id: ColumnId;
  readonly label: string;
  readonly width: number;
  readonly sort?: SortField;
  readonly field?: FilterField;
  readonly mono?: boolean;
  /** Long values lose their middle rather than their end (ARNs: the name is at the end). */
  readonly middle?: boolean;
}

const DEFS: readonly ColumnDef[] = [
  { id: 'eventTime', label: 'Time (UTC)', width: 186, sort: 'eventTimeMs', mono: true },
  { id: 'eventName', label: 'Event name', width: 190, sort: 'eventName', field: 'eventName' },
  { id: 'eventSource', label: 'Event source', width: 170, sort: 'eventSource', field: 'eventSource' },
  { id: 'userIdentity_userName', label: 'User name', width: 130, sort: 'userIdentity_userName', field: 'userIdentity_userName' },
  { id: 'userIdentity_arn', label: 'Principal ARN', width: 300, sort: 'userIdentity_arn', field: 'userIdentity_arn', mono: true, middle: true },
  { id: 'sourceIPAddress', label: 'Source IP', width: 130, sort: 'sourceIPAddress', field: 'sourceIPAddress', mono: true },
  { id: 'awsRegion', label: 'Region', width: 110, sort: 'awsRegion', field: 'awsRegion' },
  { id: 'errorCode', label: 'Error code', width: 150, sort: 'errorCode', field: 'errorCode' },
  { id: 'userAgent', label: 'User agent', width: 260, sort: 'userAgent', field: 'userAgent' },
  { id: 'userIdentity_accessKeyId', label: 'Access key', width: 170, sort: 'userIdentity_accessKeyId', field: 'userIdentity_accessKeyId', mono: true },
  { id: 'userIdentity_type', label: 'Identity type', width: 120, sort: 'userIdentity_type', field: 'userIdentity_type' },
  { id: 'userIdentity_accountId', label: 'Identity account', width: 130, field: 'userIdentity_accountId', mono: true },
  { id: 'recipientAccountId', label: 'Account', width: 120, sort: 'recipientAccountId', field: 'recipientAccountId', mono: true },
  { id: 'eventType', label: 'Event type', width: 130, sort: 'eventType', field: 'eventType' },
  { id: 'readOnly', label: 'Read-only', width: 80, field: 'readOnly' },
  { id: 'errorMessage', label: 'Error message', width: 260 },
  { id: 'sessionIssuer_arn', label: 'Session issuer', width: 280, field: 'sessionIssuer_arn', mono: true, middle: true },
  { id: 'sourceIdentity', label: 'Source identity', width: 140, field: 'sourceIdentity' },
  { id: 'eventID', label: 'Event ID', width: 290, field: 'eventID', mono: true },
  { id: 'source_file', label: 'Source file', width: 320, mono: true },
  { id: 'source_index', label: '#', width: 60, mono: true },
];

export const COLUMN_DEFS: ReadonlyMap<ColumnId, ColumnDef> = new Map(DEFS.map((d) => [d.id, d]));
export const ALL_COLUMNS: readonly ColumnId[] = DEFS.map((d) => d.id);

export function columnDef(id: ColumnId): ColumnDef {
  const d = COLUMN_DEFS.get(id);
  if (!d) throw new Error(`unknown column ${id}`);
  return d;
}

/** The text a cell shows. Values are log data: always text, never markup. */
export function cellText(row: EventRow, id: ColumnId): string {
  if (id === 'eventTime') return formatUtc(row.eventTimeMs, true);
  if (id === 'readOnly') return row.readOnly === null ? '' : row.readOnly ? 'true' : 'false';
  const v = row[id];
  return v === null || v === undefined ? '' : reveal(String(v));
}

/** Monospace digits at 12px are about 7.2px wide; the cell has 16px of padding. */
const MONO_CHAR_PX = 7.3;

/** What a cell displays: the text, or for `middle` columns the text fitted to the column's width. */
export function cellDisplay(text: string, def: ColumnDef, widthPx = def.width): string {
  return def.middle && def.mono ? compactValue(text, Math.floor((widthPx - 16) / MONO_CHAR_PX)) : text;
}

export function widthOf(id: ColumnId, widths: ColumnWidths): number {
  return widths[id] ?? columnDef(id).width;
}

/** The filter value a cell stands for (what "filter to this" would use). */
export function cellFilterValue(row: EventRow, id: ColumnId): string | null {
  if (id === 'readOnly') return row.readOnly === null ? null : row.readOnly ? 'true' : 'false';
  if (id === 'eventTime') return null;
  const v = row[id];
  return v === null || v === undefined ? null : String(v);
}

/** Left offsets of the pinned columns (sticky positions). */
export function pinnedOffsets(columns: readonly ColumnId[], pinned: number, widths: ColumnWidths = {}): number[] {
  const out: number[] = [];
  let x = 0;
  for (let i = 0; i < pinned && i < columns.length; i++) {
    out.push(x);
    const id = columns[i];
    x += id ? widthOf(id, widths) : 0;
  }
  return out;
}
