/**
 * Database images written by Cairn's own b-tree builder must be files SQLite itself accepts: the
 * integrity check passes, and every row and index entry reads back as written. sql.js (real SQLite)
 * is the judge; page sizes and payloads are chosen to reach overflow chains, several interior
 * levels and the edge where the last index entry would be left without a leaf.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from 'sql.js';
import { DatabaseImage } from '../../../electron/engine/store/image/image';
import { RecordWriter, putAsciiTextIntRecord, putVarint, varintLength } from '../../../electron/engine/store/image/record';
import { loadSqlJs } from '../../../electron/engine/store/sqljs';

type Value = number | string | null;

async function open(bytes: Uint8Array): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(bytes);
}

function check(db: Database): void {
  expect(db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
}

function rows(db: Database, sql: string): Value[][] {
  return (db.exec(sql)[0]?.values ?? []) as Value[][];
}

/** Deterministic pseudo-random numbers (tests must not depend on Math.random). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Builds `t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT)` with an index on (a, b) and one on b. */
function build(data: readonly (readonly [number, Value, Value])[], pageSize: number): Uint8Array {
  const img = new DatabaseImage(pageSize);
  const rec = new RecordWriter();
  const put = (v: Value): void => {
    if (v === null) rec.null();
    else if (typeof v === 'number') rec.num(v);
    else rec.text(v);
  };
  img.table('t', 'CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)', (b) => {
    for (const [id, a, s] of data) {
      rec.null();
      put(a);
      put(s);
      b.add(id, rec.finish());
    }
  });
  const cmp = (x: Value, y: Value): number => {
    if (x === y) return 0;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return Buffer.compare(Buffer.from(x), Buffer.from(y));
  };
  const byAB = [...data].sort((x, y) => cmp(x[1], y[1]) || cmp(x[2], y[2]) || x[0] - y[0]);
  img.index('t_ab', 't', 'CREATE INDEX t_ab ON t(a, b)', (b) => {
    for (const [id, a, s] of byAB) {
      put(a);
      put(s);
      rec.int(id);
      b.add(rec.finish());
    }
  });
  const byB = [...data].sort((x, y) => cmp(x[2], y[2]) || x[0] - y[0]);
  img.index('t_b', 't', 'CREATE INDEX t_b ON t(b)', (b) => {
    for (const [id, , s] of byB) {
      put(s);
      rec.int(id);
      b.add(rec.finish());
    }
  });
  return img.finish();
}

describe('varints', () => {
  it('round-trip through SQLite-sized boundaries', () => {
    for (const v of [0, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, 268435456, 2 ** 35, 2 ** 49, 2 ** 53 - 1]) {
      const out = new Uint8Array(10);
      const end = putVarint(out, 0, v);
      expect(end).toBe(varintLength(v));
      let x = 0;
      for (let i = 0; i < end; i++) x = x * 128 + ((out[i] as number) & 0x7f);
      expect(x).toBe(v);
    }
  });
});

describe('direct record encoders', () => {
  it('(text, integer) and (text, integer, integer) are byte for byte what RecordWriter writes', () => {
    const ints = [0, 1, 2, -1, 127, 128, -128, -129, 32767, 32768, 8388607, 8388608, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 47 - 1, 2 ** 47, 2 ** 53 - 1, -(2 ** 53) + 1];
    const texts = ['', 'a', 'ui_principal_id', 'x'.repeat(57), 'x'.repeat(58), 'y'.repeat(200)];
    const rec = new RecordWriter();
    const out = new Uint8Array(300);
    for (const s of texts) {
      for (const v of ints) {
        for (const w of [undefined, ...ints]) {
          rec.text(s);
          rec.int(v);
          if (w !== undefined) rec.int(w);
          const want = Buffer.from(rec.finish());
          const n = putAsciiTextIntRecord(out, s, v, w);
          expect(Buffer.from(out.subarray(0, n)).equals(want), `${s.length}, ${v}, ${w}`).toBe(true);
        }
      }
    }
    expect(putAsciiTextIntRecord(out, 'caf\u00e9', 1, 2)).toBe(0); // not ASCII: the general writer's
    expect(putAsciiTextIntRecord(new Uint8Array(40), 'x'.repeat(20), 1, 2)).toBe(0); // no room
  });
});

