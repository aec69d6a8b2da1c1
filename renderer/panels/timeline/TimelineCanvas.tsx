import { useEffect, useRef, useState } from 'react';
import type { TimelineBucket } from '../../../shared/api';
import type { TimeRange } from '../../../shared/domain';
import { formatCount, formatUtc } from '../../format';
import { AXIS_PX, drawHistogram, maxStacked, type Palette } from './draw';
import { createScale } from './scale';
import { useElementWidth } from '../../hooks/useElementWidth';

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

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

function palette(el: Element): Palette {
  const named: Record<string, string> = { success: '--series-ok', events: '--series-ok', error: '--series-err', read: '--series-read', write: '--series-write', unknown: '--series-unknown' };
  return {
    bg: cssVar(el, '--bg-panel'),
    grid: cssVar(el, '--grid'),
    text: cssVar(el, '--text-muted'),
    range: cssVar(el, '--range-fill'),
    brush: cssVar(el, '--brush-fill'),
    series: (name, i) => cssVar(el, named[name] ?? `--series-${i % 6}`),
  };
}

export function TimelineCanvas(p: TimelineCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(wrap);
  const [brush, setBrush] = useState<{ x0: number; x1: number } | null>(null);
  const [hover, setHover] = useState<{ x: number; bucket: TimelineBucket } | null>(null);
  const { onWidth, onZoom, onPan } = p;

  useEffect(() => {
    onWidth(width);
  }, [width, onWidth]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(p.height * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const maxCount = maxStacked(p.buckets, p.view, p.bucketMs);
    drawHistogram(ctx, palette(c), { width, height: p.height, view: p.view, bucketMs: p.bucketMs, buckets: p.buckets, maxCount, series: p.series, range: p.range, brush, dim: p.dim });
  }, [width, p.height, p.view, p.bucketMs, p.buckets, p.series, p.range, brush, p.dim]);

  // Wheel zoom must prevent the page from scrolling: React's wheel listener is passive.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      const center = createScale(p.view, rect.width).toMs(e.clientX - rect.left);
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) onPan((e.deltaX || e.deltaY) > 0 ? 0.1 : -0.1);
      else onZoom(e.deltaY > 0 ? 1.25 : 0.8, center);
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [p.view, onZoom, onPan]);

  const scale = createScale(p.view, width);
  const localX = (e: React.MouseEvent): number => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const bucketAt = (x: number): TimelineBucket | undefined => {
    const t = scale.toMs(x);
    return p.buckets.find((b) => b.t <= t && t < b.t + p.bucketMs);
  };
  const finishBrush = (x: number): void => {
    if (!brush) return;
    setBrush(null);
    const [a, b] = [Math.min(brush.x0, x), Math.max(brush.x0, x)];
    const snap = (ms: number, up: boolean): number => (up ? Math.ceil(ms / p.bucketMs) : Math.floor(ms / p.bucketMs)) * p.bucketMs;
    // A click without a drag selects the bucket under the pointer.
    const from = snap(scale.toMs(a), false);
    const to = b - a < 3 ? from + p.bucketMs : snap(scale.toMs(b), true);
    p.onBrush({ fromMs: from, toMs: Math.max(to, from + 1) });
  };

  return (
    <div ref={wrap} className="timeline-canvas-wrap" style={{ height: p.height }}>
      <canvas
        ref={canvas}
        className="timeline-canvas"
        style={{ width: '100%', height: p.height }}
        aria-label="Event histogram: drag to select a time range, wheel to zoom"
        data-testid="histogram"
        data-stale={p.dim}
        onMouseDown={(e) => setBrush({ x0: localX(e), x1: localX(e) })}
        onMouseMove={(e) => {
          const x = localX(e);
          if (brush) setBrush({ ...brush, x1: x });
          const b = e.clientY - e.currentTarget.getBoundingClientRect().top < p.height - AXIS_PX ? bucketAt(x) : undefined;
          setHover(b ? { x, bucket: b } : null);
        }}
        onMouseUp={(e) => finishBrush(localX(e))}
        onMouseLeave={() => {
          setBrush(null);
          setHover(null);
        }}
      />
      {hover && !brush ? <HoverTip x={hover.x} width={width} bucket={hover.bucket} bucketMs={p.bucketMs} series={p.series} /> : null}
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
              {s}: {formatCount(bucket.counts[i] ?? 0)}
            </div>
          ))
        : null}
    </div>
  );
}
