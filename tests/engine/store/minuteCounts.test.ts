import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE_MS, MinuteCounts } from '../../../electron/engine/store/minuteCounts';
import { MINUTE_TABLE_DDL } from '../../../electron/engine/store/schema';
import { Store } from '../../../electron/engine/store/store';
import { random } from '../../helpers/random';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function storeWithMinuteTable(): Promise<Store> {
  const s = await Store.create();
  stores.push(s);
  s.run(MINUTE_TABLE_DDL.replaceAll('{s}', s.hot));
  return s;
}

const DAY = 24 * 60 * MINUTE_MS;
const T2024 = Date.UTC(2024, 0, 1);

/** Times as an import meets them: mostly a month of 2024 in no order, days before and after it, stray far ones both ways. */
function times(n: number, seed: number): { t: number; failed: boolean }[] {
  const rnd = random(seed);
  const r = (): number => rnd(2 ** 30) / 2 ** 30;
  const out: { t: number; failed: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const u = r();
    let t: number;
    if (u < 0.9) t = T2024 + r() * 30 * DAY;
    else if (u < 0.95) t = T2024 - r() * 400 * DAY; // before the first minute seen: the arrays grow down
    else if (u < 0.98) t = T2024 + (30 + r() * 3000) * DAY; // years later
    else if (u < 0.99) t = Date.UTC(2250, 0, 1) + r() * DAY; // further than the arrays reach
    else if (u < 0.993) t = Date.UTC(1975, 0, 1) + r() * DAY; // as far the other way
    else t = Math.floor(T2024 + r() * DAY) + 0.25; // a time with a fraction of a millisecond
    out.push({ t, failed: r() < 0.1 });
  }
  return out;
}

function oracle(events: readonly { t: number; failed: boolean }[]): [number, number, number][] {
  const by = new Map<number, [number, number]>();
  for (const { t, failed } of events) {
    const m = Math.floor(t / MINUTE_MS);
    const c = by.get(m) ?? [0, 0];
    c[0]++;
    if (failed) c[1]++;
    by.set(m, c);
  }
  return [...by].sort(([a], [b]) => a - b).map(([m, [n, e]]) => [m, n, e]);
}

describe('MinuteCounts', () => {
  it('counts every minute, in order, across growth both ways and minutes beyond its arrays', async () => {
    const store = await storeWithMinuteTable();
    for (const seed of [1, 2, 3]) {
      const events = times(50_000, seed);
      const counts = new MinuteCounts(store);
      for (const { t, failed } of events) counts.add(t, failed);
      const rows = counts.rows();
      expect(rows).not.toBeNull();
      const got = Array.from(rows?.m ?? [], (m, i) => [m, rows?.n[i], rows?.errors[i]]);
      expect(got).toEqual(oracle(events));
    }
  });

  it('leaves a minute before 1970 to the SQL path (rows() is null)', async () => {
    const store = await storeWithMinuteTable();
    const counts = new MinuteCounts(store);
    counts.add(T2024, false);
    counts.add(-1, true);
    expect(counts.rows()).toBeNull();
  });

  it('adds its counts to an existing table, the minutes before 1970 and far away included', async () => {
    const store = await storeWithMinuteTable();
    const events = [...times(20_000, 9), { t: -90_000, failed: true }, { t: -1, failed: false }];
    const half = events.length >> 1;
    for (const part of [events.slice(0, half), events.slice(half)]) {
      const counts = new MinuteCounts(store);
      for (const { t, failed } of part) counts.add(t, failed);
      counts.flush();
    }
    const table = store.all(`SELECT m, n, errors FROM ${store.hot}.tl_minute ORDER BY m`).map((r) => [r['m'], r['n'], r['errors']]);
    expect(table).toEqual(oracle(events));
  });
});
