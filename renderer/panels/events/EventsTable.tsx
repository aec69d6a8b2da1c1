import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { EventRow, Sort } from '../../../shared/domain';
import type { ColumnId, ColumnWidths, Density } from '../../store/tableSlice';
import { pinnedOffsets, widthOf } from './columns';
import { TableHeader, TableRow, type CellStyle } from './TableParts';

export interface EventsTableProps {
  readonly columns: readonly ColumnId[];
  readonly pinned: number;
  readonly density: Density;
  readonly widths: ColumnWidths;
  readonly sort: Sort;
  /** The window of rows shown (see pages.ts): global index of its first row, and its length. */
  readonly base: number;
  readonly count: number;
  /** Rows in the whole result. */
  readonly total: number;
  readonly stale: boolean;
  /** Window-local index of the selected row. */
  readonly selectedIndex: number | null;
  /** Changes when the rows change meaning (filter, sort): the table scrolls back to the top. */
  readonly resetKey: string;
  row(index: number): EventRow | undefined;
  onSort(column: ColumnId): void;
  onResize(column: ColumnId, px: number): void;
  onCellFilter(column: ColumnId, row: EventRow, exclude: boolean): void;
  onSelect(index: number, open: boolean): void;
  onVisible(first: number, last: number): void;
  onKey(e: KeyboardEvent<HTMLDivElement>): void;
}

const ROW_PX: Record<Density, number> = { compact: 22, comfortable: 30 };
const HEADER_PX = 28;

export function EventsTable(p: EventsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const rowPx = ROW_PX[p.density];
  const v = useVirtualizer({ count: p.count, getScrollElement: () => scroller.current, estimateSize: () => rowPx, overscan: 12, scrollPaddingStart: HEADER_PX });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const { onVisible } = p;

  // While the window slides, the virtualizer's rows still describe the old scroll position: reports
  // and scrolls wait until it has seen the adjusted one (`settled` re-runs them).
  const sliding = useRef(false);
  const [settled, setSettled] = useState(0);
  useEffect(() => {
    if (!sliding.current) onVisible(first, last);
  }, [first, last, onVisible, settled]);
  useEffect(() => {
    v.measure();
  }, [rowPx, v]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [p.resetKey]);
  // When the window slides, keep the same rows under the viewport.
  const lastBase = useRef(p.base);
  useLayoutEffect(() => {
    const el = scroller.current;
    const shift = lastBase.current - p.base;
    lastBase.current = p.base;
    if (!el || shift === 0) return;
    sliding.current = true;
    const done = (): void => {
      if (!sliding.current) return;
      sliding.current = false;
      setSettled((n) => n + 1);
    };
    el.addEventListener('scroll', done, { once: true });
    // No scroll event comes when the position did not change (clamped at an end).
    const timer = setTimeout(done, 150);
    el.scrollTop += shift * rowPx;
    return () => {
      el.removeEventListener('scroll', done);
      clearTimeout(timer);
    };
  }, [p.base, rowPx]);
  useEffect(() => {
    if (p.selectedIndex !== null && !sliding.current) v.scrollToIndex(p.selectedIndex, { align: 'auto' });
  }, [p.selectedIndex, v, settled]);

  const offsets = pinnedOffsets(p.columns, p.pinned, p.widths);
  const width = p.columns.reduce((w, c) => w + widthOf(c, p.widths), 0);
  const cellStyle: CellStyle = (i, id) => {
    const left = offsets[i];
    const w = widthOf(id, p.widths);
    return left === undefined ? { width: w } : { width: w, left, position: 'sticky', zIndex: 1 };
  };

  return (
    <div ref={scroller} className={`table-scroll density-${p.density}${p.stale ? ' is-stale' : ''}`} tabIndex={0} onKeyDown={p.onKey} role="grid" aria-rowcount={p.total} aria-label="Events" data-testid="events-table">
      <div className="table-inner" style={{ width, height: v.getTotalSize() + HEADER_PX }}>
        <TableHeader columns={p.columns} pinned={p.pinned} sort={p.sort} width={width} widths={p.widths} cellStyle={cellStyle} onSort={p.onSort} onResize={p.onResize} />
        {items.map((it) => (
          <TableRow key={it.key} row={p.row(it.index)} columns={p.columns} widths={p.widths} pinned={p.pinned} rowIndex={p.base + it.index + 1} selected={it.index === p.selectedIndex} odd={(p.base + it.index) % 2 === 1} style={{ width, height: rowPx, transform: `translateY(${it.start + HEADER_PX}px)` }} cellStyle={cellStyle} onClick={() => p.onSelect(it.index, true)} onCellFilter={p.onCellFilter} />
        ))}
      </div>
    </div>
  );
}
