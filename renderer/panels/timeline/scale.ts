/**
 * The histogram's time↔pixel mapping and the choices made from it (bucket size, fetch window, axis
 * ticks, zoom). Pure functions of numbers: tested without a DOM. All calendar work is UTC.
 */
import type { TimeRange } from '../../../shared/domain';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** Bucket sizes the histogram may use, smallest first. */
export const NICE_STEPS_MS: readonly number[] = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];
/** The engine refuses more buckets than this in one request. */
export const MAX_BUCKETS = 5000;
/** Narrowest span a zoom may reach. */
export const MIN_SPAN_MS = 10 * S;

export interface Scale {
  readonly domain: TimeRange;
  readonly widthPx: number;
  toPx(ms: number): number;
  toMs(px: number): number;
}

export function createScale(domain: TimeRange, widthPx: number): Scale {
  const span = Math.max(1, domain.toMs - domain.fromMs);
  const w = Math.max(1, widthPx);
  return {
    domain,
    widthPx: w,
    toPx: (ms) => ((ms - domain.fromMs) / span) * w,
    toMs: (px) => domain.fromMs + (px / w) * span,
  };
}

/** The smallest nice bucket at least `minBarPx` wide on screen. */
export function chooseBucketMs(spanMs: number, widthPx: number, minBarPx = 6): number {
  const wanted = (Math.max(1, spanMs) * minBarPx) / Math.max(1, widthPx);
  const last = NICE_STEPS_MS[NICE_STEPS_MS.length - 1] ?? D;
  const step = NICE_STEPS_MS.find((s) => s >= wanted);
  // Beyond the table (years on a narrow screen): whole multiples of the largest step.
  return step ?? Math.ceil(wanted / last) * last;
}

/**
 * About three screens of time around the view, aligned to multiples of the view's span so that small
 * pans keep the same window (and the same fetch key), then to whole buckets.
 */
export function fetchWindow(view: TimeRange, bucketMs: number): TimeRange {
  const span = Math.max(1, view.toMs - view.fromMs);
  const base = Math.floor(view.fromMs / span) * span;
  const from = Math.floor((base - span) / bucketMs) * bucketMs;
  let to = Math.ceil((base + 2 * span) / bucketMs) * bucketMs;
  if ((to - from) / bucketMs > MAX_BUCKETS) to = from + MAX_BUCKETS * bucketMs;
  return { fromMs: from, toMs: to };
}

export function zoomRange(range: TimeRange, factor: number, centerMs?: number): TimeRange {
  const span = range.toMs - range.fromMs;
  const center = centerMs ?? range.fromMs + span / 2;
  const next = Math.max(MIN_SPAN_MS, span * factor);
  const left = (center - range.fromMs) / Math.max(1, span);
  const fromMs = Math.round(center - left * next);
  return { fromMs, toMs: fromMs + Math.round(next) };
}

export function panRange(range: TimeRange, fraction: number): TimeRange {
  const d = Math.round((range.toMs - range.fromMs) * fraction);
  return { fromMs: range.fromMs + d, toMs: range.toMs + d };
}

/** The view that shows a case from its first to its last event, with a little air on both sides. */
export function fitExtent(firstMs: number, lastMs: number): TimeRange {
  const span = Math.max(lastMs - firstMs, 0);
  const pad = span === 0 ? 30 * M : Math.max(S, span * 0.02);
  // Whole seconds: the span reads cleanly in the toolbar.
  return { fromMs: Math.floor((firstMs - pad) / S) * S, toMs: Math.ceil((lastMs + pad) / S) * S };
}

const TICK_STEPS_MS: readonly number[] = NICE_STEPS_MS;

export interface Tick {
  readonly ms: number;
  readonly label: string;
  /** The first tick of a new day: label it with the date. */
  readonly major: boolean;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function tickLabel(ms: number, stepMs: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (stepMs >= D) return date;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const time = stepMs < M ? `${hm}:${pad2(d.getUTCSeconds())}` : hm;
  return ms % D === 0 ? `${date}` : time;
}

/** Axis ticks at least `minGapPx` apart, on UTC multiples of a nice step. */
export function ticks(scale: Scale, minGapPx = 90): { readonly stepMs: number; readonly ticks: readonly Tick[] } {
  const span = scale.domain.toMs - scale.domain.fromMs;
  const wanted = (span * minGapPx) / scale.widthPx;
  const stepMs = TICK_STEPS_MS.find((s) => s >= wanted) ?? Math.ceil(wanted / D) * D;
  const out: Tick[] = [];
  const first = Math.ceil(scale.domain.fromMs / stepMs) * stepMs;
  for (let t = first; t <= scale.domain.toMs && out.length < 1000; t += stepMs) {
    out.push({ ms: t, label: tickLabel(t, stepMs), major: t % D === 0 });
  }
  return { stepMs, ticks: out };
}

export function formatStep(ms: number): string {
  if (ms % D === 0) return `${ms / D} d`;
  if (ms % H === 0) return `${ms / H} h`;
  if (ms % M === 0) return `${ms / M} min`;
  return `${ms / S} s`;
}
