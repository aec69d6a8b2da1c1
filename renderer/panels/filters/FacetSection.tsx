import type { CountByValue, FilterField } from '../../../shared/domain';
import type { ApiError } from '../../../shared/api';
import { Revealed } from '../../components/Revealed';
import { compactValue, formatCount } from '../../format';
import { valueLabel } from '../../store/filterOps';

export interface FacetSectionProps {
  readonly field: FilterField;
  readonly label: string;
  readonly expanded: boolean;
  readonly values: readonly CountByValue[] | null;
  readonly error: ApiError | null;
  readonly loading: boolean;
  readonly stale: boolean;
  /** Values of this field already in an including / excluding clause. */
  readonly included: readonly (string | null)[];
  readonly excluded: readonly (string | null)[];
  readonly canShowMore: boolean;
  onToggle(): void;
  onInclude(value: string | null): void;
  onExclude(value: string | null): void;
  /** Set for identity fields: follow a value in the correlation panel. */
  onPivot?: (value: string) => void;
  onMore(): void;
  onRetry(): void;
}

export function FacetSection(p: FacetSectionProps) {
  const max = Math.max(1, ...(p.values ?? []).map((v) => v.count));
  const active = p.included.length + p.excluded.length;
  return (
    <div className={`facet${p.expanded ? ' open' : ''}`} data-field={p.field}>
      <button type="button" className="facet-head" aria-expanded={p.expanded} onClick={p.onToggle}>
        <span className="chevron" aria-hidden="true">{p.expanded ? '▾' : '▸'}</span>
        <span className="facet-label">{p.label}</span>
        {active > 0 ? <span className="badge">{active}</span> : null}
      </button>
      {p.expanded ? (
        <div className={`facet-body${p.stale || p.loading ? ' is-stale' : ''}`}>
          {p.error ? (
            <div className="facet-error">
              {p.error.message}{' '}
              <button type="button" className="link-btn" onClick={p.onRetry}>Retry</button>
            </div>
          ) : null}
          {p.values === null && !p.error ? <div className="facet-loading">Loading…</div> : null}
          {p.values?.length === 0 ? <div className="facet-loading">No values</div> : null}
          {(p.values ?? []).map((v) => {
            const inc = p.included.includes(v.value);
            const exc = p.excluded.includes(v.value);
            const text = valueLabel(v.value);
            return (
              <div key={String(v.value)} className={`facet-value${inc ? ' included' : ''}${exc ? ' excluded' : ''}`}>
                <button type="button" className="facet-value-main" title={`${text}\nClick: include · Alt-click: exclude`} onClick={(e) => (e.altKey ? p.onExclude(v.value) : p.onInclude(v.value))}>
                  <span className="facet-bar" style={{ width: `${(v.count / max) * 100}%` }} />
                  <span className={`facet-text${v.value === null ? ' muted' : ''}`}><Revealed text={compactValue(text, 31)} /></span>
                  <span className="facet-count">{formatCount(v.count)}</span>
                </button>
                <span className="facet-actions">
                  {p.onPivot && v.value !== null ? (
                    <button type="button" className="facet-exclude" title={`Follow ${text} in Correlation`} aria-label={`Follow ${text} in Correlation`} onClick={() => v.value !== null && p.onPivot?.(v.value)}>
                      ⇢
                    </button>
                  ) : null}
                  <button type="button" className="facet-exclude" title={`Exclude ${text}`} aria-label={`Exclude ${text}`} onClick={() => p.onExclude(v.value)}>
                    −
                  </button>
                </span>
              </div>
            );
          })}
          {p.canShowMore ? (
            <button type="button" className="link-btn facet-more" onClick={p.onMore}>
              More values
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
