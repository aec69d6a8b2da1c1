import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILTER_FIELDS, type Filter, type FilterClause, type FilterField } from '../../../shared/domain';
import { type Fixture, N, NEEDLE, T0, type ViewRow, fieldValues, fixtureRecord, makeFixture, matches, viewRows } from './fixture';

let fx: Fixture;
let rows: ViewRow[];

beforeAll(async () => {
  fx = await makeFixture();
  rows = viewRows(fx.engine);
});
afterAll(() => fx.engine.close());

const clause = (field: FilterField, values: (string | null)[], negate = false, enabled = true): FilterClause => ({ id: `${field}-${values.join()}`.slice(0, 200), field, values, negate, enabled });

async function matchedIds(filter: Filter): Promise<number[]> {
  const page = await fx.value<{ rows: { rowId: number }[]; total: number }>('events:page', { filter, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 10_000 });
  expect(page.rows.length).toBe(page.total);
  return page.rows.map((r) => r.rowId).sort((a, b) => a - b);
}

function oracle(pred: (r: ViewRow) => boolean): number[] {
  return rows.filter(pred).map((r) => r.rowId);
}

/** The two most frequent present values of a field in the fixture. */
function commonValues(field: FilterField): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) for (const v of fieldValues(r, field)) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([v]) => v);
}

describe('filter', () => {
  it('imported the fixture', () => {
    expect(rows.length).toBe(N);
  });

  describe.each(FILTER_FIELDS.map((f) => [f]))('%s', (field) => {
    it('matches one value, several values, null, and their negations like the events view', async () => {
      const [a, b] = commonValues(field);
      expect(a).toBeDefined();
      const cases: [(string | null)[], boolean][] = [
        [[a as string], false],
        [[a as string], true],
        [[a as string, b ?? 'none'], false],
        [[null], false],
        [[null], true],
        [[a as string, null], true],
      ];
      for (const [values, negate] of cases) {
        const expected = oracle((r) => matches(r, field, values) !== negate);
        expect(await matchedIds({ clauses: [clause(field, values, negate)] }), `${field} ${negate ? 'NOT ' : ''}${JSON.stringify(values)}`).toEqual(expected);
      }
      expect(oracle((r) => matches(r, field, [a as string])).length).toBeGreaterThan(0);
    });

    it('matches nothing for a value that is not in the case (and everything when negated)', async () => {
      expect(await matchedIds({ clauses: [clause(field, ['no-such-value-anywhere'])] })).toEqual([]);
      expect((await matchedIds({ clauses: [clause(field, ['no-such-value-anywhere'], true)] })).length).toBe(N);
    });
  });

  it('has fields with absent values in the fixture, so null clauses are tested on both sides', () => {
    for (const f of ['errorCode', 'userIdentity_userName', 'readOnly', 'resourceName', 'resourceType', 'eventCategory', 'sourceIdentity', 'sharedEventID'] as const) {
      const nulls = oracle((r) => matches(r, f, [null])).length;
      expect(nulls, f).toBeGreaterThan(0);
      expect(nulls, f).toBeLessThan(N);
    }
  });

  it('ANDs clauses, ignores disabled and empty ones', async () => {
    const filter: Filter = {
      clauses: [clause('eventName', ['GetObject', 'PutObject']), clause('errorCode', [null]), clause('awsRegion', ['us-east-1'], false, false), clause('userAgent', [])],
    };
    const expected = fx.engine.store.scalar("SELECT count(*) FROM events WHERE eventName IN ('GetObject', 'PutObject') AND errorCode IS NULL");
    expect(expected).toBeGreaterThan(0);
    expect((await matchedIds(filter)).length).toBe(expected);
  });

  it('searches the original record case-insensitively', async () => {
    const expected = Array.from({ length: N }, (_, i) => fixtureRecord(i)).filter((r) => JSON.stringify(r).toLowerCase().includes(NEEDLE)).length;
    expect(expected).toBeGreaterThan(0);
    expect((await matchedIds({ clauses: [], text: NEEDLE.toUpperCase() })).length).toBe(expected);
    expect(await matchedIds({ clauses: [], text: 'zz-not-there-zz' })).toEqual([]);
  });

  it('treats the range as [fromMs, toMs)', async () => {
    const fromMs = T0 + 10 * 37_000;
    const toMs = T0 + 50 * 37_000;
    const expected = oracle((r) => r.eventTimeMs >= fromMs && r.eventTimeMs < toMs);
    expect(await matchedIds({ clauses: [], range: { fromMs, toMs } })).toEqual(expected);
    expect(expected.some((id) => rows.find((r) => r.rowId === id)?.eventTimeMs === fromMs)).toBe(true);
    expect(await matchedIds({ clauses: [], range: { fromMs, toMs: fromMs } })).toEqual([]);
  });

  it('takes the largest filter the guards allow (30 clauses of 1000 values)', async () => {
    // requestID is stored as text: every value is a bound parameter (30 000 in all).
    const values = (i: number): (string | null)[] => Array.from({ length: 1000 }, (_, j) => (j === 0 ? `req-${i}` : j === 1 ? null : `v${i}-${j}`));
    const clauses = Array.from({ length: 30 }, (_, i) => clause('requestID', values(i), true));
    const expected = oracle((r) => typeof r['requestID'] === 'string' && !Array.from({ length: 30 }, (_, i) => `req-${i}`).includes(r['requestID']));
    expect(expected.length).toBeGreaterThan(0);
    expect(await matchedIds({ clauses })).toEqual(expected);
    const tooMany = await fx.call('events:page', { filter: { clauses: [...clauses, clause('eventName', ['x'])] }, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 10 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses malformed filters naming the field', async () => {
    const bad = [
      { clauses: [{ ...clause('eventName', ['x']), field: 'eventname; DROP TABLE ev' }] },
      { clauses: [{ ...clause('eventName', ['x']), values: [1] }] },
      { clauses: [{ ...clause('eventName', ['x']), negate: 'yes' }] },
      { clauses: 'all' },
      { clauses: [], range: { fromMs: 10, toMs: 5 } },
      { clauses: [], range: { fromMs: Number.NaN, toMs: 5 } },
      { clauses: [], text: 'x'.repeat(5000) },
    ];
    for (const filter of bad) {
      const r = await fx.call('events:page', { filter, sort: { field: 'eventTimeMs', dir: 'asc' }, offset: 0, limit: 10 });
      expect(r.ok, JSON.stringify(filter).slice(0, 80)).toBe(false);
      expect(!r.ok && r.error.code).toBe('bad-request');
      expect(!r.ok && r.error.message).toMatch(/^filter\./);
    }
  });
});
