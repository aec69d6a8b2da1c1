/**
 * Pointer input on the histogram: drag to brush a range (snapped to buckets; a click selects one
 * bucket), hover to inspect a bucket, wheel to zoom around the pointer (shift or a sideways wheel pans).
 */
import { useEffect, useState, type MouseEvent, type RefObject } from 'react';
import type { TimelineBucket } from '../../../shared/api';
import type { TimeRange } from '../../../shared/domain';
import { AXIS_PX } from './draw';
import { createScale } from './scale';

export interface Brush {
  readonly x0: number;
  readonly x1: number;
}

/** The range a brush from pixel `a` to `b` selects, snapped outwards to whole buckets. */
export function brushRange(view: TimeRange, widthPx: number, a: number, b: number, bucketMs: number): TimeRange {
  const scale = createScale(view, widthPx);
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const from = Math.floor(scale.toMs(lo) / bucketMs) * bucketMs;
  const to = hi - lo < 3 ? from + bucketMs : Math.ceil(scale.toMs(hi) / bucketMs) * bucketMs;
  return { fromMs: from, toMs: Math.max(to, from + 1) };
}

interface Options {
  readonly view: TimeRange;
  readonly width: number;
  readonly height: number;
  readonly bucketMs: number;
  readonly buckets: readonly TimelineBucket[];
  onBrush(r: TimeRange): void;
  onZoom(factor: number, centerMs: number): void;
  onPan(fraction: number): void;
}

export function useCanvasInput(canvas: RefObject<HTMLCanvasElement | null>, o: Options) {
  const [brush, setBrush] = useState<Brush | null>(null);
  const [hover, setHover] = useState<{ x: number; bucket: TimelineBucket } | null>(null);
  const { view, onZoom, onPan } = o;

  // Wheel zoom must stop the page from scrolling, and React's wheel listener is passive.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) onPan((e.deltaX || e.deltaY) > 0 ? 0.1 : -0.1);
      else onZoom(e.deltaY > 0 ? 1.25 : 0.8, createScale(view, rect.width).toMs(e.clientX - rect.left));
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [canvas, view, onZoom, onPan]);

  const localX = (e: MouseEvent): number => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const bucketAt = (x: number): TimelineBucket | undefined => {
    const t = createScale(o.view, o.width).toMs(x);
    return o.buckets.find((b) => b.t <= t && t < b.t + o.bucketMs);
  };
  const handlers = {
    onMouseDown: (e: MouseEvent) => setBrush({ x0: localX(e), x1: localX(e) }),
    onMouseMove: (e: MouseEvent) => {
      const x = localX(e);
      if (brush) setBrush({ ...brush, x1: x });
      const inPlot = e.clientY - e.currentTarget.getBoundingClientRect().top < o.height - AXIS_PX;
      const b = inPlot ? bucketAt(x) : undefined;
      setHover(b ? { x, bucket: b } : null);
    },
    onMouseUp: (e: MouseEvent) => {
      if (!brush) return;
      setBrush(null);
      o.onBrush(brushRange(o.view, o.width, brush.x0, localX(e), o.bucketMs));
    },
    onMouseLeave: () => {
      setBrush(null);
      setHover(null);
    },
  };
  return { brush, hover, handlers };
}
