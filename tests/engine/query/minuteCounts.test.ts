import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TimelineBucket } from '../../../shared/api';
import { Engine } from '../../../electron/engine/engine';
import { createHandlers, dispatch } from '../../../electron/engine/handlers';
import { hasMinuteCounts } from '../../../electron/engine/store/minuteCounts';
import { envelope, record, tmpDir, write } from '../../helpers/evidence';

const T0 = Date.UTC(2024, 4, 1);
const HOUR = 3_600_000;
const engines: Engine[] = [];
afterAll(() => engines.forEach((e) => e.close()));

/** Events every 97 s over ~10 h, a third of them failures, written as one trail file. */
function evidence(dir: string, name: string, from: number, n: number): void {
  const recs = Array.from({ length: n }, (_, i) =>
    record({ eventTime: new Date(T0 + (from + i) * 97_000 + (i % 5) * 7).toISOString(), errorCode: i % 3 === 0 ? 'AccessDenied' : undefined }),
  );
  write(dir, name, envelope(recs));
}

async function timeline(engine: Engine, fromMs: number, toMs: number, bucketMs: number): Promise<TimelineBucket[]> {
  const r = await dispatch(createHandlers(engine), 'timeline:buckets', { filter: { clauses: [] }, fromMs, toMs, bucketMs, stackBy: 'outcome' });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { buckets: TimelineBucket[] }).buckets;
}

/** The same counts straight from the `events` view. */
function oracle(engine: Engine, fromMs: number, toMs: number, bucketMs: number): TimelineBucket[] {
  return engine.store
    .all(
      `SELECT CAST(? AS INTEGER) + ((eventTimeMs - CAST(? AS INTEGER)) / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, sum(errorCode IS NULL) AS ok, sum(errorCode IS NOT NULL) AS bad
       FROM events WHERE eventTimeMs >= ? AND eventTimeMs < ? GROUP BY 1 ORDER BY 1`,
      [fromMs, fromMs, bucketMs, bucketMs, fromMs, toMs],
    )
    .map((r) => ({ t: Number(r['t']), counts: [Number(r['ok']), Number(r['bad'])] }));
}

async function expectLikeOracle(engine: Engine): Promise<void> {
  for (const [from, to, bucket] of [
    [T0 - HOUR, T0 + 24 * HOUR, HOUR], // whole minutes: read from tl_minute
    [T0 + 2 * HOUR, T0 + 5 * HOUR, 5 * 60_000],
    [T0 - 1234, T0 + 24 * HOUR + 17, 600_001], // not whole minutes: read from ev
  ] as const) {
    const got = await timeline(engine, from, to, bucket);
    expect(got).toEqual(oracle(engine, from, to, bucket));
    expect(got.length).toBeGreaterThan(2);
  }
}

describe('per-minute counts behind the timeline', () => {
  it('agree with the events after one import and after a second one into the same case', async () => {
    const dir = tmpDir();
    evidence(dir, 'a/one.json', 0, 300);
    evidence(dir, 'b/two.json', 150, 300); // overlapping minutes: the counts add up
    const engine = await Engine.create();
    engines.push(engine);
    await engine.importPaths([path.join(dir, 'a')]);
    expect(hasMinuteCounts(engine.store)).toBe(true);
    await expectLikeOracle(engine);
    await engine.importPaths([path.join(dir, 'b')]);
    expect(engine.store.scalar('SELECT sum(n) FROM tl_minute')).toBe(600);
    await expectLikeOracle(engine);
  });

  it('are built from the events for a case saved without them, at its next import', async () => {
    const dir = tmpDir();
    evidence(dir, 'a/one.json', 0, 200);
    evidence(dir, 'b/two.json', 500, 100);
    const engine = await Engine.create();
    engines.push(engine);
    await engine.importPaths([path.join(dir, 'a')]);
    engine.store.run(`DROP TABLE ${engine.store.hot}.tl_minute`); // as in a case saved before the table existed
    expect(hasMinuteCounts(engine.store)).toBe(false);
    await expectLikeOracle(engine); // answered from ev meanwhile
    await engine.importPaths([path.join(dir, 'b')]);
    expect(engine.store.scalar('SELECT sum(n) FROM tl_minute')).toBe(300);
    await expectLikeOracle(engine);
  });
});
