/**
 * A bulk import writes `ev` rows straight into the table's pages (EvEncoder); a case that already
 * has events INSERTs the same rows through SQL. Real SQLite is the judge here: seeded batches with
 * every kind of value (NULLs, ids at each integer width, times that are not whole milliseconds,
 * texts at the one- and two-byte header boundary, non-ASCII, records long enough to overflow) go
 * both ways, and the image's rows must read back exactly as SQLite stored the inserted ones.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from 'sql.js';
import { NDICT, NNUM, NTXT, NUM, NUM_NULL, TXT } from '../../../electron/engine/import/protocol';
import { tableSql } from '../../../electron/engine/store/auxImage';
import { EvRows, INT_COLUMNS, INT_NULL } from '../../../electron/engine/store/bulkRows';
import { type Batch, EvEncoder, pushInsertValues } from '../../../electron/engine/store/evRecords';
import { DatabaseImage } from '../../../electron/engine/store/image/image';
import { TextPacker } from '../../../electron/engine/store/packedTexts';
import { EV_DDL, EV_INSERT_COLUMNS, EV_TABLE_COLUMNS } from '../../../electron/engine/store/schema';
import { loadSqlJs } from '../../../electron/engine/store/sqljs';
import { random } from '../../helpers/random';

/** Global ids at every integer width SQLite distinguishes (and the constants 0 and 1). */
const IDS = [1, 2, 127, 128, 255, 32767, 32768, 8388607, 8388608, 2147483647];
/** Times: whole milliseconds, fractions (stored as REAL), before 1970 (one equal to INT_NULL), and the largest safe integer. */
const TIMES = [1_700_000_000_123, 1_700_000_000_123.5, -86_400_000, INT_NULL, 0, 1, Number.MAX_SAFE_INTEGER];
const TEXTS = ['', 'a', 'e1b1c3d0-0f3c-4cbb-9d1e-6a2c0c1f0f17', 'x'.repeat(57), 'y'.repeat(58), 'é∆😀', 'z'.repeat(5000)];

function batch(seed: number, count: number): Batch {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
  const locals = 40;
  const strMap = [0, ...Array.from({ length: locals }, () => pick(IDS))];
  const blkMap = [pick(IDS), pick(IDS), 0];
  const dict = new Int32Array(count * NDICT);
  const nums = new Float64Array(count * NNUM);
  const texts = new TextPacker();
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < NDICT; k++) dict[r * NDICT + k] = rnd(3) === 0 ? 0 : 1 + rnd(locals);
    const n = r * NNUM;
    nums[n + NUM.t] = pick(TIMES);
    nums[n + NUM.readOnly] = pick([NUM_NULL, 0, 1]);
    nums[n + NUM.management] = pick([NUM_NULL, 0, 1]);
    nums[n + NUM.sourceId] = 1 + rnd(3);
    nums[n + NUM.sourceIndex] = pick([0, 1, 300, 70000]);
    nums[n + NUM.blk] = rnd(blkMap.length);
    nums[n + NUM.off] = pick([0, 5, 40000, 30_000_000]);
    nums[n + NUM.len] = pick([1, 900, 70000]);
    for (let k = 0; k < NTXT; k++) texts.push(k !== TXT.eventId && rnd(4) === 0 ? null : rnd(5) === 0 ? null : pick(TEXTS));
  }
  return { dict, nums, texts: texts.all(), strMap, blkMap };
}

async function sqlite(): Promise<{ open: (bytes?: Uint8Array) => Database }> {
  const SQL = await loadSqlJs();
  return { open: (bytes) => new SQL.Database(bytes) };
}

/** Every column with its storage class, so that 1 and 1.0 differ. */
const SELECT = `SELECT ${EV_TABLE_COLUMNS.map((c) => `quote(${c})`).join(', ')} FROM ev ORDER BY id`;

describe('ev records written into pages', () => {
  it('read back exactly as the same rows inserted through SQL', async () => {
    const { open } = await sqlite();
    for (const seed of [1, 2, 3]) {
      const count = 3000;
      const b = batch(seed, count);
      const img = new DatabaseImage();
      const table = img.openTable('ev', tableSql(EV_DDL));
      const ev = new EvRows();
      const encoder = new EvEncoder();
      for (let r = 0; r < count; r++) encoder.add(table, ev, r + 1, b, r);
      const built = open(img.finish().slice());
      expect(built.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);

      const inserted = open();
      inserted.run(tableSql(EV_DDL));
      const stmt = inserted.prepare(`INSERT INTO ev (${EV_INSERT_COLUMNS.join(',')}) VALUES (${EV_INSERT_COLUMNS.map(() => '?').join(',')})`);
      for (let r = 0; r < count; r++) {
        const values: (number | string | null)[] = [];
        pushInsertValues(values, r + 1, b, r);
        stmt.run(values);
      }
      stmt.free();

      const want = inserted.exec(SELECT)[0]?.values ?? [];
      expect(want).toHaveLength(count);
      expect(built.exec(SELECT)[0]?.values).toEqual(want);

      // What the bulk import keeps for the indexes: the same integers (NULL as INT_NULL), times and
      // shared ids (the eventIDs' index takes the dedupe keys' bytes: layout.test.ts compares that index).
      expect(ev.count).toBe(count);
      const columns = INT_COLUMNS.map((c) => inserted.exec(`SELECT ${c} FROM ev ORDER BY id`)[0]?.values.map(([v]) => (v === null ? INT_NULL : v)));
      INT_COLUMNS.forEach((c, k) => expect([...ev.column(c)], c).toEqual(columns[k]));
      expect(Array.from({ length: count }, (_, r) => ev.t(r))).toEqual(inserted.exec('SELECT t FROM ev ORDER BY id')[0]?.values.map(([v]) => v));
      expect(Array.from({ length: count }, (_, r) => ev.sharedEventIds.text(r))).toEqual(inserted.exec('SELECT shared_event_id FROM ev ORDER BY id')[0]?.values.map(([v]) => v));
      built.close();
      inserted.close();
    }
  });
});
