/**
 * The result of a statement as a virtualised grid: only the visible rows exist in the DOM, columns
 * are sized to their content and the grid scrolls sideways. Every cell is text (never HTML); a
 * long value is ellipsised, with the whole value in its title and in the cell viewer when selected.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { cellText, cellTitle, columnWidths, type Cell } from './grid';

export interface CellRef {
  readonly row: number;
  readonly col: number;
}

export interface ResultGridProps {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly stale: boolean;
  readonly selected: CellRef | null;
  /** Changes with every run: the grid scrolls back to the top. */
  readonly resetKey: string;
  onSelect(cell: CellRef): void;
  onCopy(cell: CellRef): void;
}

const MOVES: Readonly<Record<string, readonly [number, number]>> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], PageUp: [-20, 0], PageDown: [20, 0] };

/** The cell a key moves the selection to, kept inside the grid; null for keys that do not move it. */
export function moveCell(from: CellRef | null, key: string, rows: number, cols: number): CellRef | null {
  const d = MOVES[key];
  if (!d || rows === 0 || cols === 0) return null;
  if (!from) return { row: 0, col: 0 };
  return { row: Math.min(rows - 1, Math.max(0, from.row + d[0])), col: Math.min(cols - 1, Math.max(0, from.col + d[1])) };
}

const ROW_PX = 22;
const HEADER_PX = 26;
const INDEX_PX = 52;

export function ResultGrid(p: ResultGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const widths = useMemo(() => columnWidths(p.columns, p.rows), [p.columns, p.rows]);
  const width = INDEX_PX + widths.reduce((a, b) => a + b, 0);
  const v = useVirtualizer({ count: p.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 10, scrollPaddingStart: HEADER_PX });

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = 0;
    el.scrollLeft = 0;
  }, [p.resetKey]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && p.selected) {
      e.preventDefault();
      p.onCopy(p.selected);
      return;
    }
    const next = moveCell(p.selected, e.key, p.rows.length, p.columns.length);
    if (!next) return;
    e.preventDefault();
    p.onSelect(next);
    v.scrollToIndex(next.row, { align: 'auto' });
  };

  return (
    <div ref={scroller} onKeyDown={onKey} className={`result-scroll${p.stale ? ' is-stale' : ''}`} role="grid" aria-rowcount={p.rows.length} aria-colcount={p.columns.length} aria-label="Query result" data-testid="result-grid" tabIndex={0}>
      <div className="table-inner" style={{ width, height: v.getTotalSize() + HEADER_PX }}>
        <div className="result-header" role="row" style={{ width }}>
          <div className="rh rh-index" style={{ width: INDEX_PX }} aria-hidden="true">#</div>
          {p.columns.map((c, i) => (
            <div key={`${i}:${c}`} role="columnheader" className="rh" style={{ width: widths[i] }} title={c}>
              {c}
            </div>
          ))}
        </div>
        {v.getVirtualItems().map((it) => {
          const row = p.rows[it.index] ?? [];
          return (
            <div key={it.key} role="row" aria-rowindex={it.index + 1} className={`rr${it.index % 2 ? ' odd' : ''}`} style={{ width, height: ROW_PX, transform: `translateY(${it.start + HEADER_PX}px)` }}>
              <div className="rc rc-index" style={{ width: INDEX_PX }} aria-hidden="true">{it.index + 1}</div>
              {p.columns.map((c, col) => {
                const value = row[col] ?? null;
                const selected = p.selected?.row === it.index && p.selected.col === col;
                return (
                  <div key={`${col}:${c}`} role="gridcell" aria-selected={selected} className={`rc${value === null ? ' is-null' : typeof value === 'number' ? ' is-num' : ''}${selected ? ' selected' : ''}`} style={{ width: widths[col] }} title={cellTitle(value)} onClick={() => p.onSelect({ row: it.index, col })}>
                    {cellText(value)}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
