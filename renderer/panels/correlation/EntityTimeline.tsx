/**
 * The entity's own timeline: a small histogram of its events (`timeline:buckets` with the entity's
 * clause, stacked by outcome) and its first events (`events:page`), oldest first.
 */
import type { Filter } from '../../../shared/domain';
import { call } from '../../api';
import { ErrorBox, EmptyState, Loading } from '../../components/PanelState';
import { formatCount, formatUtc } from '../../format';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { filterKey } from '../../store/filterOps';
import { histogramBars, histogramWindow } from './histogram';

export const EVENTS_SHOWN = 200;
const W = 600;
const H = 64;

export interface EntityTimelineProps {
  readonly filter: Filter;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly dataVersion: number;
}

export function EntityTimeline(p: EntityTimelineProps) {
  const win = histogramWindow(p.firstMs, p.lastMs);
  const key = `${filterKey(p.filter)}:${p.dataVersion}`;
  const hist = useKeyedFetch(`${key}:${win.fromMs}:${win.toMs}:${win.bucketMs}`, () => call('timeline:buckets', { filter: p.filter, ...win, stackBy: 'outcome' }));
  const events = useKeyedFetch(key, () => call('events:page', { filter: p.filter, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: EVENTS_SHOWN }));
  const bars = hist.data ? histogramBars(hist.data.buckets, win, W, H) : [];
  const errorSeries = hist.data ? hist.data.series.findIndex((s) => /err|fail/i.test(s)) : -1;

  return (
    <section className="corr-card entity-timeline" aria-label="Entity timeline">
      <h2>
        Timeline <span className="muted">{formatUtc(p.firstMs)} → {formatUtc(p.lastMs)} UTC</span>
      </h2>
      {hist.error ? <ErrorBox error={hist.error} onRetry={hist.retry} /> : null}
      {hist.data === null && hist.loading ? <Loading /> : null}
      {hist.data ? (
        <svg className={`entity-hist${hist.stale ? ' is-stale' : ''}`} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Events over time, ${formatCount(bars.length)} buckets`} data-testid="entity-histogram">
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
      {events.data?.total === 0 ? <EmptyState title="No events under this filter" /> : null}
      {events.data && events.data.total > 0 ? (
        <div className={`entity-events${events.stale ? ' is-stale' : ''}`}>
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
              {events.data.rows.map((r) => (
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
          {events.data.total > events.data.rows.length ? <div className="hint">First {events.data.rows.length} of {events.data.total.toLocaleString('en-US')} events.</div> : null}
        </div>
      ) : null}
    </section>
  );
}

