/**
 * Indexes built in a file of their own (on another thread, intIndexes.ts) and moved into the file
 * of their table must be exactly what SQLite would accept had they been written there: the
 * integrity check passes, lookups through them answer as a scan does, also when the moved pages
 * straddle the lock-byte page, and the thread builds what this one would, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseImage } from '../../../electron/engine/store/image/image';
import { appendTree, builtTree } from '../../../electron/engine/store/image/movedIndex';
import { IndexBuilder, PageFile } from '../../../electron/engine/store/image/pages';
import { RecordWriter } from '../../../electron/engine/store/image/record';
import { INT_NULL } from '../../../electron/engine/store/bulkRows';
import { IntEntries, type IntIndexJob, type NamedTree, buildIntIndexes } from '../../../electron/engine/store/intIndexes';
import { random } from '../../helpers/random';
import { buildIntIndexesOffThread, idleWorkers, prestartWorkers, stopIdleWorkers } from '../../../electron/engine/store/offThread';
import { MAX_PACKED_BYTES, type PackedTexts, buildTextIndex, orderPacked, packTexts } from '../../../electron/engine/store/textIndexes';
import { TextPacker } from '../../../electron/engine/store/packedTexts';
import { orderByText } from '../../../electron/engine/store/image/order';
import { loadSqlJs } from '../../../electron/engine/store/sqljs';

/** Table t(id, a) with n rows; an index on (a) built in a file of its own and moved in. */
function withMovedIndex(n: number, pageSize: number, blob = 0): { img: DatabaseImage; a: (id: number) => number; pages: [number, number] } {
  const img = new DatabaseImage(pageSize);
  const rec = new RecordWriter();
  const a = (id: number): number => (id * 7919) % 1000;
  const filler = new Uint8Array(blob).fill(7);
  img.table('t', 'CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, pad BLOB)', (b) => {
    for (let id = 1; id <= n; id++) {
      rec.null();
      rec.int(a(id));
      rec.blob(filler);
      b.add(id, rec.finish());
    }
  });
  const place = img.movedIndex('t_a', 't', 'CREATE INDEX t_a ON t(a)');
  const own = new PageFile(pageSize);
  const b = new IndexBuilder(own);
  const ids = Array.from({ length: n }, (_, i) => i + 1).sort((x, y) => a(x) - a(y) || x - y);
  for (const id of ids) {
    rec.int(a(id));
    rec.int(id);
    b.add(rec.finish());
  }
  const first = img.file.pages + 1;
  place(builtTree(own, b.finish()));
  return { img, a, pages: [first, img.file.pages] };
}

async function checkMoved(bytes: Uint8Array, n: number, a: (id: number) => number): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(bytes);
  try {
    expect(db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    for (const v of [0, 17, 999]) {
      const via = db.exec(`SELECT id FROM t INDEXED BY t_a WHERE a = ${v} ORDER BY id`)[0]?.values ?? [];
      const expected = Array.from({ length: n }, (_, i) => i + 1).filter((id) => a(id) === v);
      expect(via.map((r) => r[0])).toEqual(expected);
    }
  } finally {
    db.close();
  }
}

describe('moved index b-trees', () => {
  it.each([512, 4096])('an index several levels deep moves in and answers like a scan (page size %i)', async (pageSize) => {
    const n = 60_000;
    const { img, a } = withMovedIndex(n, pageSize);
    await checkMoved(img.finish(), n, a);
  });

  it('pages that straddle the lock-byte page are renumbered around it', async () => {
    // One 3,000-byte row per 4 KiB page: the table ends just before byte 2^30, the index after it.
    const n = 261_700;
    const lockPage = 2 ** 30 / 4096 + 1;
    const { img, a, pages } = withMovedIndex(n, 4096, 3000);
    expect(pages[0]).toBeLessThan(lockPage);
    expect(pages[1]).toBeGreaterThan(lockPage);
    const bytes = img.finish();
    await checkMoved(bytes, n, a);
  }, 120_000);

  it('a tree with an entry too large for its page (overflow pages) is refused, not moved', () => {
    const own = new PageFile(4096);
    const b = new IndexBuilder(own);
    const rec = new RecordWriter();
    rec.text('x'.repeat(5000));
    rec.int(1);
    b.add(rec.finish());
    const tree = builtTree(own, b.finish());
    expect(tree.overflow).toBe(true);
    expect(() => appendTree(new PageFile(4096), tree)).toThrow(/too large to move/);
  });

  it('entries of a few hundred bytes, several levels deep, move without overflow', async () => {
    // Keys of 300 bytes: payload sizes take two varint bytes, and interior cells hold them too.
    const img = new DatabaseImage(4096);
    const rec = new RecordWriter();
    const n = 5000;
    const key = (id: number): string => `${String(id).padStart(6, '0')}${'k'.repeat(294)}`;
    img.table('t', 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)', (b) => {
      for (let id = 1; id <= n; id++) {
        rec.null();
        rec.text(key(id));
        b.add(id, rec.finish());
      }
    });
    const place = img.movedIndex('t_a', 't', 'CREATE INDEX t_a ON t(a)');
    const own = new PageFile(4096);
    const b = new IndexBuilder(own);
    for (let id = 1; id <= n; id++) {
      rec.text(key(id));
      rec.int(id);
      b.add(rec.finish());
    }
    const tree = builtTree(own, b.finish());
    expect(tree.overflow).toBe(false);
    place(tree);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(img.finish());
    try {
      expect(db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
      expect(db.exec(`SELECT id FROM t INDEXED BY t_a WHERE a = '${key(4321)}'`)[0]?.values).toEqual([[4321]]);
    } finally {
      db.close();
    }
  });
});