describe('database images', () => {
  it('an empty table and index open and pass the integrity check', async () => {
    const db = await open(build([], 4096));
    check(db);
    expect(rows(db, 'SELECT count(*) FROM t')).toEqual([[0]]);
    db.close();
  });

  it.each([512, 1024, 4096, 65536])('rows of every storage class read back exactly (page size %i)', async (pageSize) => {
    const rnd = prng(pageSize);
    const words = ['alpha', 'beta', '', 'ünïcödé', '😀 emoji', 'zeta\u0000nul', 'x'.repeat(3000), 'y'.repeat(70_000)];
    const ints = [0, 1, -1, 127, -128, 128, 32767, -32769, 8388608, -2147483649, 1714555815123, -(2 ** 47), 2 ** 50, 2 ** 53 - 1];
    const data: [number, Value, Value][] = [];
    let id = 0;
    for (let i = 0; i < 6000; i++) {
      id += 1 + Math.floor(rnd() * 3);
      const a = rnd() < 0.1 ? null : rnd() < 0.05 ? 0.5 + i : (ints[Math.floor(rnd() * ints.length)] as number);
      const b = rnd() < 0.1 ? null : `${words[Math.floor(rnd() * (words.length - (i % 50 === 0 ? 0 : 2)))] as string}-${Math.floor(rnd() * 500)}`;
      data.push([id, a, b]);
    }
    const db = await open(build(data, pageSize));
    check(db);
    expect(rows(db, 'SELECT id, a, b FROM t ORDER BY id')).toEqual(data);
    // Each index answers as a full scan would.
    const viaIndex = rows(db, 'SELECT id FROM t INDEXED BY t_ab WHERE a = 127 ORDER BY a, b, id');
    const viaScan = rows(db, 'SELECT id FROM t NOT INDEXED WHERE a = 127 ORDER BY a, b, id');
    expect(viaIndex).toEqual(viaScan);
    expect(viaIndex.length).toBeGreaterThan(100);
    expect(rows(db, "SELECT count(*) FROM t INDEXED BY t_b WHERE b >= 'y'")).toEqual(rows(db, "SELECT count(*) FROM t NOT INDEXED WHERE b >= 'y'"));
    db.close();
  });

  it('index entries that each fill most of a page (the last one needs a leaf of its own)', async () => {
    for (let n = 1; n <= 40; n++) {
      const data: [number, Value, Value][] = [];
      for (let i = 1; i <= n; i++) data.push([i, i, `${String(i).padStart(3, '0')}${'k'.repeat(300)}`]);
      const db = await open(build(data, 1024));
      check(db);
      expect(rows(db, 'SELECT count(*) FROM t INDEXED BY t_b WHERE b IS NOT NULL')).toEqual([[n]]);
      expect(rows(db, 'SELECT id FROM t INDEXED BY t_ab WHERE a > 0 ORDER BY a').map((r) => r[0])).toEqual(data.map((d) => d[0]));
      db.close();
    }
  });

  it('free pages at the end are on the freelist and are used before the file grows', async () => {
    const img = new DatabaseImage(1024);
    const rec = new RecordWriter();
    img.table('t', 'CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT)', (b) => {
      for (let i = 1; i <= 100; i++) {
        rec.null();
        rec.text(`row ${i}`);
        b.add(i, rec.finish());
      }
    });
    const bytes = img.finish(600);
    const db = await open(bytes);
    check(db);
    expect(rows(db, 'PRAGMA freelist_count')).toEqual([[600]]);
    const pages = rows(db, 'PRAGMA page_count')[0]?.[0];
    db.run('CREATE TABLE more (x TEXT)');
    for (let i = 0; i < 200; i++) db.run('INSERT INTO more VALUES (?)', ['y'.repeat(200)]);
    check(db);
    expect(rows(db, 'PRAGMA page_count')[0]?.[0]).toBe(pages);
    expect((rows(db, 'PRAGMA freelist_count')[0]?.[0] as number) < 600).toBe(true);
    db.close();
  });

  it('a file past 1 GiB leaves the lock-byte page out of every b-tree', async () => {
    // SQLite reserves the page holding byte 2^30 for locking; a tree pointing to it is corrupt.
    const img = new DatabaseImage(4096);
    const rec = new RecordWriter();
    const blob = new Uint8Array(3000).fill(1);
    const n = 300_000;
    img.table('t', 'CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)', (b) => {
      for (let i = 1; i <= n; i++) {
        rec.null();
        rec.blob(blob);
        b.add(i, rec.finish());
      }
    });
    img.index('t_id', 't', 'CREATE INDEX t_id ON t(id)', (b) => {
      for (let i = 1; i <= n; i++) {
        rec.int(i);
        rec.int(i);
        b.add(rec.finish());
      }
    });
    const bytes = img.finish(10);
    expect(bytes.length).toBeGreaterThan(2 ** 30);
    const db = await open(bytes);
    check(db);
    expect(rows(db, 'SELECT count(*), sum(length(b)) FROM t')).toEqual([[n, n * 3000]]);
    db.close();
  }, 120_000);

  it('a file the builder wrote takes later writes like any other', async () => {
    const data: [number, Value, Value][] = Array.from({ length: 3000 }, (_, i) => [i + 1, i % 7, `v${i % 97}`]);
    const db = await open(build(data, 4096));
    db.run("INSERT INTO t (a, b) VALUES (3, 'later')");
    db.run('CREATE TABLE other (x)');
    db.run('DELETE FROM t WHERE id % 2 = 0');
    check(db);
    expect(rows(db, "SELECT id FROM t WHERE b = 'later'")).toEqual([[3001]]);
    db.close();
  });
});
