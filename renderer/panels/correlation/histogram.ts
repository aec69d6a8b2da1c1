/** Pure helpers of the entity's small histogram: bucket size for a span, bars in a fixed viewBox. */
import type { TimelineBucket } from '../../../shared/api';

const STEPS = [1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000, 2_592_000_000];
/** About this many bars across the strip. */
export const TARGET_BARS = 60;
/** A burst inside one bucket still reads as a bar in time, not as a full-width block. */
const MIN_BUCKETS = 20;

export interface HistogramWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucketMs: number;
}

/** A window aligned on the bucket size that covers [firstMs, lastMs] with about TARGET_BARS bars. */
export function histogramWindow(firstMs: number, lastMs: number): HistogramWindow {
  const span = Math.max(1, lastMs - firstMs);
  const bucketMs = STEPS.find((s) => s * TARGET_BARS >= span) ?? (STEPS[STEPS.length - 1] as number);
  // One empty bucket either side, so the first and last bars do not sit on the strip's edges.
  let fromMs = (Math.floor(firstMs / bucketMs) - 1) * bucketMs;
  let toMs = (Math.floor(lastMs / bucketMs) + 2) * bucketMs;
  const missing = MIN_BUCKETS - (toMs - fromMs) / bucketMs;
  if (missing > 0) {
    fromMs -= Math.floor(missing / 2) * bucketMs;
    toMs += Math.ceil(missing / 2) * bucketMs;
  }
  return { fromMs, toMs, bucketMs };
}

export interface Bar {
  readonly t: number;
  readonly x: number;
  readonly w: number;
  /** One segment per series, bottom up: y and height in the viewBox. */
  readonly segments: readonly { readonly series: number; readonly y: number; readonly h: number; readonly count: number }[];
  readonly total: number;
}

export function histogramBars(buckets: readonly TimelineBucket[], win: HistogramWindow, width: number, height: number): Bar[] {
  const n = Math.max(1, Math.round((win.toMs - win.fromMs) / win.bucketMs));
  const slot = width / n;
  const max = buckets.reduce((m, b) => Math.max(m, b.counts.reduce((a, c) => a + c, 0)), 0);
  if (max === 0) return [];
  return buckets.map((b) => {
    const total = b.counts.reduce((a, c) => a + c, 0);
    let y = height;
    const segments = b.counts.map((count, series) => {
      const h = (count / max) * height;
      y -= h;
      return { series, y, h, count };
    });
    const i = Math.floor((b.t - win.fromMs) / win.bucketMs);
    return { t: b.t, x: i * slot + Math.min(1, slot * 0.1), w: Math.max(1, slot - Math.min(2, slot * 0.2)), segments: segments.filter((s) => s.count > 0), total };
  });
}
