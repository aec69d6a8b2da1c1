import { useCallback, useMemo, useState } from 'react';
import type { StackBy } from '../../../shared/api';
import type { TimeRange } from '../../../shared/domain';
import { call } from '../../api';
import { useCase } from '../../caseContext';
import { ErrorBox } from '../../components/PanelState';
import { formatCount, formatUtcMinute, reveal } from '../../format';
import { useKeyedFetch } from '../../hooks/useKeyedFetch';
import { useAppShallow, useFilter } from '../../store/context';
import { filterKey } from '../../store/filterOps';
import { TimelineCanvas } from './TimelineCanvas';
import { chooseBucketMs, fetchWindow, fitExtent, formatStep, panRange, zoomRange } from './scale';

const HEIGHT = 132;
const STACKS: readonly { value: StackBy; label: string }[] = [
  { value: 'outcome', label: 'Outcome' },
  { value: 'readOnly', label: 'Read / write' },
  { value: 'eventCategory', label: 'Category' },
  { value: 'none', label: 'None' },
];

export function TimelinePanel() {
  const { summary } = useCase();
  const s = useAppShallow((st) => ({ view: st.view, stackBy: st.stackBy, range: st.range, dataVersion: st.dataVersion }));
  const actions = useAppShallow((st) => ({ setView: st.setView, setStackBy: st.setStackBy, setRange: st.setRange }));
  const filter = useFilter();
  const [width, setWidthState] = useState(0);
  // A hidden tab measures 0 px: keep the last real width so the data stays keyed the same.
  const setWidth = useCallback((w: number) => {
    if (w > 0) setWidthState(w);
  }, []);
  const sum = summary.data;
  const extent = useMemo(() => (sum && sum.firstMs !== null && sum.lastMs !== null ? fitExtent(sum.firstMs, sum.lastMs) : null), [sum]);
  const view = s.view ?? extent;
  const bucketMs = view && width > 0 ? chooseBucketMs(view.toMs - view.fromMs, width) : 0;
  const win = view && bucketMs > 0 ? fetchWindow(view, bucketMs) : null;
  // The histogram shows the filter without its time range: the range is drawn over the context.
  const noRange = useMemo(() => ({ ...filter, range: undefined }), [filter]);
  const key = win ? JSON.stringify([filterKey(noRange), win, bucketMs, s.stackBy, s.dataVersion]) : null;
  const fetch = useKeyedFetch(key, () => call('timeline:buckets', { filter: { clauses: noRange.clauses, ...(noRange.text ? { text: noRange.text } : {}) }, fromMs: win?.fromMs ?? 0, toMs: win?.toMs ?? 0, bucketMs, stackBy: s.stackBy }), 60);

  const onZoom = useCallback((f: number, c?: number) => view && actions.setView(zoomRange(view, f, c)), [view, actions]);
  const onPan = useCallback((f: number) => view && actions.setView(panRange(view, f)), [view, actions]);
  const onKey = (e: React.KeyboardEvent): void => {
    if (e.key === '+' || e.key === '=') onZoom(0.5);
    else if (e.key === '-' || e.key === '_') onZoom(2);
    else if (e.key === 'ArrowLeft') onPan(-0.2);
    else if (e.key === 'ArrowRight') onPan(0.2);
    else if (e.key === '0') actions.setView(null);
    else return;
    e.preventDefault();
  };
  const inView = useMemo(() => countIn(fetch.data?.buckets ?? [], view, bucketMs), [fetch.data, view, bucketMs]);

  if (!view) return <section className="timeline panel-empty-strip">{summary.loading ? 'Loading…' : 'No events: the histogram appears once evidence is imported.'}</section>;
  return (
    <section className="timeline" tabIndex={0} onKeyDown={onKey} aria-label="Timeline">
      <div className="toolbar">
        <span className="toolbar-title">Timeline</span>
        <span className="muted" data-testid="timeline-span">
          {formatCount(inView)} in view · {bucketMs > 0 ? `${formatStep(bucketMs)} buckets` : ''}
          {fetch.data ? ` (${Math.round(fetch.data.elapsedMs)} ms)` : ''} · {formatUtcMinute(view.fromMs)} – {formatUtcMinute(view.toMs)} UTC
        </span>
        <span className="spacer" />
        <Legend series={fetch.data?.series ?? []} />
        <label className="field-inline">
          Stack
          <select value={s.stackBy} onChange={(e) => actions.setStackBy(e.target.value as StackBy)}>
            {STACKS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-icon" title="Zoom in (+)" onClick={() => onZoom(0.5)}>+</button>
        <button type="button" className="btn btn-icon" title="Zoom out (−)" onClick={() => onZoom(2)}>−</button>
        {s.range ? (
          <button type="button" className="btn" title="Zoom to the selected time range" onClick={() => s.range && actions.setView(fitExtent(s.range.fromMs, s.range.toMs))}>
            Zoom to range
          </button>
        ) : null}
        <button type="button" className="btn" title="Show the whole case (0)" onClick={() => actions.setView(null)}>Reset</button>
      </div>
      {fetch.error ? <ErrorBox error={fetch.error} onRetry={fetch.retry} /> : null}
      <TimelineCanvas view={view} bucketMs={bucketMs} buckets={fetch.data?.buckets ?? []} series={fetch.data?.series ?? []} range={s.range} dim={fetch.stale || fetch.loading} height={HEIGHT} onWidth={setWidth} onBrush={actions.setRange} onZoom={onZoom} onPan={onPan} />
    </section>
  );
}

function countIn(buckets: readonly { t: number; counts: readonly number[] }[], view: TimeRange | null, bucketMs: number): number {
  if (!view) return 0;
  let n = 0;
  for (const b of buckets) if (b.t + bucketMs > view.fromMs && b.t < view.toMs) for (const c of b.counts) n += c;
  return n;
}

const NAMED: Record<string, string> = { success: 'ok', events: 'ok', error: 'err', read: 'read', write: 'write', unknown: 'unknown' };

function Legend({ series }: { readonly series: readonly string[] }) {
  if (series.length < 2) return null;
  return (
    <span className="legend">
      {series.map((name, i) => (
        <span key={name} className="legend-item">
          <span className="swatch" style={{ background: `var(--series-${NAMED[name] ?? String(i % 6)})` }} />
          {reveal(name)}
        </span>
      ))}
    </span>
  );
}
