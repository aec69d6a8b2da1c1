/**
 * sql.js opens a database from bytes by copying them into its file system; `handOver` makes it take
 * the buffer instead, and with room to spare lets the file grow in place, so that saving a case
 * reads the file back without a copy (Store.save). These tests hold sql.js to the behaviour that
 * relies on, so an upgrade that changes it fails here rather than silently costing memory — and
 * `writtenInPlace`, which Store.save trusts before using the buffer, must notice when the file moved.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseImage } from '../../../electron/engine/store/image/image';
import { handOver, loadSqlJs, writtenInPlace } from '../../../electron/engine/store/sqljs';

const PAGE = 4096;

function pageCount(db: { exec(sql: string): { values: unknown[][] }[] }): number {
  return Number(db.exec('PRAGMA page_count')[0]?.values[0]?.[0]);
}

describe('handOver', () => {
  it('gives sql.js the buffer itself: what SQLite writes is in our bytes', async () => {
    const SQL = await loadSqlJs();
    const src = new SQL.Database();
    src.run('CREATE TABLE x (a); INSERT INTO x VALUES (1), (2), (3)');
    const bytes = src.export();
    src.close();
    const db = new SQL.Database(handOver(bytes));
    db.run('UPDATE x SET a = 100 WHERE a = 1');
    const reread = new SQL.Database(bytes.slice());
    expect(reread.exec('SELECT sum(a) FROM x')[0]?.values).toEqual([[105]]);
    reread.close();
    db.close();
  });

  it('lets the file grow in place within the room given, and says so', async () => {
    const SQL = await loadSqlJs();
    const seed = new DatabaseImage(PAGE).finish();
    const room = new Uint8Array(8 * 1024 * 1024);
    room.set(seed);
    const db = new SQL.Database(handOver(room.subarray(0, seed.length), room.length));
    db.run('CREATE TABLE t (v BLOB); BEGIN');
    for (let i = 0; i < 500; i++) db.run('INSERT INTO t VALUES (randomblob(8000))');
    db.run('COMMIT');
    const pages = pageCount(db);
    expect(pages * PAGE).toBeGreaterThan(4_000_000);
    expect(writtenInPlace(room, pages, PAGE)).toBe(true);
    const copy = new SQL.Database(room.slice(0, pages * PAGE));
    expect(copy.exec('SELECT count(*), sum(length(v)) FROM t')[0]?.values).toEqual([[500, 4_000_000]]);
    expect(copy.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    copy.close();
    db.close();
  });

  it('is caught when the file outgrew the room and sql.js moved it', async () => {
    const SQL = await loadSqlJs();
    const seed = new DatabaseImage(PAGE).finish();
    const room = new Uint8Array(1024 * 1024);
    room.set(seed);
    const db = new SQL.Database(handOver(room.subarray(0, seed.length), room.length));
    db.run('CREATE TABLE t (v BLOB)');
    for (let i = 0; i < 40; i++) db.run('INSERT INTO t VALUES (randomblob(100000))');
    const pages = pageCount(db);
    expect(pages * PAGE).toBeGreaterThan(room.length);
    expect(writtenInPlace(room, pages, PAGE)).toBe(false);
    // Within the room but stale: the header of an earlier commit.
    expect(writtenInPlace(room, Math.floor(room.length / PAGE), PAGE)).toBe(false);
    db.close();
  });

  it('refuses room beyond the buffer', () => {
    expect(() => handOver(new Uint8Array(10), 11)).toThrow(RangeError);
  });
});
