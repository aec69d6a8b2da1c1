import { useEffect, useRef } from 'react';
import type { TimelineBucket } from '../../../shared/api';
import type { TimeRange } from '../../../shared/domain';
import { formatCount, formatUtc, reveal } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import { useApp } from '../../store/context';
import { drawHistogram, maxStacked, type Palette } from './draw';
import { useCanvasInput } from './useCanvasInput';

export interface TimelineCanvasProps {
  readonly view: TimeRange;
  readonly bucketMs: number;
  readonly buckets: readonly TimelineBucket[];
  readonly series: readonly string[];
  readonly range: TimeRange | null;
  readonly dim: boolean;
  readonly height: number;
  readonly onWidth: (w: number) => void;
  readonly onBrush: (r: TimeRange) => void;
  readonly onZoom: (factor: number, centerMs: number) => void;
  readonly onPan: (fraction: number) => void;
}

const NAMED_SERIES: Record<string, string> = { success: '--series-ok', events: '--series-ok', error: '--series-err', read: '--series-read', write: '--series-write', unknown: '--series-unknown' };

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

/** The theme's colours, read when drawing so a theme switch repaints in the new colours. */
function palette(el: Element): Palette {
  return {
    bg: cssVar(el, '--bg-panel'),
    grid: cssVar(el, '--grid'),
    text: cssVar(el, '--text-muted'),
    range: cssVar(el, '--range-fill'),
    brush: cssVar(el, '--brush-fill'),
    series: (name, i) => cssVar(el, NAMED_SERIES[name] ?? `--series-${i % 6}`),
  };
}

export function TimelineCanvas(p: TimelineCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(wrap);
  const { onWidth } = p;
  const input = useCanvasInput(canvas, { view: p.view, width, height: p.height, bucketMs: p.bucketMs, buckets: p.buckets, onBrush: p.onBrush, onZoom: p.onZoom, onPan: p.onPan });
  const theme = useApp((s) => s.theme);

  useEffect(() => {
    onWidth(width);
  }, [width, onWidth]);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(p.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const maxCount = maxStacked(p.buckets, p.view, p.bucketMs);
    drawHistogram(ctx, palette(c), { width, height: p.height, view: p.view, bucketMs: p.bucketMs, buckets: p.buckets, maxCount, series: p.series, range: p.range, brush: input.brush, dim: p.dim });
  }, [width, p.height, p.view, p.bucketMs, p.buckets, p.series, p.range, input.brush, p.dim, theme]);

  return (
    <div ref={wrap} className="timeline-canvas-wrap" style={{ height: p.height }}>
      <canvas ref={canvas} className="timeline-canvas" style={{ width: '100%', height: p.height }} aria-label="Event histogram: drag to select a time range, wheel to zoom" data-testid="histogram" data-stale={p.dim} {...input.handlers} />
      {input.hover && !input.brush ? <HoverTip x={input.hover.x} width={width} bucket={input.hover.bucket} bucketMs={p.bucketMs} series={p.series} /> : null}
    </div>
  );
}

function HoverTip({ x, width, bucket, bucketMs, series }: { readonly x: number; readonly width: number; readonly bucket: TimelineBucket; readonly bucketMs: number; readonly series: readonly string[] }) {
  const total = bucket.counts.reduce((a, b) => a + b, 0);
  const left = Math.min(Math.max(0, x + 12), Math.max(0, width - 230));
  return (
    <div className="timeline-tip" style={{ left }}>
      <div className="timeline-tip-time">
        {formatUtc(bucket.t)} – {formatUtc(bucket.t + bucketMs)}
      </div>
      <div>
        <strong>{formatCount(total)}</strong> events
      </div>
      {series.length > 1
        ? series.map((s, i) => (
            <div key={s} className="timeline-tip-row">
              {reveal(s)}: {formatCount(bucket.counts[i] ?? 0)}
            </div>
          ))
        : null}
    </div>
  );
}
