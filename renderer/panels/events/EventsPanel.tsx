import { useState } from 'react';
import { call } from '../../api';
import { useCase } from '../../caseContext';
import { ErrorBox, EmptyState } from '../../components/PanelState';
import { useApp, useAppShallow, useFilter } from '../../store/context';
import { filterKey } from '../../store/filterOps';
import type { ColumnId } from '../../store/tableSlice';
import type { EventRow } from '../../../shared/domain';
import { ColumnChooser } from './ColumnChooser';
import { cellFilterValue, columnDef } from './columns';
import { EventsTable } from './EventsTable';
import { ExportBox } from './ExportBox';
import { rangeText } from './pages';
import { useEventPages } from './useEventPages';
import { useTableNavigation } from './useTableNavigation';

export function EventsPanel() {
  const filter = useFilter();
  const t = useAppShallow((s) => ({ sort: s.sort, columns: s.columns, pinned: s.pinned, density: s.density, widths: s.widths, dataVersion: s.dataVersion }));
  const a = useAppShallow((s) => ({ include: s.include, exclude: s.exclude, setWidth: s.setWidth, setSort: s.setSort, toggleColumn: s.toggleColumn, moveColumn: s.moveColumn, setPinned: s.setPinned, setDensity: s.setDensity }));
  const detailOpen = useApp((s) => s.detailOpen);
  const ex = useAppShallow((s) => ({ open: s.exportOpen, request: s.requestExport, close: s.closeExport }));
  const { shell } = useCase();
  const [chooser, setChooser] = useState(false);
  const resetKey = JSON.stringify([filterKey(filter), t.sort]);
  const pages = useEventPages(JSON.stringify([resetKey, t.dataVersion]), (offset, limit) => call('events:page', { filter, sort: t.sort, offset, limit }));
  const nav = useTableNavigation(pages, resetKey);
  const total = pages.total ?? 0;

  const onSort = (id: ColumnId): void => {
    const field = columnDef(id).sort;
    if (!field) return;
    a.setSort({ field, dir: t.sort.field === field && t.sort.dir === 'asc' ? 'desc' : 'asc' });
  };

  const onCellFilter = (id: ColumnId, row: EventRow, exclude: boolean): void => {
    const field = columnDef(id).field;
    if (field) (exclude ? a.exclude : a.include)(field, cellFilterValue(row, id));
  };

  return (
    <section className="events" aria-label="Events">
      <div className="toolbar">
        <span className="toolbar-title">Events</span>
        <span className="muted" data-testid="events-count">
          {pages.total === null ? (pages.error ? '' : 'Loading…') : `${rangeText(nav.visible[0], nav.visible[1], total)}${pages.elapsedMs !== null ? ` (${Math.round(pages.elapsedMs)} ms)` : ''}`}
        </span>
        {pages.stale && pages.key !== null ? <span className="badge">updating…</span> : null}
        <span className="spacer" />
        {detailOpen ? null : <span className="hint">↑↓ move · Enter opens · Esc closes · Ctrl-click a cell filters, Alt-click excludes</span>}
        <button type="button" className="btn" aria-expanded={ex.open} onClick={ex.open ? ex.close : ex.request}>
          Export
        </button>
        {ex.open ? <ExportBox filter={filter} sort={t.sort} native={shell === 'electron'} onClose={ex.close} /> : null}
        <button type="button" className="btn" aria-expanded={chooser} onClick={() => setChooser(!chooser)}>
          Columns
        </button>
        {chooser ? <ColumnChooser columns={t.columns} pinned={t.pinned} density={t.density} onToggle={a.toggleColumn} onMove={a.moveColumn} onPinned={a.setPinned} onDensity={a.setDensity} onClose={() => setChooser(false)} /> : null}
      </div>
      {pages.error ? <ErrorBox error={pages.error} onRetry={pages.retry} /> : null}
      {pages.total === 0 && !pages.stale ? (
        <EmptyState title="No events match">Change the filter, or import evidence in Sources.</EmptyState>
      ) : (
        <EventsTable columns={t.columns} pinned={t.pinned} density={t.density} widths={t.widths} onResize={a.setWidth} onCellFilter={onCellFilter} sort={t.sort} base={nav.base} count={nav.count} total={total} stale={pages.stale} selectedIndex={nav.selectedLocal} resetKey={resetKey} row={(i) => pages.row(nav.base + i)} onSort={onSort} onSelect={nav.onSelect} onVisible={nav.onVisible} onKey={nav.onKey} />
      )}
    </section>
  );
}
