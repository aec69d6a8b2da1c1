import { useCallback, useState, type KeyboardEvent } from 'react';
import { call } from '../../api';
import { ErrorBox, EmptyState } from '../../components/PanelState';
import { useApp, useAppShallow, useFilter } from '../../store/context';
import { filterKey } from '../../store/filterOps';
import type { ColumnId } from '../../store/tableSlice';
import { useCase } from '../../caseContext';
import { ColumnChooser } from './ColumnChooser';
import { ExportBox } from './ExportBox';
import { columnDef } from './columns';
import { EventsTable } from './EventsTable';
import { rangeText } from './pages';
import { useEventPages } from './useEventPages';

export function EventsPanel() {
  const filter = useFilter();
  const t = useAppShallow((s) => ({ sort: s.sort, columns: s.columns, pinned: s.pinned, density: s.density, dataVersion: s.dataVersion, selected: s.selected }));
  const a = useAppShallow((s) => ({ setSort: s.setSort, select: s.select, openDetail: s.openDetail, closeDetail: s.closeDetail, toggleColumn: s.toggleColumn, moveColumn: s.moveColumn, setPinned: s.setPinned, setDensity: s.setDensity, clearSelection: s.clearSelection }));
  const detailOpen = useApp((s) => s.detailOpen);
  const ex = useAppShallow((s) => ({ open: s.exportOpen, request: s.requestExport, close: s.closeExport }));
  const { shell } = useCase();
  const [visible, setVisible] = useState<[number, number]>([0, -1]);
  const [chooser, setChooser] = useState(false);
  const resetKey = JSON.stringify([filterKey(filter), t.sort]);
  const key = JSON.stringify([resetKey, t.dataVersion]);
  const pages = useEventPages(key, (offset, limit) => call('events:page', { filter, sort: t.sort, offset, limit }));
  const { ensure } = pages;
  const onVisible = useCallback(
    (first: number, last: number) => {
      setVisible([first, last]);
      ensure(first, last);
    },
    [ensure],
  );
  const total = pages.total ?? 0;
  // The selection's index belongs to the filter and sort it was made under: highlight it only while it still points at the row.
  const selectedIndex = t.selected && pages.row(t.selected.index)?.rowId === t.selected.rowId ? t.selected.index : null;

  const onSort = (id: ColumnId): void => {
    const field = columnDef(id).sort;
    if (!field) return;
    a.setSort({ field, dir: t.sort.field === field && t.sort.dir === 'asc' ? 'desc' : 'asc' });
  };
  const selectIndex = (i: number, open: boolean): void => {
    const row = pages.row(i);
    if (row) a.select(row.rowId, i, open || undefined);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const cur = selectedIndex ?? -1;
    const pageRows = Math.max(1, visible[1] - visible[0] - 2);
    const moves: Record<string, number> = { ArrowDown: cur + 1, ArrowUp: cur - 1, PageDown: cur + pageRows, PageUp: cur - pageRows, Home: 0, End: total - 1 };
    const target = moves[e.key];
    if (target !== undefined) {
      const i = Math.max(0, Math.min(total - 1, target));
      ensure(i, i);
      selectIndex(i, false);
    } else if (e.key === 'Enter') a.openDetail();
    else if (e.key === 'Escape') a.closeDetail();
    else return;
    e.preventDefault();
  };

  return (
    <section className="events" aria-label="Events">
      <div className="toolbar">
        <span className="toolbar-title">Events</span>
        <span className="muted" data-testid="events-count">
          {pages.total === null ? (pages.error ? '' : 'Loading…') : `${rangeText(visible[0], visible[1], total)}${pages.elapsedMs !== null ? ` (${Math.round(pages.elapsedMs)} ms)` : ''}`}
        </span>
        {pages.stale && pages.key !== null ? <span className="badge">updating…</span> : null}
        <span className="spacer" />
        {detailOpen ? null : <span className="hint">↑↓ move · Enter opens · Esc closes</span>}
        <button type="button" className="btn" aria-expanded={chooser} onClick={() => setChooser(!chooser)}>
          Columns
        </button>
        <button type="button" className="btn" aria-expanded={ex.open} onClick={ex.open ? ex.close : ex.request}>
          Export
        </button>
        {ex.open ? <ExportBox filter={filter} sort={t.sort} native={shell === 'electron'} onClose={ex.close} /> : null}
        {chooser ? <ColumnChooser columns={t.columns} pinned={t.pinned} density={t.density} onToggle={a.toggleColumn} onMove={a.moveColumn} onPinned={a.setPinned} onDensity={a.setDensity} onClose={() => setChooser(false)} /> : null}
      </div>
      {pages.error ? <ErrorBox error={pages.error} onRetry={pages.retry} /> : null}
      {pages.total === 0 && !pages.stale ? (
        <EmptyState title="No events match">Change the filter, or import evidence in Sources.</EmptyState>
      ) : (
        <EventsTable columns={t.columns} pinned={t.pinned} density={t.density} sort={t.sort} total={total} stale={pages.stale} selectedIndex={selectedIndex} resetKey={resetKey} row={pages.row} onSort={onSort} onSelect={selectIndex} onVisible={onVisible} onKey={onKey} />
      )}
    </section>
  );
}
