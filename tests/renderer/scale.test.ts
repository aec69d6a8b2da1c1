import { describe, expect, it } from 'vitest';
import { chooseBucketMs, createScale, fetchWindow, fitExtent, formatStep, MAX_BUCKETS, MIN_SPAN_MS, NICE_STEPS_MS, panRange, tickLabel, ticks, zoomRange } from '../../renderer/panels/timeline/scale';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 2, 1);

describe('time scale', () => {
  it('maps time to pixels and back', () => {
    const s = createScale({ fromMs: T0, toMs: T0 + D }, 1200);
    expect(s.toPx(T0)).toBe(0);
    expect(s.toPx(T0 + D)).toBe(1200);
    expect(s.toPx(T0 + 12 * H)).toBe(600);
    for (const px of [0, 1, 333.5, 1199]) expect(s.toPx(s.toMs(px))).toBeCloseTo(px, 6);
  });

  it('survives a zero span and a zero width', () => {
    const s = createScale({ fromMs: T0, toMs: T0 }, 0);
    expect(Number.isFinite(s.toPx(T0 + 5))).toBe(true);
    expect(Number.isFinite(s.toMs(10))).toBe(true);
  });
});

describe('bucket size', () => {
  it('is the smallest nice step at least the minimum bar width', () => {
    // A day over 1200 px with 6 px bars wants ≥ 7.2 min: the next nice step is 10 min.
    expect(chooseBucketMs(D, 1200, 6)).toBe(600_000);
    expect(chooseBucketMs(30 * D, 1200, 6)).toBe(6 * H);
    expect(chooseBucketMs(30 * D, 1200, 2)).toBe(2 * H);
    expect(chooseBucketMs(60_000, 1200, 6)).toBe(1000);
  });

  it('is always one of the nice steps within the table, and a whole multiple of the largest beyond it', () => {
    for (const span of [1, 10_000, 7 * D, 90 * D]) expect(NICE_STEPS_MS).toContain(chooseBucketMs(span, 1000));
    const years = chooseBucketMs(20 * 365 * D, 300);
    expect(years % (30 * D)).toBe(0);
    expect((20 * 365 * D) / years).toBeLessThanOrEqual(300 / 6 + 1);
  });

  it('keeps three screens under the engine limit', () => {
    for (const width of [320, 1440, 3840]) {
      for (const span of [10_000, H, D, 30 * D, 400 * D]) {
        const view = { fromMs: T0, toMs: T0 + span };
        const bucket = chooseBucketMs(span, width);
        const w = fetchWindow(view, bucket);
        expect((w.toMs - w.fromMs) / bucket).toBeLessThanOrEqual(MAX_BUCKETS);
        expect(w.fromMs).toBeLessThanOrEqual(view.fromMs);
        expect(w.toMs).toBeGreaterThanOrEqual(view.toMs);
      }
    }
  });
});

describe('fetch window', () => {
  it('covers about three screens aligned to buckets', () => {
    const view = { fromMs: T0 + 5 * H, toMs: T0 + 6 * H };
    const w = fetchWindow(view, 60_000);
    expect(w.fromMs % 60_000).toBe(0);
    expect(w.toMs % 60_000).toBe(0);
    expect(w.toMs - w.fromMs).toBe(3 * H);
    expect(w.fromMs).toBeLessThanOrEqual(view.fromMs - 0);
    expect(w.toMs).toBeGreaterThanOrEqual(view.toMs);
  });

  it('stays the same for small pans (same fetch key)', () => {
    const view = { fromMs: T0 + 5 * H, toMs: T0 + 6 * H };
    const a = fetchWindow(view, 60_000);
    const b = fetchWindow(panRange(view, 0.3), 60_000);
    expect(b).toEqual(a);
  });
});

describe('zoom and pan', () => {
  it('zooms around the centre, keeping it at the same place on screen', () => {
    const r = { fromMs: T0, toMs: T0 + 10 * H };
    const centre = T0 + 2 * H;
    const z = zoomRange(r, 0.5, centre);
    expect(z.toMs - z.fromMs).toBe(5 * H);
    expect((centre - z.fromMs) / (z.toMs - z.fromMs)).toBeCloseTo(0.2, 6);
  });

  it('does not zoom below the minimum span', () => {
    const z = zoomRange({ fromMs: T0, toMs: T0 + 20_000 }, 0.01);
    expect(z.toMs - z.fromMs).toBe(MIN_SPAN_MS);
  });

  it('pans by a fraction of the span', () => {
    expect(panRange({ fromMs: 0, toMs: 1000 }, -0.2)).toEqual({ fromMs: -200, toMs: 800 });
  });

  it('fits a case with air on both sides, one event included', () => {
    const f = fitExtent(T0, T0 + D);
    expect(f.fromMs).toBeLessThan(T0);
    expect(f.toMs).toBeGreaterThan(T0 + D);
    const one = fitExtent(T0, T0);
    expect(one.toMs - one.fromMs).toBe(H);
  });
});

describe('axis ticks', () => {
  it('are on UTC multiples of a nice step, far enough apart', () => {
    const s = createScale({ fromMs: T0 + 1234, toMs: T0 + 3 * D }, 1000);
    const { stepMs, ticks: t } = ticks(s, 90);
    expect(NICE_STEPS_MS).toContain(stepMs);
    expect((stepMs / (3 * D)) * 1000).toBeGreaterThanOrEqual(90);
    for (const tick of t) expect(tick.ms % stepMs).toBe(0);
    expect(t.filter((x) => x.major).map((x) => x.label)).toEqual(['2024-03-02', '2024-03-03', '2024-03-04']);
  });

  it('label in UTC, with seconds only under a minute', () => {
    expect(tickLabel(Date.UTC(2024, 0, 5, 13, 7, 0), 10 * 60_000)).toBe('13:07');
    expect(tickLabel(Date.UTC(2024, 0, 5, 13, 7, 30), 10_000)).toBe('13:07:30');
    expect(tickLabel(Date.UTC(2024, 0, 5), H)).toBe('2024-01-05');
    expect(tickLabel(Date.UTC(2024, 0, 5, 12), D)).toBe('2024-01-05');
  });

  it('names steps', () => {
    expect([1000, 120_000, 3 * H, 7 * D].map(formatStep)).toEqual(['1 s', '2 min', '3 h', '7 d']);
  });
});

describe('brush', () => {
  it('snaps outwards to whole buckets, and a click selects the bucket under it', async () => {
    const { brushRange } = await import('../../renderer/panels/timeline/useCanvasInput');
    const view = { fromMs: T0, toMs: T0 + 10 * H };
    expect(brushRange(view, 1000, 150, 250, H)).toEqual({ fromMs: T0 + H, toMs: T0 + 3 * H });
    expect(brushRange(view, 1000, 250, 150, H)).toEqual({ fromMs: T0 + H, toMs: T0 + 3 * H });
    expect(brushRange(view, 1000, 155, 156, H)).toEqual({ fromMs: T0 + H, toMs: T0 + 2 * H });
  });
});