describe('integer indexes of ev on their own thread', () => {
  function job(count: number): IntIndexJob {
    const times = new Float64Array(count);
    const name = new Int32Array(count);
    const error = new Int32Array(count);
    for (let r = 0; r < count; r++) {
      times[r] = 1_700_000_000_000 + ((r * 2654435761) % 86_400_000);
      name[r] = r % 13 === 0 ? INT_NULL : 1 + (r % 40);
      error[r] = r % 5 === 0 ? 3 + (r % 4) : INT_NULL;
    }
    return { names: ['ev_t', 'ev_name', 'ev_error'], count, maxId: 50, pageSize: 4096, times, columns: { name, error_code: error } };
  }

  it('builds byte for byte what this thread builds', async () => {
    const here = buildIntIndexes(job(50_000));
    const there: NamedTree[] = [];
    await buildIntIndexesOffThread(job(50_000), (t) => there.push(t));
    expect(there.map((t) => [t.name, t.root, t.pages.length])).toEqual(here.map((t) => [t.name, t.root, t.pages.length]));
    there.forEach((t, i) => expect(Buffer.from(t.pages).equals(Buffer.from((here[i] as { pages: Uint8Array }).pages))).toBe(true));
  });

  it('writes each entry as the general record writer does, for times and ids of every width', () => {
    // Times of every integer serial type (1, 2, 3, 4, 6 and 8 bytes, 0 and 1), negative ones, and
    // times that are not integers (REAL, which take the general path); keys of 1, 2 and 3 bytes, NULL
    // included. The reference writes the same entries, in the same order, through IntEntries.add.
    const rnd = random(7);
    const spans = [0, 1, 100, -100, 30_000, -30_000, 8_000_000, -8_000_000, 2e9, -2e9, 1.7e12, -1.7e12, 2 ** 50, -(2 ** 50), 0.5, 1.7e12 + 0.25, -3.5];
    const count = 20_000;
    const keysOf = [INT_NULL, 1, 2, 127, 128, 32_767, 32_768, 70_000];
    const times = Float64Array.from({ length: count }, () => spans[rnd(spans.length)] as number);
    const name = Int32Array.from({ length: count }, () => keysOf[rnd(keysOf.length)] as number);
    const built = buildIntIndexes({ names: ['ev_t', 'ev_name'], count, maxId: 70_000, pageSize: 4096, times, columns: { name } });
    const rows = Array.from({ length: count }, (_, r) => r);
    const keyOf = (r: number): number => (name[r] === INT_NULL ? NaN : (name[r] as number));
    const byTime = [...rows].sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
    const byName = [...byTime].sort((a, b) => (Number.isNaN(keyOf(a)) ? -1 : keyOf(a)) - (Number.isNaN(keyOf(b)) ? -1 : keyOf(b)));
    const reference = (entries: (e: IntEntries, r: number) => void, order: number[]): Uint8Array => {
      const file = new PageFile(4096);
      const b = new IndexBuilder(file);
      const e = new IntEntries(b);
      for (const r of order) entries(e, r);
      return builtTree(file, b.finish()).pages;
    };
    const expected = [
      reference((e, r) => e.add(times[r] as number, r + 1), byTime),
      reference((e, r) => e.add(keyOf(r), times[r] as number, r + 1), byName),
    ];
    expect(built.map((t) => t.name)).toEqual(['ev_t', 'ev_name']);
    built.forEach((t, i) => expect(Buffer.from(t.pages).equals(Buffer.from(expected[i] as Uint8Array))).toBe(true));
  });

  it('takes a worker started ahead when one waits, starts one when none does, and stops those left', async () => {
    prestartWorkers(2);
    expect(idleWorkers()).toBe(2);
    const trees: NamedTree[] = [];
    await buildIntIndexesOffThread(job(1_000), (t) => trees.push(t));
    expect(idleWorkers()).toBe(1);
    stopIdleWorkers();
    expect(idleWorkers()).toBe(0);
    const again: NamedTree[] = [];
    await buildIntIndexesOffThread(job(1_000), (t) => again.push(t));
    expect(again.map((t) => Buffer.from(t.pages).toString('hex'))).toEqual(trees.map((t) => Buffer.from(t.pages).toString('hex')));
  });

  it('a job it cannot do fails with the reason', async () => {
    await expect(buildIntIndexesOffThread({ ...job(10), names: ['ev_nothing'] }, () => undefined)).rejects.toThrow(/no integer index ev_nothing/);
  });

  it('hands over each tree as it is built, and fails with the reason a tree is refused', async () => {
    const seen: string[] = [];
    await buildIntIndexesOffThread(job(5_000), (t) => seen.push(t.name));
    expect(seen).toEqual(job(5_000).names);
    const refused = buildIntIndexesOffThread(job(5_000), (t) => {
      if (t.name === 'ev_name') throw new Error('no room for ev_name');
    });
    await expect(refused).rejects.toThrow(/no room for ev_name/);
  });
});

