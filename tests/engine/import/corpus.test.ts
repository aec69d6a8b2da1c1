import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine';

/** The public corpus beside the project (../shared/corpus); not part of the repository. */
const CORPUS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
const present = fs.existsSync(CORPUS);
if (!present) console.warn(`shared corpus not found at ${CORPUS}: skipping the real-data import tests`);

const files = present
  ? fs.readdirSync(CORPUS, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name))
  : [];

const engines: Engine[] = [];
afterAll(() => engines.forEach((e) => e.close()));

describe.skipIf(!present)('the public corpus', () => {
  it.each(files.map((f) => [path.relative(CORPUS, f), f]))('%s imports with reconciled counts', async (_rel, file) => {
    const engine = await Engine.create();
    engines.push(engine);
    const report = await engine.importPaths([file]);
    const r = report.records;
    expect(r.seen).toBe(r.imported + r.duplicates + r.rejected);
    expect(report.files.seen).toBe(1);
    expect(engine.store.scalar('SELECT count(*) FROM rejects')).toBe(r.rejected);
    expect(engine.store.scalar("SELECT count(*) FROM rejects WHERE reason = ''")).toBe(0);
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(r.imported);
    engine.close();
    engines.pop();
  });

  it('imports the Invictus attack recording whole', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const report = await engine.importPaths([path.join(CORPUS, 'invictus-aws')]);
    expect(report.records).toMatchObject({ seen: 2900, imported: 2900, duplicates: 0, rejected: 0 });
    expect(report.files.imported).toBe(55);
    expect(report.timeRange).toEqual({ first: '2023-07-10T11:42:18.000Z', last: '2023-07-10T12:37:50.000Z' });
    const attacker = engine.store.scalar("SELECT count(*) FROM events WHERE userIdentity_arn LIKE '%user/bert-jan' AND sourceIPAddress IN ('192.168.10.20', '10.8.8.10')");
    expect(attacker).toBeGreaterThan(0);
  });

  it('keeps the trimmed Panther records, odd times included, and counts its repeated eventIDs', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const report = await engine.importPaths([path.join(CORPUS, 'panther', 'events.jsonl')]);
    expect(report.records.seen).toBe(502);
    expect(report.records.imported).toBeGreaterThan(150);
    // Its tests reuse placeholder eventIDs ("1", "1111") on different records: the dedupe rule drops
    // them from events, and every dropped copy stays in `duplicates`, flagged as not identical.
    expect(engine.store.scalar('SELECT count(*) FROM duplicates')).toBe(report.records.duplicates);
    expect(engine.store.scalar('SELECT count(*) FROM duplicates WHERE identical = 0')).toBeGreaterThan(100);
    expect(engine.store.scalar("SELECT count(*) FROM events WHERE eventTime LIKE '____-__-__T__:__:__%Z'")).toBe(report.records.imported);
  });

  it('uses @timestamp when Logstash removed eventTime (OTRF)', async () => {
    const engine = await Engine.create();
    engines.push(engine);
    const report = await engine.importPaths([path.join(CORPUS, 'otrf')]);
    expect(report.records.imported).toBe(103);
    expect(report.files.skipped.map((s) => path.basename(s.path))).toEqual(expect.arrayContaining(['AWS_S3_HoneyBucketLogs.csv', 'LICENSE']));
  });
});
