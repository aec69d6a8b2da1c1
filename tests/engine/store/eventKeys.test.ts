/**
 * The dedupe keys of an import: every (account, eventID) found again is the row it was added as,
 * and no other key is, through the table's growth. A Map of the same keys is the oracle.
 */
import { describe, expect, it } from 'vitest';
import { EventKeys } from '../../../electron/engine/store/eventKeys';
import { random } from '../../helpers/random';

const encoder = new TextEncoder();

describe('EventKeys', () => {
  it('finds every key added, and only those, through growth', () => {
    const rnd = random(7);
    const keys = new EventKeys();
    const oracle = new Map<string, number>();
    // Few distinct ids and accounts, so that ids repeat across accounts and keys repeat outright.
    const ids = Array.from({ length: 60_000 }, (_, i) => (i % 7 === 0 ? `id-${i}` : `e1b1c3d0-0f3c-4cbb-9d1e-${String(i).padStart(12, '0')}`));
    let next = 1;
    for (let batch = 0; batch < 2_000; batch++) {
      // A batch's keys share one buffer, at their own offsets, as in a worker's batch.
      const chosen = Array.from({ length: 100 }, () => [ids[rnd(ids.length)] as string, rnd(3)] as const);
      const b = encoder.encode(chosen.map(([id]) => id).join(''));
      const starts = chosen.map((_, i) => chosen.slice(0, i).reduce((n, [id]) => n + id.length, 0));
      let start = 0;
      for (const [k, [id, account]] of chosen.entries()) {
        const want = oracle.get(`${account}/${id}`) ?? 0;
        expect(keys.find(b, start, id.length, account)).toBe(want);
        if (want === 0) {
          // Sometimes another key of the same buffer is looked up between the find and the add: the
          // one before (same length, another place), or the start of the buffer (another length).
          if (rnd(10) === 0 && k > 0) keys.find(b, starts[k - 1] as number, (chosen[k - 1] as readonly [string, number])[0].length, account);
          if (rnd(10) === 0) keys.find(b, 0, 3, account);
          keys.add(b, start, id.length, account, next);
          oracle.set(`${account}/${id}`, next++);
        }
        start += id.length;
      }
    }
    expect(next).toBeGreaterThan(100_000);
    for (const [key, row] of oracle) {
      const slash = key.indexOf('/');
      const b = encoder.encode(key.slice(slash + 1));
      expect(keys.find(b, 0, b.length, Number(key.slice(0, slash)))).toBe(row);
    }
    // The events already in a case come in as strings.
    keys.addText('from-the-case', 9, next);
    const b = encoder.encode('from-the-case');
    expect(keys.find(b, 0, b.length, 9)).toBe(next);
    expect(keys.find(b, 0, b.length, 8)).toBe(0);
    keys.clear();
    expect(keys.find(b, 0, b.length, 9)).toBe(0);
  });
});