describe('text indexes of ev from packed bytes', () => {
  const pieces = ['e1', 'É', '😀', '\uffee', '\ue000', '', 'arn:aws:iam::1:role/x', '2024-03-01T00:00:00Z', 'z'];
  function texts(seed: number, n: number): (string | null)[] {
    let s = seed;
    const rnd = (): number => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const pick = (): string => pieces[Math.floor(rnd() * pieces.length)] as string;
    return Array.from({ length: n }, () => (rnd() < 0.1 ? null : pick() + pick() + (rnd() < 0.5 ? String(Math.floor(rnd() * 30)) : '')));
  }

  it.each([1, 2, 3])('orders like orderByText, the reference of the main thread (seed %i)', (seed) => {
    const t = texts(seed, 4000);
    const packed = packTexts(t, t.length);
    expect(packed).not.toBeNull();
    expect(Array.from(orderPacked(packed as PackedTexts))).toEqual(Array.from(orderByText(0, t.length, (r) => t[r] ?? null)));
  });

  it('orders long runs that share long prefixes, texts that end inside them and equal texts as orderByText does', () => {
    // Runs longer than the radix threshold, split six bytes at a time after their shared prefix: a
    // dictionary's ARNs. Texts end at every offset of a six-byte window, hold zero bytes, repeat
    // (thousands of times: more than a run the radix sort splits).
    let s = 9;
    const rnd = (n: number): number => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return Math.floor((s / 4294967296) * n);
    };
    const heads = ['arn:aws:s3:::acme-prod-data-626187551301/', 'arn:aws:s3:::acme-prod-data-626187551301/logs/2024/', 'arn:aws:s3:::acme-prod-', 'arn:aws:sts::1:assumed-role/x/', 'é', ''];
    const tails = ['a', 'ab', 'abc', 'abcdef', 'abcdefg', '\u0000', 'a\u0000b', 'É', '😀', 'z'.repeat(7)];
    const t: (string | null)[] = Array.from({ length: 30_000 }, () => {
      if (rnd(50) === 0) return null;
      if (rnd(8) === 0) return 'arn:aws:s3:::acme-prod-data-626187551301/ab'; // about 3,700 equal texts
      let x = heads[rnd(heads.length)] as string;
      for (let k = rnd(4); k > 0; k--) x += tails[rnd(tails.length)] as string;
      return x;
    });
    const p = new TextPacker();
    for (const x of t) p.push(x);
    const got = Array.from(orderPacked(p.all()));
    expect(got).toEqual(Array.from(orderByText(0, t.length, (r) => t[r] ?? null)));
    // And BINARY collation itself: bytes, shorter first, ties by row.
    const enc = t.map((x) => (x === null ? null : Buffer.from(x)));
    const rows = t.flatMap((x, r) => (x === null ? [] : [r]));
    rows.sort((a, b) => Buffer.compare(enc[a] as Buffer, enc[b] as Buffer) || a - b);
    expect(got).toEqual(rows);
  });

  it('declines a text too long to move', () => {
    expect(packTexts(['short', 'x'.repeat(MAX_PACKED_BYTES + 1)], 2)).toBeNull();
    expect(packTexts(['é'.repeat(60)], 1)).toBeNull(); // 60 characters, 120 bytes
    expect(packTexts(['x'.repeat(MAX_PACKED_BYTES)], 1)).not.toBeNull();
  });

  it('moves into the table\'s file and answers lookups like a scan', async () => {
    const t = texts(7, 30_000);
    const img = new DatabaseImage(1024);
    const rec = new RecordWriter();
    img.table('t', 'CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)', (b) => {
      t.forEach((v, r) => {
        rec.null();
        if (v === null) rec.null();
        else rec.text(v);
        b.add(r + 1, rec.finish());
      });
    });
    img.movedIndex('t_s', 't', 'CREATE INDEX t_s ON t(s) WHERE s IS NOT NULL')(buildTextIndex(packTexts(t, t.length) as PackedTexts, 1024));
    const SQL = await loadSqlJs();
    const db = new SQL.Database(img.finish());
    try {
      expect(db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
      for (const v of ['e1😀3', '', 'zz', 'É\ue0007']) {
        const via = db.exec('SELECT id FROM t INDEXED BY t_s WHERE s = ? ORDER BY id', [v])[0]?.values ?? [];
        const scan = db.exec('SELECT id FROM t NOT INDEXED WHERE s = ? ORDER BY id', [v])[0]?.values ?? [];
        expect(via).toEqual(scan);
      }
      expect(db.exec('SELECT count(*) FROM t INDEXED BY t_s WHERE s IS NOT NULL')[0]?.values).toEqual([[t.filter((v) => v !== null).length]]);
    } finally {
      db.close();
    }
  });
});
