/**
 * The correlation panel: follows the pivot target (or what the user types) to the entity's summary
 * under the current filter (`correlate:entity`), its chain from the root actor through every session
 * (`correlate:chain`), its own timeline and the chain's firsts.
 */
import { useEffect, useState } from 'react';
import type { EntityKind } from '../../../shared/api';
import { call } from '../../api';
import { ErrorBox, EmptyState, Loading } from '../../components/PanelState';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { useAppShallow, useFilter } from '../../store/context';
import { filterKey } from '../../store/filterOps';
import { ChainView } from './ChainView';
import { EntitySummaryView } from './EntitySummaryView';
import { EntityTimeline } from './EntityTimeline';
import { Firsts } from './Firsts';
import { chainRequest, KIND_LABELS, targetFilter, targetKey, type Target } from './target';
import { TargetSearch } from './TargetSearch';
import '../../styles/correlation.css';

export function CorrelationPanel() {
  const s = useAppShallow((st) => ({ stored: st.correlationTarget, dataVersion: st.dataVersion, onPivot: st.onPivot, only: st.only, include: st.include, setTab: st.setTab }));
  const filter = useFilter();
  // A session (by id) is not an entity of the store's target: followed sessions live here.
  const [local, setLocal] = useState<Target | null>(null);
  useEffect(() => setLocal(null), [s.stored]);
  const target: Target | null = local ?? s.stored;
  const by = target ? chainRequest(target) : null;
  const chain = useKeyedFetch(by ? `${JSON.stringify(by)}:${s.dataVersion}` : null, () => call('correlate:chain', { by: by ?? { session: 1 } }));
  const entityKind = target && target.kind !== 'session' ? target.kind : null;
  const entity = useKeyedFetch(entityKind && target ? `${targetKey(target)}:${filterKey(filter)}:${s.dataVersion}` : null, () =>
    call('correlate:entity', { kind: entityKind ?? 'accessKey', value: target?.value ?? '', filter }),
  );

  const pivot = (kind: EntityKind, value: string): void => s.onPivot(kind, value);
  const showEvents = (keys: readonly string[]): void => {
    const [first, ...rest] = keys;
    if (first === undefined) return;
    s.only('userIdentity_accessKeyId', first);
    for (const k of rest) s.include('userIdentity_accessKeyId', k);
    s.setTab('events');
  };
  const submit = (t: Target): void => (t.kind === 'session' ? setLocal(t) : s.onPivot(t.kind, t.value));

  const session = target?.kind === 'session' ? (chain.data?.sessions.find((x) => String(x.id) === target.value) ?? null) : null;
  const asked = target?.kind === 'session' ? (session?.accessKey ?? null) : (target?.value ?? null);
  const keys = chain.data?.accessKeys ?? [];
  const timelineFilter = target ? targetFilter(target, session?.accessKey ?? null) : null;
  const range = entity.data ? { first: entity.data.firstMs, last: entity.data.lastMs } : session ? { first: session.firstSeen ? Date.parse(session.firstSeen) : null, last: session.lastSeen ? Date.parse(session.lastSeen) : null } : null;

  return (
    <div className="corr-panel" data-testid="correlation-panel">
      <div className="toolbar corr-toolbar">
        <TargetSearch onSubmit={submit} />
        {target ? (
          <span className="corr-target" title={target.value} data-testid="corr-target">
            <span className="muted">{KIND_LABELS[target.kind]}:</span> <span className="mono">{target.value}</span>
          </span>
        ) : null}
        <span className="spacer" />
        <button type="button" className="btn" disabled={keys.length === 0} onClick={() => showEvents(keys)} title={`Filter the events to every access key of the chain (${keys.length})`}>
          Show all events of this actor across every session
        </button>
      </div>
      {target === null ? (
        <EmptyState title="Nothing selected">
          <span className="muted">Pivot on an access key, principal, IP or user agent from an event or the field sidebar, or type one above.</span>
        </EmptyState>
      ) : (
        <div className="corr-body">
          {by === null ? <div className="notice">A user agent has no credential chain: its summary and timeline are below.</div> : null}
          {chain.error ? <ErrorBox error={chain.error} onRetry={chain.retry} /> : null}
          {chain.data === null && chain.loading ? <Loading label="Following the chain…" /> : null}
          {chain.data ? <ChainView chain={chain.data} asked={asked} stale={chain.stale || chain.loading} onPivot={pivot} onFollowSession={(id) => setLocal({ kind: 'session', value: String(id) })} onShowEvents={(k) => showEvents([k])} /> : null}
          <div className="corr-row">
            {entity.error ? <ErrorBox error={entity.error} onRetry={entity.retry} /> : null}
            {entity.data === null && entity.loading ? <Loading /> : null}
            {entity.data ? <EntitySummaryView summary={entity.data} stale={entity.stale || entity.loading} onPivot={pivot} /> : null}
            {timelineFilter && range && range.first !== null && range.last !== null ? (
              <EntityTimeline filter={timelineFilter} firstMs={range.first} lastMs={range.last} dataVersion={s.dataVersion} />
            ) : entity.data?.events === 0 ? (
              <EmptyState title="No events">Nothing under the current filter involves this {KIND_LABELS[target.kind].toLowerCase()}.</EmptyState>
            ) : null}
          </div>
          {chain.data ? <Firsts firsts={chain.data.firsts} /> : null}
        </div>
      )}
    </div>
  );
}
