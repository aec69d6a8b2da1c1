/**
 * A first import writes the store as a database image built in JS (bulkImage.ts); appends insert
 * row by row. Both must give the same store: every table, every index (SQLite's integrity check
 * compares each index with its table), and the same answers to the engine's queries. The evidence
 * mixes what stresses the image writer: duplicates across files, the same eventID in two accounts,
 * shared event ids, resources, text beyond U+FFFF and NUL, values long enough to overflow a page,
 * nulls in indexed columns, and `../shared/corpus/` when it is present.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine';
import { HOT_INDEXES, SMALL_TABLES } from '../../../electron/engine/store/schema';
import { type Rec, envelope, gz, record, tmpDir, write } from '../../helpers/evidence';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const T0 = Date.UTC(2024, 3, 1);

function evidence(dir: string): string[] {
  const recs: Rec[] = [];
  for (let i = 0; i < 3000; i++) {
    const over: Rec = {
      eventTime: new Date(T0 + ((i * 7919) % 3000) * 1000 + (i % 3)).toISOString(),
      eventName: ['GetObject', 'PutObject', 'AssumeRole', 'ConsoleLogin', `Odd\u0000Name😀${i % 5}`][i % 5],
      awsRegion: i % 13 === 0 ? undefined : ['us-east-1', 'eu-west-1'][i % 2],
      sourceIPAddress: `203.0.113.${i % 200}`,
      userAgent: i % 97 === 0 ? `agent-${'x'.repeat(9000)}-${i}` : `aws-cli/2.${i % 40}`,
      errorCode: i % 9 === 0 ? 'AccessDenied' : undefined,
      recipientAccountId: i % 50 === 0 ? '444455556666' : '111122223333',
      sharedEventID: i % 17 === 0 ? `shared-${i % 34}` : undefined,
      resources: i % 4 === 0 ? [{ ARN: `arn:aws:s3:::bucket-${i % 6}`, type: 'AWS::S3::Bucket' }, { type: 'AWS::KMS::Key' }] : undefined,
    };
    // Characters whose UTF-16 order differs from their UTF-8 (BINARY) order, at the same position.
    if (i % 211 === 0) over['eventID'] = `ffff${'\uE000'}-${i}`;
    if (i % 211 === 1) over['eventID'] = `ffff😀-${i}`;
    recs.push(record(over));
  }
  // The same eventID in another account is a different event; in the same account, a duplicate.
  const twin = { ...recs[10], recipientAccountId: '999900001111' };
  const digest = { awsAccountId: '111122223333', digestStartTime: '2024-04-01T00:00:00Z', digestEndTime: '2024-04-01T01:00:00Z', logFiles: [] };
  const files = [
    write(dir, 'a.json.gz', gz(envelope(recs.slice(0, 2000)))),
    write(dir, 'b.json.gz', gz(envelope([...recs.slice(1500), twin]))),
    // A record without a time is rejected; a digest is kept for validation: every small table has rows.
    write(dir, 'c.json', envelope([{ eventName: 'NoTime', eventID: 'no-time' }])),
    write(dir, 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/04/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240401T010000Z.json.gz', gz(JSON.stringify(digest))),
  ];
  if (fs.existsSync(CORPUS)) files.push(CORPUS);
  return files;
}

/** Every row of `table`, each value as SQL quotes it (so 3 and 3.0, an INTEGER and a REAL, differ). */
function dump(engine: Engine, table: string): unknown[][] {
  const cols = engine.store.all(`SELECT name FROM pragma_table_info('${table}')`).map((r) => `"${String(r['name'])}"`);
  return engine.store.db.exec(`SELECT ${cols.map((c) => `quote(${c})`).join(', ')} FROM ${table} ORDER BY ${cols.slice(0, 2).join(', ')}`)[0]?.values ?? [];
}

