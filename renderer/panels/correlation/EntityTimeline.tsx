/**
 * The entity's own timeline, whatever the app's filter: its span (`correlate:entity` with no
 * filter), a small histogram of its events (`timeline:buckets` with the entity's clause, stacked by
 * outcome) and its first events (`events:page`), oldest first.
 */
import { useMemo } from 'react';
import type { EntityKind } from '../../../shared/api';
import { EMPTY_FILTER, type EventRow, type Filter } from '../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, EmptyState, Loading } from '../../components/PanelState';
import { formatCount, formatUtc } from '../../format';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { filterKey } from '../../store/filterOps';
import { histogramBars, histogramWindow } from './histogram';
import { targetFilter } from './target';

export const EVENTS_SHOWN = 200;
const W = 600;
const H = 64;

export interface EntityTimelineProps {
  readonly kind: EntityKind;
  readonly value: string;
  readonly dataVersion: number;
}

export function EntityTimeline(p: EntityTimelineProps) {
  const filter = useMemo(() => targetFilter({ kind: p.kind, value: p.value }, null) ?? EMPTY_FILTER, [p.kind, p.value]);
  const span = useKeyedFetch(`span:${p.kind}:${p.value}:${p.dataVersion}`, () => call('correlate:entity', { kind: p.kind, value: p.value, filter: EMPTY_FILTER }));
  const first = span.data?.firstMs ?? null;
  const last = span.data?.lastMs ?? null;
  return (
    <section className="corr-card entity-timeline" aria-label="Entity timeline">
      <h2>
        Timeline {first !== null && last !== null ? <span className="muted">{formatUtc(first)} → {formatUtc(last)} UTC</span> : null}
      </h2>
      {span.error ? <ErrorBox error={span.error} onRetry={span.retry} /> : null}
      {span.data === null && span.loading ? <Loading /> : null}
      {span.data && (first === null || last === null) ? <EmptyState title="No events in the case" /> : null}
      {first !== null && last !== null ? <TimelineBody filter={filter} firstMs={first} lastMs={last} dataVersion={p.dataVersion} /> : null}
    </section>
  );
}

function TimelineBody(p: { readonly filter: Filter; readonly firstMs: number; readonly lastMs: number; readonly dataVersion: number }) {
  const win = histogramWindow(p.firstMs, p.lastMs);
  const key = `${filterKey(p.filter)}:${p.dataVersion}`;
  const hist = useKeyedFetch(`${key}:${win.fromMs}:${win.toMs}:${win.bucketMs}`, () => call('timeline:buckets', { filter: p.filter, ...win, stackBy: 'outcome' }));
  const events = useKeyedFetch(key, () => call('events:page', { filter: p.filter, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: EVENTS_SHOWN }));
  const bars = hist.data ? histogramBars(hist.data.buckets, win, W, H) : [];
  const errorSeries = hist.data ? hist.data.series.findIndex((s) => /err|fail/i.test(s)) : -1;
  return (
    <>
      {hist.error ? <ErrorBox error={hist.error} onRetry={hist.retry} /> : null}
      {hist.data === null && hist.loading ? <Loading /> : null}
      {hist.data ? (
        <svg className={`entity-hist${hist.stale ? ' is-stale' : ''}`} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Events over time in ${formatCount(bars.length)} buckets`} data-testid="entity-histogram">
          {bars.map((b) =>
            b.segments.map((s) => (
              <rect key={`${b.t}:${s.series}`} x={b.x} y={s.y} width={b.w} height={s.h} className={s.series === errorSeries ? 'bar-err' : 'bar-ok'}>
                <title>{`${formatUtc(b.t)} UTC: ${s.count} ${hist.data?.series[s.series] ?? ''}`}</title>
              </rect>
            )),
          )}
        </svg>
      ) : null}
      {events.error ? <ErrorBox error={events.error} onRetry={events.retry} /> : null}
      {events.data === null && events.loading ? <Loading /> : null}
      {events.data && events.data.total > 0 ? <EventList rows={events.data.rows} total={events.data.total} stale={events.stale} /> : null}
    </>
  );
}

function EventList({ rows, total, stale }: { readonly rows: readonly EventRow[]; readonly total: number; readonly stale: boolean }) {
  return (
    <div className={`entity-events${stale ? ' is-stale' : ''}`}>
      <table className="plain-table" data-testid="entity-events">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Event</th>
            <th>Source IP</th>
            <th>Region</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.rowId}>
              <td className="mono">{formatUtc(r.eventTimeMs)}</td>
              <td title={r.eventName ?? ''}>{r.eventName ?? ''}</td>
              <td className="mono" title={r.sourceIPAddress ?? ''}>{r.sourceIPAddress ?? ''}</td>
              <td>{r.awsRegion ?? ''}</td>
              <td className="error-text" title={r.errorCode ?? ''}>{r.errorCode ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length ? <div className="hint">First {formatCount(rows.length)} of {formatCount(total)} events.</div> : null}
    </div>
  );
}
