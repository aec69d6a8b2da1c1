import type { FilterClause } from '../../../shared/domain';
import { useAppShallow } from '../../store/context';
import { clauseLabel, rangeLabel } from '../../store/filterOps';

/** The filter as pills: each can be switched off, negated or removed. */
export function FilterBar() {
  const s = useAppShallow((st) => ({ clauses: st.clauses, text: st.text, range: st.range }));
  const a = useAppShallow((st) => ({ toggleClause: st.toggleClause, negateClause: st.negateClause, removeClause: st.removeClause, setText: st.setText, setRange: st.setRange, clearFilter: st.clearFilter }));
  const empty = s.clauses.length === 0 && !s.text && !s.range;
  return (
    <div className="filter-bar" aria-label="Filter">
      {empty ? <span className="muted">No filter: all events. Click a value in Fields to include it, Alt-click to exclude.</span> : null}
      {s.range ? (
        <span className="pill pill-range" data-testid="pill-range">
          <span className="pill-field">Time</span>
          <span className="pill-values">{rangeLabel(s.range)}</span>
          <button type="button" className="pill-btn" aria-label="Remove time range" title="Remove" onClick={() => a.setRange(null)}>×</button>
        </span>
      ) : null}
      {s.text ? (
        <span className="pill pill-text">
          <span className="pill-field">Text</span>
          <span className="pill-values">“{s.text}”</span>
          <button type="button" className="pill-btn" aria-label="Remove search" title="Remove" onClick={() => a.setText('')}>×</button>
        </span>
      ) : null}
      {s.clauses.map((c) => (
        <Pill key={c.id} clause={c} onToggle={() => a.toggleClause(c.id)} onNegate={() => a.negateClause(c.id)} onRemove={() => a.removeClause(c.id)} />
      ))}
      {empty ? null : (
        <button type="button" className="link-btn" onClick={a.clearFilter}>
          Clear all
        </button>
      )}
    </div>
  );
}

function Pill({ clause, onToggle, onNegate, onRemove }: { readonly clause: FilterClause; onToggle(): void; onNegate(): void; onRemove(): void }) {
  const l = clauseLabel(clause);
  return (
    <span className={`pill${clause.negate ? ' pill-negated' : ''}${clause.enabled ? '' : ' pill-disabled'}`} data-testid="pill">
      <button type="button" className="pill-main" title={clause.enabled ? 'Disable this clause' : 'Enable this clause'} onClick={onToggle}>
        <span className="pill-field">{l.field}</span>
        <span className="pill-op">{l.op}</span>
        <span className="pill-values">{l.values}</span>
      </button>
      <button type="button" className="pill-btn" title={clause.negate ? 'Include instead' : 'Exclude instead'} aria-label="Negate" onClick={onNegate}>
        ¬
      </button>
      <button type="button" className="pill-btn" title="Remove" aria-label="Remove" onClick={onRemove}>
        ×
      </button>
    </span>
  );
}
