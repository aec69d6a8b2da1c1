/** The entity under the current filter: counts, first and last seen, top calls, related entities. */
import type { EntityKind, EntitySummary } from '../../../shared/api';
import { formatCount, formatUtc } from '../../format';
import { valueLabel } from '../../store/filterOps';
import { KIND_LABELS } from './target';

export interface EntitySummaryViewProps {
  readonly summary: EntitySummary;
  readonly stale: boolean;
  /** When the app has a filter: whether the counts follow it, and the switch. */
  readonly scope: { readonly scoped: boolean; onScoped(scoped: boolean): void } | null;
  onPivot(kind: EntityKind, value: string): void;
}

const RELATED_SHOWN = 6;

export function EntitySummaryView({ summary: s, stale, scope, onPivot }: EntitySummaryViewProps) {
  return (
    <section className={`corr-card entity-summary${stale ? ' is-stale' : ''}`} aria-label="Entity summary" data-testid="entity-summary">
      <h2>
        {KIND_LABELS[s.kind]} <span className="mono entity-value" title={s.value}>{s.value}</span>
        <span className="spacer" />
        {scope ? (
          <label className="field-inline scope-toggle">
            <input type="checkbox" checked={scope.scoped} onChange={(e) => scope.onScoped(e.target.checked)} />
            under the current filter
          </label>
        ) : null}
      </h2>
      {s.events === 0 ? <div className="notice">{scope?.scoped ? 'Nothing under the current filter involves' : 'Nothing in the case involves'} this {KIND_LABELS[s.kind].toLowerCase()}.</div> : null}
      <div className="stat-row">
        <div>
          <div className="stat-label">Events</div>
          <div className="stat-value" data-testid="entity-events-count">{formatCount(s.events)}</div>
        </div>
        <div>
          <div className="stat-label">First seen</div>
          <div className="stat-value mono">{s.firstMs === null ? '—' : formatUtc(s.firstMs)}</div>
        </div>
        <div>
          <div className="stat-label">Last seen</div>
          <div className="stat-value mono">{s.lastMs === null ? '—' : formatUtc(s.lastMs)}</div>
        </div>
      </div>
      <div className="related-grid">
        <div>
          <div className="section-title">Top calls</div>
          {s.eventNames.length === 0 ? <div className="muted">None</div> : null}
          {s.eventNames.slice(0, RELATED_SHOWN).map((v) => (
            <div key={v.value ?? '\0'} className="top-list-row">
              <span className="top-list-value" title={valueLabel(v.value)}>{valueLabel(v.value)}</span>
              <span className="muted num">{formatCount(v.count)}</span>
            </div>
          ))}
        </div>
        {s.related.map((r) => (
          <div key={r.kind}>
            <div className="section-title">{KIND_LABELS[r.kind]}</div>
            {r.values.length === 0 ? <div className="muted">None</div> : null}
            {r.values.slice(0, RELATED_SHOWN).map((v) => (
              <div key={v.value ?? '\0'} className="top-list-row">
                {v.value === null || v.value === '' ? (
                  <span className="top-list-value muted">{valueLabel(v.value)}</span>
                ) : (
                  <button type="button" className="link-btn top-list-value related-link" title={`Correlate ${v.value}`} onClick={() => onPivot(r.kind, v.value ?? '')}>
                    {v.value}
                  </button>
                )}
                <span className="muted num">{formatCount(v.count)}</span>
              </div>
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
