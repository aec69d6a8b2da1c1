import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TimelineBucket } from '../../../shared/api';
import { type CountByValue, FILTER_FIELDS, type FilterField } from '../../../shared/domain';
import { Engine } from '../../../electron/engine/engine';
import { createHandlers, dispatch } from '../../../electron/engine/handlers';
import { hasMinuteCounts } from '../../../electron/engine/store/minuteCounts';
import { SCALAR_COLUMNS } from '../../../electron/engine/store/schema';
import { COUNTED_COLUMNS, hasValueCounts } from '../../../electron/engine/store/valueCounts';
import { envelope, record, tmpDir, write } from '../../helpers/evidence';

const T0 = Date.UTC(2024, 4, 1);
const HOUR = 3_600_000;
const engines: Engine[] = [];
afterAll(() => engines.forEach((e) => e.close()));

/** Events every 97 s over ~10 h, a third of them failures, with varied (and absent) fields, as one trail file. */
function evidence(dir: string, name: string, from: number, n: number): void {
  const recs = Array.from({ length: n }, (_, i) =>
    record({
      eventTime: new Date(T0 + (from + i) * 97_000 + (i % 5) * 7).toISOString(),
      errorCode: i % 3 === 0 ? 'AccessDenied' : undefined,
      userAgent: i % 4 === 0 ? undefined : `agent-${(from + i) % 7}`,
      eventName: `Call${(from + i) % 5}`,
    }),
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

/** The sidebar's fields kept in `ev_counts`. */
const COUNTED_FIELDS = FILTER_FIELDS.filter((f) => SCALAR_COLUMNS.some((c) => c.name === f && COUNTED_COLUMNS.includes(c.col)));

async function expectFacetsLikeOracle(engine: Engine): Promise<void> {
  expect(COUNTED_FIELDS).toEqual(expect.arrayContaining(['eventName', 'userAgent', 'userIdentity_userName', 'errorCode']));
  for (const field of COUNTED_FIELDS as FilterField[]) {
    const r = await dispatch(createHandlers(engine), 'facets:top', { filter: { clauses: [] }, field, limit: 1000 });
    if (!r.ok) throw new Error(r.error.message);
    const expected = engine.store.all(`SELECT ${field} AS value, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, value`).map((x) => ({ value: x['value'] ?? null, count: Number(x['n']) }));
    expect([field, (r.value as { values: CountByValue[] }).values]).toEqual([field, expected]);
  }
}

async function expectLikeOracle(engine: Engine): Promise<void> {
  await expectFacetsLikeOracle(engine);
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

describe('the counts kept by the import (timeline per minute, sidebar values)', () => {
  it('agree with the events after one import and after a second one into the same case', async () => {
    const dir = tmpDir();
    evidence(dir, 'a/one.json', 0, 300);
    evidence(dir, 'b/two.json', 150, 300); // overlapping minutes: the counts add up
    const engine = await Engine.create();
    engines.push(engine);
    await engine.importPaths([path.join(dir, 'a')]);
    expect(hasMinuteCounts(engine.store) && hasValueCounts(engine.store)).toBe(true);
    await expectLikeOracle(engine);
    await engine.importPaths([path.join(dir, 'b')]);
    expect(engine.store.scalar('SELECT sum(n) FROM tl_minute')).toBe(600);
    expect(engine.store.scalar("SELECT sum(n) FROM ev_counts WHERE col = 'name'")).toBe(600);
    await expectLikeOracle(engine);
  });

  it('are built from the events for a case saved without them, at its next import', async () => {
    const dir = tmpDir();
    evidence(dir, 'a/one.json', 0, 200);
    evidence(dir, 'b/two.json', 500, 100);
    const engine = await Engine.create();
    engines.push(engine);
    await engine.importPaths([path.join(dir, 'a')]);
    // As in a case saved before these tables existed.
    engine.store.run(`DROP TABLE ${engine.store.hot}.tl_minute`);
    engine.store.run(`DROP TABLE ${engine.store.hot}.ev_counts`);
    expect(hasMinuteCounts(engine.store) || hasValueCounts(engine.store)).toBe(false);
    await expectLikeOracle(engine); // answered from ev meanwhile
    await engine.importPaths([path.join(dir, 'b')]);
    expect(engine.store.scalar('SELECT sum(n) FROM tl_minute')).toBe(300);
    expect(engine.store.scalar("SELECT sum(n) FROM ev_counts WHERE col = 'ua'")).toBe(300);
    await expectLikeOracle(engine);
  });
});
