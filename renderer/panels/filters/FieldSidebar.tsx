import { useState } from 'react';
import type { FilterField } from '../../../shared/domain';
import { FIELD_LABELS, FILTER_FIELDS } from '../../../shared/domain';
import { call } from '../../api';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { useApp, useAppShallow, useFilter } from '../../store/context';
import { filterKey } from '../../store/filterOps';
import { ENTITY_OF_FIELD } from '../../store/uiSlice';
import { FacetSection } from './FacetSection';

/** The Event History attributes first, then the identity and network fields investigators ask for. */
const MAIN_FIELDS: readonly FilterField[] = FILTER_FIELDS.slice(0, 15);
const MORE_FIELDS: readonly FilterField[] = FILTER_FIELDS.slice(15);
const FEW = 8;
const MANY = 40;

export function FieldSidebar() {
  const [showMore, setShowMore] = useState(false);
  return (
    <aside className="sidebar" aria-label="Fields">
      <div className="sidebar-title">Fields</div>
      {MAIN_FIELDS.map((f) => (
        <Facet key={f} field={f} />
      ))}
      <button type="button" className="link-btn sidebar-more" onClick={() => setShowMore(!showMore)}>
        {showMore ? 'Fewer fields' : `More fields (${MORE_FIELDS.length})`}
      </button>
      {showMore ? MORE_FIELDS.map((f) => <Facet key={f} field={f} />) : null}
    </aside>
  );
}

function Facet({ field }: { readonly field: FilterField }) {
  const filter = useFilter();
  const expanded = useApp((s) => s.expandedFacets.includes(field));
  const dataVersion = useApp((s) => s.dataVersion);
  const clauses = useApp((s) => s.clauses);
  const a = useAppShallow((s) => ({ include: s.include, exclude: s.exclude, toggleFacet: s.toggleFacet, pivot: s.pivot }));
  const [limit, setLimit] = useState(FEW);
  const key = expanded ? JSON.stringify([filterKey(filter), field, limit, dataVersion]) : null;
  const fetch = useKeyedFetch(key, () => call('facets:top', { filter, field, limit }), 40);
  const mine = clauses.filter((c) => c.field === field && c.enabled);
  return (
    <FacetSection
      field={field}
      label={FIELD_LABELS[field]}
      expanded={expanded}
      values={fetch.data?.values ?? null}
      error={fetch.error}
      loading={fetch.loading}
      stale={fetch.stale}
      included={mine.filter((c) => !c.negate).flatMap((c) => c.values)}
      excluded={mine.filter((c) => c.negate).flatMap((c) => c.values)}
      canShowMore={limit < MANY && (fetch.data?.values.length ?? 0) >= limit}
      onToggle={() => a.toggleFacet(field)}
      onInclude={(v) => a.include(field, v)}
      onExclude={(v) => a.exclude(field, v)}
      onPivot={ENTITY_OF_FIELD[field] ? (v) => a.pivot(field, v) : undefined}
      onMore={() => setLimit(MANY)}
      onRetry={fetch.retry}
    />
  );
}
