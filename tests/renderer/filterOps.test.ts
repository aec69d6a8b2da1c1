import { describe, expect, it } from 'vitest';
import type { FilterClause } from '../../shared/domain';
import { addValue, clauseLabel, filterKey, negateClause, rangeLabel, removeClause, removeValue, toFilter, toggleClause, valueLabel } from '../../renderer/store/filterOps';

function ids(): () => string {
  let n = 0;
  return () => `id${++n}`;
}

describe('filter pills', () => {
  it('merges values of the same field and polarity into one clause', () => {
    const id = ids();
    let c: FilterClause[] = addValue([], 'eventName', 'A', false, id);
    c = addValue(c, 'eventName', 'B', false, id);
    c = addValue(c, 'eventName', 'B', false, id);
    expect(c).toEqual([{ id: 'id1', field: 'eventName', values: ['A', 'B'], negate: false, enabled: true }]);
    c = addValue(c, 'awsRegion', null, true, id);
    expect(c.map((x) => [x.field, x.values, x.negate])).toEqual([
      ['eventName', ['A', 'B'], false],
      ['awsRegion', [null], true],
    ]);
  });

  it('excluding a value that was included moves it, dropping an emptied clause', () => {
    const id = ids();
    let c = addValue([], 'eventName', 'A', false, id);
    c = addValue(c, 'eventName', 'A', true, id);
    expect(c).toEqual([{ id: 'id2', field: 'eventName', values: ['A'], negate: true, enabled: true }]);
  });

  it('does not merge into a disabled clause', () => {
    const id = ids();
    let c = toggleClause(addValue([], 'eventName', 'A', false, id), 'id1');
    c = addValue(c, 'eventName', 'B', false, id);
    expect(c.map((x) => [x.id, x.values, x.enabled])).toEqual([
      ['id1', ['A'], false],
      ['id2', ['B'], true],
    ]);
  });

  it('toggles, negates and removes one clause by id', () => {
    const id = ids();
    const c = addValue(addValue([], 'eventName', 'A', false, id), 'awsRegion', 'us-east-1', false, id);
    expect(toggleClause(c, 'id2')[1]?.enabled).toBe(false);
    expect(toggleClause(toggleClause(c, 'id2'), 'id2')[1]?.enabled).toBe(true);
    expect(negateClause(c, 'id1')[0]?.negate).toBe(true);
    expect(removeClause(c, 'id1').map((x) => x.id)).toEqual(['id2']);
    expect(removeValue(c, 'id1', 'A').map((x) => x.id)).toEqual(['id2']);
  });

  it('builds the engine filter without disabled clauses or blank text', () => {
    const id = ids();
    const c = toggleClause(addValue(addValue([], 'eventName', 'A', false, id), 'awsRegion', 'x', false, id), 'id2');
    expect(toFilter(c, '  ', null)).toEqual({ clauses: [c[0]] });
    expect(toFilter([], ' AccessDenied ', { fromMs: 1, toMs: 2 })).toEqual({ clauses: [], text: 'AccessDenied', range: { fromMs: 1, toMs: 2 } });
  });

  it('keys a filter by meaning, not by clause ids or value order', () => {
    const a = toFilter(addValue(addValue([], 'eventName', 'A', false, ids()), 'eventName', 'B', false, ids()), '', null);
    const b = toFilter([{ id: 'other', field: 'eventName', values: ['B', 'A'], negate: false, enabled: true }], '', null);
    expect(filterKey(a)).toBe(filterKey(b));
    expect(filterKey(a)).not.toBe(filterKey({ ...b, text: 'x' }));
    expect(filterKey(a)).not.toBe(filterKey({ clauses: [{ ...b.clauses[0]!, negate: true }] }));
  });

  it('labels clauses and values for people', () => {
    expect(clauseLabel({ id: 'x', field: 'eventName', values: ['A'], negate: false, enabled: true })).toEqual({ field: 'Event name', op: 'is', values: 'A' });
    expect(clauseLabel({ id: 'x', field: 'errorCode', values: [null, 'X'], negate: true, enabled: true })).toEqual({ field: 'Error code', op: 'is not one of', values: '(absent), X' });
    expect(valueLabel('')).toBe('(empty)');
    expect(rangeLabel({ fromMs: Date.UTC(2024, 0, 1), toMs: Date.UTC(2024, 0, 1, 0, 30) })).toBe('2024-01-01 00:00:00 → 2024-01-01 00:30:00');
  });
});
