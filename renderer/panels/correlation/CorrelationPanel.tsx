/**
 * The correlation panel: follows the pivot target (or what the user types) to the entity's summary
 * under the current filter (`correlate:entity`), its chain from the root actor through every session
 * (`correlate:chain`), its own timeline and the chain's firsts.
 */
import { useEffect, useState } from 'react';
import type { EntityKind } from '../../../shared/api';
import { EMPTY_FILTER } from '../../../shared/domain';
import { ErrorBox, EmptyState, Loading } from '../../components/PanelState';
import { useAppShallow, useFilter } from '../../store/context';
import { ChainView } from './ChainView';
import { EntitySummaryView } from './EntitySummaryView';
import { EntityTimeline } from './EntityTimeline';
import { Firsts } from './Firsts';
import { KIND_LABELS, targetKey, type Target } from './target';
import { TargetSearch } from './TargetSearch';
import { useCorrelation } from './useCorrelation';
import '../../styles/correlation.css';

export function CorrelationPanel() {
  const s = useAppShallow((st) => ({ stored: st.correlationTarget, dataVersion: st.dataVersion, onPivot: st.onPivot, only: st.only, include: st.include, setTab: st.setTab }));
  const filter = useFilter();
  // A session (by id) is not an entity the store's target can hold: a followed session lives here.
  const [local, setLocal] = useState<Target | null>(null);
  useEffect(() => setLocal(null), [s.stored]);
  const target: Target | null = local ?? s.stored;
  // The summary counts under the app's filter unless the user lifts it (a pivot leaves its own clause).
  const [scoped, setScoped] = useState(true);
  const filtered = filter.clauses.length > 0 || filter.text !== undefined || filter.range !== undefined;
  const { chain, entity, hasChain } = useCorrelation(target, scoped ? filter : EMPTY_FILTER, s.dataVersion);

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
  const timeline: { kind: EntityKind; value: string } | null = target === null ? null : target.kind === 'session' ? (session ? { kind: 'accessKey', value: session.accessKey } : null) : { kind: target.kind, value: target.value };

  return (
    <div className="corr-panel" data-testid="correlation-panel">
      <Toolbar target={target} keys={keys} onSubmit={submit} onShowAll={() => showEvents(keys)} />
      {target === null ? (
        <EmptyState title="Nothing selected">
          <span className="muted">Pivot on an access key, principal, IP or user agent from an event or the field sidebar, or type one above.</span>
        </EmptyState>
      ) : (
        <div className="corr-body">
          {!hasChain ? <div className="notice">A user agent has no credential chain: its summary and timeline are below.</div> : null}
          {chain.error ? <ErrorBox error={chain.error} onRetry={chain.retry} /> : null}
          {chain.data === null && chain.loading ? <Loading label="Following the chain…" /> : null}
          {chain.data ? <ChainView key={targetKey(target)} chain={chain.data} asked={asked} stale={chain.stale || chain.loading} onPivot={pivot} onFollowSession={(id) => setLocal({ kind: 'session', value: String(id) })} onShowEvents={(k) => showEvents([k])} /> : null}
          <div className="corr-row">
            <div className="corr-col">
              {entity.error ? <ErrorBox error={entity.error} onRetry={entity.retry} /> : null}
              {entity.data === null && entity.loading ? <Loading /> : null}
              {entity.data ? <EntitySummaryView summary={entity.data} scope={filtered ? { scoped, onScoped: setScoped } : null} stale={entity.stale || entity.loading} onPivot={pivot} /> : null}
            </div>
            {timeline ? <EntityTimeline kind={timeline.kind} value={timeline.value} dataVersion={s.dataVersion} /> : null}
          </div>
          {chain.data ? <Firsts firsts={chain.data.firsts} /> : null}
        </div>
      )}
    </div>
  );
}

interface ToolbarProps {
  readonly target: Target | null;
  readonly keys: readonly string[];
  onSubmit(t: Target): void;
  onShowAll(): void;
}

function Toolbar({ target, keys, onSubmit, onShowAll }: ToolbarProps) {
  return (
    <div className="toolbar corr-toolbar">
      <TargetSearch onSubmit={onSubmit} />
      {target ? (
        <span className="corr-target" title={target.value} data-testid="corr-target">
          <span className="muted">{KIND_LABELS[target.kind]}:</span> <span className="mono">{target.value}</span>
        </span>
      ) : null}
      <span className="spacer" />
      <button type="button" className="btn" disabled={keys.length === 0} onClick={onShowAll} title={`Filter the events to every access key of the chain (${keys.length})`}>
        Show all events of this actor across every session
      </button>
    </div>
  );
}
