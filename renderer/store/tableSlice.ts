import type { EventRow, Sort } from '../../shared/domain';
import type { SliceCreator } from './types';

export type ColumnId = Exclude<keyof EventRow, 'rowId' | 'eventTimeMs'> | 'eventTime';
export type Density = 'compact' | 'comfortable';
/** Widths the user dragged, in px; other columns keep their default. */
export type ColumnWidths = Readonly<Partial<Record<ColumnId, number>>>;
export const MIN_COLUMN_PX = 48;
export const MAX_COLUMN_PX = 1200;

export const DEFAULT_COLUMNS: readonly ColumnId[] = ['eventTime', 'eventName', 'eventSource', 'userIdentity_userName', 'userIdentity_arn', 'sourceIPAddress', 'awsRegion', 'errorCode', 'userAgent'];

export interface TableSlice {
  readonly sort: Sort;
  /** Visible columns in order; the first `pinned` stay in place when the table scrolls sideways. */
  readonly columns: readonly ColumnId[];
  readonly pinned: number;
  readonly density: Density;
  readonly widths: ColumnWidths;
  setSort(sort: Sort): void;
  setColumns(columns: readonly ColumnId[]): void;
  toggleColumn(id: ColumnId): void;
  moveColumn(id: ColumnId, delta: number): void;
  setPinned(n: number): void;
  setDensity(d: Density): void;
  setWidth(id: ColumnId, px: number): void;
}

export function moveItem<T>(list: readonly T[], item: T, delta: number): T[] {
  const i = list.indexOf(item);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  out.splice(i, 1);
  out.splice(j, 0, item);
  return out;
}

export const createTableSlice: SliceCreator<TableSlice> = (set) => ({
  sort: { field: 'eventTimeMs', dir: 'asc' },
  columns: DEFAULT_COLUMNS,
  pinned: 1,
  density: 'compact',
  widths: {},
  setSort: (sort) => set({ sort }),
  setColumns: (columns) => set((s) => ({ columns, pinned: Math.min(s.pinned, columns.length) })),
  toggleColumn: (id) =>
    set((s) => {
      const columns = s.columns.includes(id) ? s.columns.filter((c) => c !== id) : [...s.columns, id];
      return { columns, pinned: Math.min(s.pinned, columns.length) };
    }),
  moveColumn: (id, delta) => set((s) => ({ columns: moveItem(s.columns, id, delta) })),
  setPinned: (n) => set((s) => ({ pinned: Math.max(0, Math.min(n, s.columns.length)) })),
  setDensity: (density) => set({ density }),
  setWidth: (id, px) => set((s) => ({ widths: { ...s.widths, [id]: Math.round(Math.max(MIN_COLUMN_PX, Math.min(MAX_COLUMN_PX, px))) } })),
});
