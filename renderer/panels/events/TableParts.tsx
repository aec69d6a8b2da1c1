import type { CSSProperties, MouseEvent } from 'react';
import type { EventRow, Sort } from '../../../shared/domain';
import type { ColumnId, ColumnWidths } from '../../store/tableSlice';
import { Revealed } from '../../components/Revealed';
import { cellDisplay, cellText, columnDef, widthOf } from './columns';

/** Width and, for pinned columns, the sticky offset of each cell of a column. */
export type CellStyle = (position: number, id: ColumnId) => CSSProperties;

function pinClass(i: number, pinned: number): string {
  return `${i < pinned ? ' pinned' : ''}${i === pinned - 1 ? ' pin-edge' : ''}`;
}

/** Drag the right edge of a header to resize its column. */
function startResize(e: MouseEvent, startPx: number, onResize: (px: number) => void): void {
  e.preventDefault();
  e.stopPropagation();
  const x0 = e.clientX;
  const move = (ev: globalThis.MouseEvent): void => onResize(startPx + ev.clientX - x0);
  const up = (): void => {
    window.removeEventListener('mousemove', move);
    window.removeEventListener('mouseup', up);
  };
  window.addEventListener('mousemove', move);
  window.addEventListener('mouseup', up);
}

export interface TableHeaderProps {
  readonly columns: readonly ColumnId[];
  readonly pinned: number;
  readonly sort: Sort;
  readonly width: number;
  readonly widths: ColumnWidths;
  readonly cellStyle: CellStyle;
  onSort(id: ColumnId): void;
  onResize(id: ColumnId, px: number): void;
}

export function TableHeader({ columns, pinned, sort, width, widths, cellStyle, onSort, onResize }: TableHeaderProps) {
  return (
    <div className="table-header" role="row" style={{ width }}>
      {columns.map((id, i) => {
        const d = columnDef(id);
        const sorted = d.sort !== undefined && sort.field === d.sort;
        return (
          <div key={id} role="columnheader" aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined} className={`th${pinClass(i, pinned)}${d.sort ? ' sortable' : ''}`} style={cellStyle(i, id)} onClick={() => d.sort && onSort(id)} title={d.sort ? `Sort by ${d.label}` : d.label}>
            <span className="th-label">{d.label}</span>
            {sorted ? <span className="sort-mark">{sort.dir === 'asc' ? '▲' : '▼'}</span> : null}
            <span className="col-resize" role="separator" aria-orientation="vertical" aria-label={`Resize ${d.label}`} onClick={(e) => e.stopPropagation()} onMouseDown={(e) => startResize(e, widthOf(id, widths), (px) => onResize(id, px))} />
          </div>
        );
      })}
    </div>
  );
}

export interface TableRowProps {
  readonly row: EventRow | undefined;
  readonly columns: readonly ColumnId[];
  readonly widths: ColumnWidths;
  readonly pinned: number;
  /** Position in the whole result, from 1 (aria-rowindex). */
  readonly rowIndex: number;
  readonly selected: boolean;
  readonly odd: boolean;
  readonly style: CSSProperties;
  readonly cellStyle: CellStyle;
  onClick(): void;
  /** Ctrl/Cmd-click a cell filters to its value, Alt-click excludes it. */
  onCellFilter(id: ColumnId, row: EventRow, exclude: boolean): void;
}

/** One row; until its page arrives it is an empty placeholder of the same height. */
export function TableRow(p: TableRowProps) {
  const r = p.row;
  return (
    <div role="row" aria-rowindex={p.rowIndex} aria-selected={p.selected} className={`tr${p.selected ? ' selected' : ''}${p.odd ? ' odd' : ''}${r?.errorCode ? ' has-error' : ''}`} style={p.style} onClick={p.onClick}>
      {p.columns.map((id, i) => {
        const d = columnDef(id);
        const text = r ? cellText(r, id) : '';
        return (
          <div key={id} role="gridcell" className={`td${d.mono ? ' mono' : ''}${pinClass(i, p.pinned)}${id === 'errorCode' && text ? ' error-text' : ''}${r ? '' : ' loading-cell'}`} style={p.cellStyle(i, id)} title={text}
            onClick={(e) => {
              if (!r || !(e.altKey || e.ctrlKey || e.metaKey)) return;
              e.stopPropagation();
              p.onCellFilter(id, r, e.altKey);
            }}>
            {r ? <Revealed text={cellDisplay(text, d, widthOf(id, p.widths))} /> : i === 0 ? '…' : ''}
          </div>
        );
      })}
    </div>
  );
}
