import type { ColumnId, Density } from '../../store/tableSlice';
import { ALL_COLUMNS, columnDef } from './columns';

export interface ColumnChooserProps {
  readonly columns: readonly ColumnId[];
  readonly pinned: number;
  readonly density: Density;
  onToggle(id: ColumnId): void;
  onMove(id: ColumnId, delta: number): void;
  onPinned(n: number): void;
  onDensity(d: Density): void;
  onClose(): void;
}

/** Choose, order and pin columns; the visible ones first, in table order. */
export function ColumnChooser(p: ColumnChooserProps) {
  const hidden = ALL_COLUMNS.filter((c) => !p.columns.includes(c));
  return (
    <div className="popover column-chooser" role="dialog" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && p.onClose()}>
      <div className="popover-row">
        <label className="field-inline">
          Pinned
          <input type="number" min={0} max={p.columns.length} value={p.pinned} onChange={(e) => p.onPinned(Number(e.target.value))} />
        </label>
        <label className="field-inline">
          Density
          <select value={p.density} onChange={(e) => p.onDensity(e.target.value as Density)}>
            <option value="compact">Compact</option>
            <option value="comfortable">Comfortable</option>
          </select>
        </label>
        <span className="spacer" />
        <button type="button" className="btn" onClick={p.onClose}>Done</button>
      </div>
      <ul className="column-list">
        {p.columns.map((id, i) => (
          <li key={id} className={i < p.pinned ? 'pinned-item' : ''}>
            <label>
              <input type="checkbox" checked onChange={() => p.onToggle(id)} />
              {columnDef(id).label}
            </label>
            <span className="spacer" />
            <button type="button" className="btn btn-icon" aria-label={`Move ${columnDef(id).label} left`} disabled={i === 0} onClick={() => p.onMove(id, -1)}>↑</button>
            <button type="button" className="btn btn-icon" aria-label={`Move ${columnDef(id).label} right`} disabled={i === p.columns.length - 1} onClick={() => p.onMove(id, 1)}>↓</button>
          </li>
        ))}
        {hidden.map((id) => (
          <li key={id} className="hidden-item">
            <label>
              <input type="checkbox" checked={false} onChange={() => p.onToggle(id)} />
              {columnDef(id).label}
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