describe('the bulk image and row-by-row inserts give the same store', () => {
  let bulk: Engine;
  let rows: Engine;
  /** The bulk image again, its finish's jobs on workers (this evidence is small enough for `bulk`'s to run on its own thread). */
  let onWorkers: Engine;

  beforeAll(async () => {
    if (!fs.existsSync(CORPUS)) console.warn(`layout test: ${CORPUS} is absent; comparing the generated evidence only`);
    const files = evidence(tmpDir());
    bulk = await Engine.create();
    rows = await Engine.create();
    // One worker each, so both see the records in the same order and give them the same row ids.
    await bulk.importPaths(files, { workers: 1, finishOn: 'here' });
    await rows.importPaths(files, { workers: 1, bulk: false });
    onWorkers = await Engine.create();
    await onWorkers.importPaths(files, { workers: 1, finishOn: 'worker' });
  }, 120_000);

  afterAll(() => {
    bulk.close();
    rows.close();
    onWorkers.close();
  });

  it("the finish's jobs build the same store on workers as on the import's own thread, statistics included", () => {
    expect(onWorkers.store.db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    expect(onWorkers.store.db.exec('PRAGMA aux.integrity_check')[0]?.values).toEqual([['ok']]);
    for (const table of ['ev', 'strings', 'event_resources', ...SMALL_TABLES.filter((t) => t !== 'meta')]) {
      const a = dump(bulk, table);
      expect(a.length, table).toBeGreaterThan(0);
      expect(dump(onWorkers, table), table).toEqual(a);
    }
    const some = (engine: Engine, sql: string): unknown[][] => engine.store.db.exec(sql)[0]?.values ?? [];
    for (const ix of HOT_INDEXES) {
      const table = ix.on.slice(0, ix.on.indexOf('('));
      const sql = `SELECT * FROM ${table} INDEXED BY ${ix.name} ${ix.on.includes('WHERE') ? ix.on.slice(ix.on.indexOf('WHERE')) : ''}`;
      expect(some(onWorkers, sql), ix.name).toEqual(some(bulk, sql));
    }
    for (const schema of ['main', 'aux']) {
      const stat = `SELECT tbl, idx, stat FROM ${schema}.sqlite_stat1 ORDER BY tbl, idx`;
      expect(some(onWorkers, stat), schema).toEqual(some(bulk, stat));
    }
  });

  it('the image passes SQLite\'s integrity check, every index included', () => {
    expect(bulk.store.db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    const indexes = bulk.store
      .all("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL UNION ALL SELECT name FROM aux.sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .map((r) => r['name']);
    expect(bulk.store.db.exec('PRAGMA aux.integrity_check')[0]?.values).toEqual([['ok']]);
    // The dictionary and resources live in their own file (each sql.js file must stay under 4 GiB).
    expect(bulk.store.schemaOf('strings')).toBe('aux');
    expect(bulk.store.schemaOf('ev')).toBe('main');
    expect(indexes.sort()).toEqual(HOT_INDEXES.map((i) => i.name).sort());
    expect(bulk.store.hot).toBe('main');
    expect(rows.store.hot).toBe('s');
  });

  it.each(['ev', 'strings', 'event_resources', ...SMALL_TABLES.filter((t) => t !== 'meta')])('table %s is the same', (table) => {
    const a = dump(bulk, table);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(dump(rows, table));
  });

  it('queries that use each index answer the same', () => {
    const some = (sql: string): unknown[][] => bulk.store.db.exec(sql)[0]?.values ?? [];
    for (const ix of HOT_INDEXES) {
      const [table, cols] = [ix.on.slice(0, ix.on.indexOf('(')), ix.on.slice(ix.on.indexOf('(') + 1, ix.on.indexOf(')'))];
      const where = ix.on.includes('WHERE') ? ix.on.slice(ix.on.indexOf('WHERE')) : '';
      const sql = `SELECT ${cols}, count(*) FROM ${table} INDEXED BY ${ix.name} ${where} GROUP BY ${cols} ORDER BY ${cols}`;
      expect(some(sql), ix.name).toEqual(rows.store.db.exec(sql)[0]?.values ?? []);
    }
  });

  it('the engine answers the same', () => {
    expect(bulk.summary()).toEqual(rows.summary());
    const q = 'SELECT eventName, count(*) AS n, min(eventTime), max(length(userAgent)) FROM events GROUP BY 1 ORDER BY 1';
    expect(bulk.runSql(q, 1000).rows).toEqual(rows.runSql(q, 1000).rows);
    const one = 'SELECT * FROM events WHERE rowId IN (1, 77, 2001, 2999) ORDER BY rowId';
    expect(bulk.runSql(one, 10).rows).toEqual(rows.runSql(one, 10).rows);
    expect(bulk.runSql(one, 10).rows).toHaveLength(4);
  });

  it("the images carry their indexes' statistics, exactly as a full ANALYZE computes them", () => {
    const names = new Set(HOT_INDEXES.map((i) => i.name));
    const stats = (): unknown[] =>
      ['main', 'aux'].flatMap((schema) => bulk.store.all(`SELECT tbl, idx, stat FROM ${schema}.sqlite_stat1 ORDER BY tbl, idx`)).filter((r) => names.has(String(r['idx'])));
    const built = stats();
    expect(built.map((r) => (r as { idx: string }).idx).sort()).toEqual([...names].sort());
    bulk.store.run('PRAGMA analysis_limit = 0');
    bulk.store.run('ANALYZE main');
    bulk.store.run('ANALYZE aux');
    expect(built).toEqual(stats());
  });

  it('an import into the bulk-built case appends as usual', async () => {
    const more = write(tmpDir(), 'c.json', envelope([record({ eventName: 'Appended' })]));
    const before = bulk.store.scalar('SELECT count(*) FROM ev');
    const report = await bulk.importPaths([more]);
    expect(report.records.imported).toBe(1);
    expect(bulk.store.scalar('SELECT count(*) FROM ev')).toBe(before + 1);
    expect(bulk.store.db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    expect(bulk.runSql("SELECT count(*) AS n FROM events WHERE eventName = 'Appended'", 1).rows).toEqual([[1]]);
  });
});

describe('ids too long for an index built on a worker', () => {
  it('a 2,000-character eventID and sharedEventID (index entries with overflow pages) keep their indexes on the import\'s thread, and both are found by them', async () => {
    const dir = tmpDir();
    const longId = `evil-${'e'.repeat(2000)}`;
    const longShared = `shared-${'s'.repeat(2000)}`;
    const recs = Array.from({ length: 50 }, (_, i) =>
      record({ eventTime: new Date(T0 + i * 1000).toISOString(), ...(i === 7 ? { eventID: longId, sharedEventID: longShared } : {}) }),
    );
    const files = [write(dir, 'a.json.gz', gz(envelope(recs)))];
    const onWorkers = await Engine.create();
    const rows = await Engine.create();
    try {
      await onWorkers.importPaths(files, { finishOn: 'worker' });
      await rows.importPaths(files, { bulk: false });
      expect(onWorkers.store.db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
      const find = (engine: Engine, index: string, column: string, value: string): unknown[][] =>
        engine.store.db.exec(`SELECT id FROM ev INDEXED BY ${index} WHERE ${column} = ?`, [value])[0]?.values ?? [];
      expect(find(onWorkers, 'ev_event_id', 'event_id', longId)).toEqual([[8]]);
      expect(find(onWorkers, 'ev_shared', 'shared_event_id', longShared)).toEqual([[8]]);
      for (const ix of ['ev_event_id', 'ev_shared']) {
        const sql = `SELECT * FROM ev INDEXED BY ${ix} ${ix === 'ev_shared' ? 'WHERE shared_event_id IS NOT NULL' : ''}`;
        expect(onWorkers.store.db.exec(sql)[0]?.values, ix).toEqual(rows.store.db.exec(sql)[0]?.values);
      }
    } finally {
      onWorkers.close();
      rows.close();
    }
  });
});

describe('count tables of a new case', () => {
  it('a minute before 1970 (a negative rowid) takes the SQL path, and both layouts still agree', async () => {
    const dir = tmpDir();
    const recs = [record({ eventTime: '1969-12-31T23:59:30Z', eventID: 'before' }), record({ eventTime: '2024-04-01T00:00:00Z', eventID: 'after', errorCode: 'AccessDenied' })];
    const file = write(dir, 'old.json.gz', gz(envelope(recs)));
    const bulk = await Engine.create();
    const rows = await Engine.create();
    try {
      await bulk.importPaths([file]);
      await rows.importPaths([file], { bulk: false });
      expect(bulk.store.hot).toBe('main');
      expect(dump(bulk, 'tl_minute')).toEqual([
        ['-1', '1', '0'],
        [String(Date.UTC(2024, 3, 1) / 60_000), '1', '1'],
      ]);
      for (const table of ['tl_minute', 'ev_counts']) expect(dump(bulk, table), table).toEqual(dump(rows, table));
      expect(bulk.store.db.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    } finally {
      bulk.close();
      rows.close();
    }
  });
});
