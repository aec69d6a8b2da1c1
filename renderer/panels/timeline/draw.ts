/**
 * Paints the histogram on a canvas: stacked bars, the UTC axis, the filter's range and the brush.
 * Labels are drawn with fillText (series names may come from the data: never HTML).
 */
import type { TimelineBucket } from '../../../shared/api';
import type { TimeRange } from '../../../shared/domain';
import { createScale, ticks } from './scale';

export interface Palette {
  readonly bg: string;
  readonly grid: string;
  readonly text: string;
  readonly range: string;
  readonly brush: string;
  readonly series: (name: string, index: number) => string;
}

export interface DrawInput {
  readonly width: number;
  readonly height: number;
  readonly view: TimeRange;
  readonly bucketMs: number;
  readonly buckets: readonly TimelineBucket[];
  readonly maxCount: number;
  readonly series: readonly string[];
  readonly range: TimeRange | null;
  readonly brush: { readonly x0: number; readonly x1: number } | null;
  readonly dim: boolean;
}

export const AXIS_PX = 18;
const TOP_PAD = 6;

/** Largest stacked bucket inside the view (what the y axis must fit). */
export function maxStacked(buckets: readonly TimelineBucket[], view: TimeRange, bucketMs: number): number {
  let max = 0;
  for (const b of buckets) {
    if (b.t + bucketMs <= view.fromMs || b.t >= view.toMs) continue;
    let sum = 0;
    for (const c of b.counts) sum += c;
    if (sum > max) max = sum;
  }
  return max;
}

export function drawHistogram(ctx: CanvasRenderingContext2D, p: Palette, d: DrawInput): void {
  const plotH = d.height - AXIS_PX;
  const scale = createScale(d.view, d.width);
  ctx.clearRect(0, 0, d.width, d.height);
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, d.width, d.height);
  if (d.range) {
    const x0 = Math.max(0, scale.toPx(d.range.fromMs));
    const x1 = Math.min(d.width, scale.toPx(d.range.toMs));
    if (x1 > x0) {
      ctx.fillStyle = p.range;
      ctx.fillRect(x0, 0, x1 - x0, plotH);
    }
  }
  const { ticks: axis } = ticks(scale);
  ctx.strokeStyle = p.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of axis) {
    const x = Math.round(scale.toPx(t.ms)) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, plotH);
  }
  ctx.moveTo(0, plotH + 0.5);
  ctx.lineTo(d.width, plotH + 0.5);
  ctx.stroke();
  drawBars(ctx, p, d, plotH);
  ctx.globalAlpha = 1;
  ctx.fillStyle = p.text;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const t of axis) {
    const x = scale.toPx(t.ms);
    ctx.fillText(t.label, x + 3, plotH + AXIS_PX / 2);
  }
  if (d.brush) {
    const x0 = Math.min(d.brush.x0, d.brush.x1);
    ctx.fillStyle = p.brush;
    ctx.fillRect(x0, 0, Math.abs(d.brush.x1 - d.brush.x0), plotH);
  }
}

function drawBars(ctx: CanvasRenderingContext2D, p: Palette, d: DrawInput, plotH: number): void {
  if (d.maxCount <= 0) return;
  const scale = createScale(d.view, d.width);
  const yScale = (plotH - TOP_PAD) / d.maxCount;
  const barW = Math.max(1, scale.toPx(d.view.fromMs + d.bucketMs) - scale.toPx(d.view.fromMs));
  const gap = barW > 4 ? 1 : 0;
  ctx.globalAlpha = d.dim ? 0.45 : 1;
  for (const b of d.buckets) {
    const x = scale.toPx(b.t);
    if (x + barW < 0 || x > d.width) continue;
    let y = plotH;
    b.counts.forEach((c, i) => {
      if (c <= 0) return;
      // At least one pixel: a single event in a month must stay visible.
      const h = Math.max(1, c * yScale);
      ctx.fillStyle = p.series(d.series[i] ?? '', i);
      ctx.fillRect(x, y - h, barW - gap, h);
      y -= h;
    });
  }
}
