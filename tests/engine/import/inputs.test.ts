import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../shared/domain';
import { Engine } from '../../../electron/engine/engine';
import { CANCELLED_NOTE } from '../../../electron/engine/import/protocol';
import { envelope, gz, record, records, tar, tmpDir, trailKey, write, zip } from '../../helpers/evidence';

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

async function importOf(...paths: string[]): Promise<{ engine: Engine; report: ImportReport }> {
  const engine = await Engine.create();
  engines.push(engine);
  const report = await engine.importPaths(paths);
  const r = report.records;
  expect(r.seen).toBe(r.imported + r.duplicates + r.rejected);
  return { engine, report };
}

const names = (e: Engine): string[] => e.store.all('SELECT eventName FROM events ORDER BY eventName').map((r) => String(r['eventName']));
const kinds = (e: Engine): Record<string, string> => Object.fromEntries(e.store.all('SELECT path, kind FROM sources').map((r) => [path.basename(String(r['path'])), String(r['kind'])]));

describe('import: every way evidence arrives', () => {
  it('walks an AWSLogs tree of .json.gz files, including an org trail layout', async () => {
    const dir = tmpDir();
    write(dir, trailKey('111122223333', 'us-east-1', '2024-01-01', 'AAAAAAAAAAAAAAAA'), gz(envelope(records(3))));
    write(dir, `o-abcdefghij/${trailKey('444455556666', 'eu-west-1', '2024-01-02', 'BBBBBBBBBBBBBBBB')}`, gz(envelope(records(2, () => ({ awsRegion: 'eu-west-1' })))));
    const { engine, report } = await importOf(dir);
    expect(report.files).toMatchObject({ seen: 2, imported: 2, skipped: [] });
    expect(report.records).toMatchObject({ seen: 5, imported: 5, duplicates: 0, rejected: 0 });
    expect(engine.store.scalar("SELECT count(*) FROM events WHERE awsRegion = 'eu-west-1'")).toBe(2);
    expect(Object.values(kinds(engine))).toEqual(['cloudtrail-log', 'cloudtrail-log']);
  });

  it('walks nested directories in name order, follows a link to a file and not a link to a directory', async () => {
    const dir = tmpDir();
    const elsewhere = tmpDir();
    write(dir, 'b/deeper/2.json.gz', gz(envelope(records(2, () => ({ eventName: 'Deep' })))));
    write(dir, 'a.json', envelope(records(1, () => ({ eventName: 'Top' }))));
    write(elsewhere, 'linked.json', envelope(records(1, () => ({ eventName: 'Linked' }))));
    write(elsewhere, 'hidden/3.json', envelope(records(4, () => ({ eventName: 'NotFollowed' }))));
    fs.symlinkSync(path.join(elsewhere, 'linked.json'), path.join(dir, 'c-link.json'));
    fs.symlinkSync(path.join(elsewhere, 'hidden'), path.join(dir, 'd-dirlink'));
    const { engine, report } = await importOf(dir);
    expect(report.records).toMatchObject({ seen: 4, imported: 4 });
    expect(names(engine)).toEqual(['Deep', 'Deep', 'Linked', 'Top']);
    expect(report.files.skipped).toEqual([{ path: path.join(dir, 'd-dirlink'), reason: 'symbolic link to a directory not followed' }]);
    // Sources in the order the walk met them: names sorted at each level.
    const order = engine.store.all('SELECT path FROM sources ORDER BY id').map((r) => path.relative(dir, String(r['path'])));
    expect(order).toEqual(['a.json', path.join('b', 'deeper', '2.json.gz'), 'c-link.json', 'd-dirlink']);
  });

  it('reads plain .json envelopes, bare arrays, single records and NDJSON (plain and gzipped)', async () => {
    const dir = tmpDir();
    write(dir, 'envelope.json', envelope([record({ eventName: 'A' })]));
    write(dir, 'array.json', JSON.stringify([record({ eventName: 'B' }), record({ eventName: 'C' })]));
    write(dir, 'single.json', JSON.stringify(record({ eventName: 'D' }), null, 2));
    write(dir, 'lines.ndjson', `${JSON.stringify(record({ eventName: 'E' }))}\n${JSON.stringify(record({ eventName: 'F' }))}\n`);
    write(dir, 'lines.jsonl.gz', gz(`${JSON.stringify(record({ eventName: 'G' }))}\n`));
    write(dir, 'concatenated.json', `${JSON.stringify(record({ eventName: 'H' }))}${JSON.stringify(record({ eventName: 'I' }))}`);
    const { engine, report } = await importOf(dir);
    expect(report.records.imported).toBe(9);
    expect(names(engine)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
  });

  it('decides by content, not extension: a .json.gz that is plain JSON, a .json that is gzip, double gzip, gzip members', async () => {
    const dir = tmpDir();
    write(dir, 'not-really.json.gz', envelope([record({ eventName: 'Plain' })]));
    write(dir, 'really-gzip.json', gz(envelope([record({ eventName: 'Gzipped' })])));
    write(dir, 'double.json.gz.gz', gz(gz(envelope([record({ eventName: 'Double' })]))));
    write(dir, 'members.gz', Buffer.concat([gz(`${JSON.stringify(record({ eventName: 'M1' }))}\n`), gz(`${JSON.stringify(record({ eventName: 'M2' }))}\n`)]));
    const { engine } = await importOf(dir);
    expect(names(engine)).toEqual(['Double', 'Gzipped', 'M1', 'M2', 'Plain']);
  });

  it('parses lookup-events output a second time (CloudTrailEvent is a JSON string)', async () => {
    const dir = tmpDir();
    const inner = record({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com' });
    const out = { Events: [{ EventId: inner['eventID'], EventName: 'ConsoleLogin', EventTime: '2024-01-01T01:00:00-08:00', CloudTrailEvent: JSON.stringify(inner) }], NextToken: 'x' };
    write(dir, 'lookup.json', JSON.stringify(out, null, 4));
    const { engine } = await importOf(dir);
    expect(kinds(engine)['lookup.json']).toBe('lookup-events');
    const row = engine.store.get('SELECT eventID, eventName, eventTime FROM events');
    expect(row).toEqual({ eventID: inner['eventID'], eventName: 'ConsoleLogin', eventTime: inner['eventTime'] });
    expect(engine.store.rawRecord(1)).toBe(JSON.stringify(inner));
  });

  it('imports Insights files, lifting the API name out of insightDetails', async () => {
    const dir = tmpDir();
    const insight = {
      eventVersion: '1.07',
      eventTime: '2024-02-01T10:00:00Z',
      awsRegion: 'us-east-1',
      eventID: 'ins-1',
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: '111122223333',
      sharedEventID: 'pair-1',
      insightDetails: { state: 'Start', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', insightType: 'ApiCallRateInsight' },
      eventCategory: 'Insight',
    };
    write(dir, 'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/02/01/111122223333_CloudTrail-Insight_us-east-1_20240201T1005Z_X.json.gz', gz(envelope([insight])));
    const { engine } = await importOf(dir);
    expect(Object.values(kinds(engine))).toEqual(['cloudtrail-insights']);
    expect(engine.store.get('SELECT eventName, eventSource, userIdentity_type FROM events')).toEqual({ eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', userIdentity_type: null });
  });

  it('reads EventBridge and CloudWatch Logs envelopes, keeping the record itself as the original', async () => {
    const dir = tmpDir();
    const r1 = record({ eventName: 'FromEventBridge' });
    write(dir, 'eb.json', JSON.stringify({ version: '0', id: 'x', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', time: '2024-01-01T00:00:00Z', detail: r1 }));
    const r2 = record({ eventName: 'FromCloudWatch' });
    write(dir, 'cwl.json', JSON.stringify({ events: [{ logStreamName: 's', timestamp: 1704067200000, message: JSON.stringify(r2) }] }));
    const { engine } = await importOf(dir);
    expect(names(engine)).toEqual(['FromCloudWatch', 'FromEventBridge']);
    const eb = engine.store.get("SELECT rowId FROM events WHERE eventName = 'FromEventBridge'");
    expect(engine.store.rawRecord(Number(eb?.['rowId']))).toBe(JSON.stringify(r1));
  });

  it('reads zip, tar and tar.gz bundles as streams, and archives inside archives', async () => {
    const dir = tmpDir();
    const inner = zip([{ name: 'nested.json', data: envelope([record({ eventName: 'Nested' })]) }]);
    write(dir, 'bundle.zip', zip([
      { name: trailKey('111122223333', 'us-east-1', '2024-01-01', 'ZIPZIPZIPZIPZIP1'), data: gz(envelope([record({ eventName: 'InZip' })])) },
      { name: 'inner.zip', data: inner },
    ]));
    write(dir, 'bundle.tar', await tar([{ name: 'a/log.json', data: envelope([record({ eventName: 'InTar' })]) }]));
    write(dir, 'bundle.tgz', await tar([{ name: 'b/log.json.gz', data: gz(envelope([record({ eventName: 'InTgz' })])) }], true));
    const { engine, report } = await importOf(dir);
    expect(names(engine)).toEqual(['InTar', 'InTgz', 'InZip', 'Nested']);
    expect(report.files.skipped).toEqual([]);
    const paths = engine.store.all('SELECT path FROM sources WHERE kind = ?', ['cloudtrail-log']).map((r) => String(r['path']));
    expect(paths.some((p) => p.endsWith('bundle.zip!/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/111122223333_CloudTrail_us-east-1_20240101T0000Z_ZIPZIPZIPZIPZIP1.json.gz'))).toBe(true);
    expect(paths.some((p) => p.endsWith('bundle.zip!/inner.zip!/nested.json'))).toBe(true);
  });

  it('recognises digests, Config probes and write tests without importing them as events', async () => {
    const dir = tmpDir();
    const digest = { awsAccountId: '111122223333', digestStartTime: '2024-01-01T00:00:00Z', digestEndTime: '2024-01-01T01:00:00Z', digestS3Bucket: 'b', digestS3Object: 'o', logFiles: [] };
    write(dir, 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240101T010000Z.json.gz', gz(JSON.stringify(digest)));
    write(dir, 'AWSLogs/111122223333/Config/ConfigWritabilityCheckFile', '');
    write(dir, 'aws-logs-write-test', 'Permission Check Successful');
    write(dir, 'log.json', envelope([record()]));
    const { engine, report } = await importOf(dir);
    expect(report.records.imported).toBe(1);
    expect(report.files.seen).toBe(4);
    expect(report.files.imported).toBe(1);
    const reasons = Object.fromEntries(report.files.skipped.map((s) => [path.basename(s.path), s.reason]));
    expect(reasons['ConfigWritabilityCheckFile']).toMatch(/Config writability check/);
    expect(reasons['aws-logs-write-test']).toMatch(/write test/);
    expect(Object.entries(reasons).find(([k]) => k.includes('Digest'))?.[1]).toMatch(/digest/i);
    expect(engine.store.scalar('SELECT count(*) FROM digests')).toBe(1);
    expect(JSON.parse(String(engine.store.get('SELECT json FROM digests')?.['json']))).toEqual(digest);
  });

  it('accepts a UTF-8 BOM and UTF-16 exports, gzipped or not', async () => {
    const dir = tmpDir();
    const bom = (name: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelope([record({ eventName: name })]))]);
    const utf16 = (name: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(envelope([record({ eventName: name })]), 'utf16le')]);
    write(dir, 'bom.json', bom('Bom'));
    write(dir, 'utf16.json', utf16('Utf16'));
    // Gzipped, the text is inflated into the record reader's memory: what it reads there is a part
    // of that text (after the BOM) or another text (decoded from UTF-16), and neither is read in place.
    write(dir, 'bom.json.gz', gz(bom('BomGz')));
    write(dir, 'utf16.json.gz', gz(utf16('Utf16Gz')));
    write(dir, 'plain.json.gz', gz(envelope([record({ eventName: 'PlainGz' })]))); // read in place, after them
    const { engine } = await importOf(dir);
    expect(names(engine)).toEqual(['Bom', 'BomGz', 'PlainGz', 'Utf16', 'Utf16Gz']);
    for (const r of engine.store.all('SELECT rowId, eventName FROM events')) {
      expect(JSON.parse(String(engine.store.rawRecord(Number(r['rowId']))))).toMatchObject({ eventName: r['eventName'] });
    }
  });

  it('parses every eventTime shape to UTC ms and rejects only records with no time', async () => {
    const dir = tmpDir();
    const shapes = ['2024-03-01T12:00:00Z', '2024-03-01T12:00:00', '2024-03-01 12:00:00', '2024-03-01T12:00:00.000Z', '2024-03-01T12:00:00.000000000Z', '2024-03-01T13:00:00+01:00'];
    write(dir, 't.json', envelope([...shapes.map((eventTime) => record({ eventTime })), record({ eventTime: undefined }), record({ eventTime: 'yesterday' })]));
    const { engine, report } = await importOf(dir);
    expect(engine.store.all('SELECT DISTINCT eventTimeMs FROM events').map((r) => r['eventTimeMs'])).toEqual([Date.UTC(2024, 2, 1, 12)]);
    expect(report.records).toMatchObject({ imported: 6, rejected: 2 });
    expect(report.rejects.map((r) => r.reason)).toEqual(['no event time (no eventTime, @timestamp or envelope time)', 'eventTime is not a time: yesterday']);
    expect(engine.store.all('SELECT idx FROM rejects ORDER BY idx').map((r) => r['idx'])).toEqual([6, 7]);
  });

  it('gives records without eventID a stable synthetic id and says so', async () => {
    const dir = tmpDir();
    const r = record({ eventID: undefined, eventName: 'NoId' });
    write(dir, 'a.json', envelope([r]));
    const first = await importOf(dir);
    const second = await importOf(dir);
    const id1 = first.engine.store.get('SELECT eventID FROM events')?.['eventID'];
    expect(id1).toMatch(/^cairn:[0-9a-f]{32}$/);
    expect(second.engine.store.get('SELECT eventID FROM events')?.['eventID']).toBe(id1);
    expect(first.report.records.syntheticIds).toBe(1);
  });
});

describe('import: deduplication', () => {
  it('drops repeats of (recipientAccountId, eventID) within and across files, and counts them', async () => {
    const dir = tmpDir();
    const a = record({ eventName: 'Once' });
    write(dir, '1.json', envelope([a, a]));
    write(dir, '2.json.gz', gz(envelope([a, record({ eventName: 'Other' })])));
    const { engine, report } = await importOf(dir);
    expect(report.records).toMatchObject({ seen: 4, imported: 2, duplicates: 2, rejected: 0 });
    expect(names(engine)).toEqual(['Once', 'Other']);
    expect(engine.store.get('SELECT sum(imported) AS imported, sum(duplicates) AS duplicates FROM sources')).toEqual({ imported: 2, duplicates: 2 });
    // Files are parsed in parallel, so which copy is kept first may vary; both dropped copies are identical.
    expect(engine.store.all('SELECT identical, count(*) AS n FROM duplicates GROUP BY identical')).toEqual([{ identical: 1, n: 2 }]);
  });

  it('keeps a dropped copy whose content differs (a forged or altered record), flagged and retrievable', async () => {
    const dir = tmpDir();
    const a = record({ eventName: 'Original' });
    write(dir, '1.json', envelope([a, { ...a, sourceIPAddress: '6.6.6.6' }]));
    const { engine } = await importOf(dir);
    const d = engine.store.get('SELECT identical, blk, off, len FROM duplicates');
    expect(d?.['identical']).toBe(0);
    const text = engine.store.raw.text(Number(d?.['blk']), Number(d?.['off']), Number(d?.['len']));
    expect(JSON.parse(String(text)).sourceIPAddress).toBe('6.6.6.6');
  });

  it('keeps the same eventID in two accounts, and never merges records that only share sharedEventID', async () => {
    const dir = tmpDir();
    const shared = 'shared-0001';
    write(dir, 'x.json', envelope([
      record({ eventID: 'same', recipientAccountId: '111111111111' }),
      record({ eventID: 'same', recipientAccountId: '222222222222' }),
      record({ sharedEventID: shared, recipientAccountId: '111111111111' }),
      record({ sharedEventID: shared, recipientAccountId: '222222222222' }),
    ]));
    const { engine, report } = await importOf(dir);
    expect(report.records).toMatchObject({ imported: 4, duplicates: 0 });
    expect(engine.store.scalar('SELECT count(*) FROM events WHERE sharedEventID = ?', [shared])).toBe(2);
  });

  it('indexes an eventID too long to build its index on a worker (it is written on the main thread)', async () => {
    const dir = tmpDir();
    const long = `forged-${'x'.repeat(300)}`;
    // With it, ids the main thread's index decodes back from their UTF-8: non-ASCII, and a lone surrogate.
    const odd = ['caf\u00e9-\ud83d\ude00', 'lone-\ud800-surrogate'];
    write(dir, 'a.json', envelope([...records(3), record({ eventID: long, eventName: 'Long' }), ...odd.map((eventID) => record({ eventID, eventName: 'Odd' }))]));
    const { engine, report } = await importOf(dir);
    expect(report.records).toMatchObject({ imported: 6 });
    expect(engine.store.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(engine.store.all('SELECT eventName FROM events WHERE eventID = ?', [long])).toEqual([{ eventName: 'Long' }]);
    expect(engine.store.all('SELECT eventName FROM events WHERE eventID = ?', [odd[0]])).toEqual([{ eventName: 'Odd' }]);
    expect(engine.store.all('SELECT eventName FROM events WHERE eventID = ?', ['lone-\ufffd-surrogate'])).toEqual([{ eventName: 'Odd' }]);
  });

  it('drops duplicates when more evidence is added to a saved case', async () => {
    const dir = tmpDir();
    const recs = records(3);
    const file = write(dir, 'a.json', envelope(recs));
    const { engine } = await importOf(file);
    const caseFile = path.join(dir, 'c.cairn');
    await engine.saveCase(caseFile);
    const reopened = await Engine.open(caseFile);
    engines.push(reopened);
    // The records kept are in the saved case's blocks, not this session's: compared through the store.
    const altered = write(dir, 'b.json', envelope(recs.map((r, i) => (i === 1 ? { ...r, sourceIPAddress: '6.6.6.6' } : r))));
    const again = await reopened.importPaths([file, altered]);
    expect(again.records).toMatchObject({ seen: 6, imported: 0, duplicates: 6 });
    expect(reopened.store.scalar('SELECT count(*) FROM events')).toBe(3);
    expect(reopened.store.all('SELECT identical, count(*) AS n FROM duplicates GROUP BY identical ORDER BY identical')).toEqual([{ identical: 0, n: 1 }, { identical: 1, n: 5 }]);
    expect(fs.existsSync(caseFile)).toBe(true);
  });
});

describe('import: raw records', () => {
  it('keeps each original record byte for byte, even pretty-printed and with odd escapes', async () => {
    const dir = tmpDir();
    const text = '{"Records": [\n  {"eventVersion": "1.08", "eventTime": "2024-01-01T00:00:00Z", "eventID": "e1", "eventName": "Odd\\"\\\\Name\\u00e9",\n   "requestParameters": {"a": [1, 2.50, {"b": null}]}},\n  {"eventTime":"2024-01-01T00:00:01Z","eventID":"e2","eventName":"Two"}\n]}';
    write(dir, 'pretty.json', text);
    const { engine } = await importOf(dir);
    expect(engine.store.rawRecord(1)).toBe('{"eventVersion": "1.08", "eventTime": "2024-01-01T00:00:00Z", "eventID": "e1", "eventName": "Odd\\"\\\\Name\\u00e9",\n   "requestParameters": {"a": [1, 2.50, {"b": null}]}}');
    expect(engine.store.get('SELECT eventName, requestParameters FROM events WHERE eventID = ?', ['e1'])).toEqual({ eventName: 'Odd"\\Nameé', requestParameters: '{"a":[1,2.5,{"b":null}]}' });
    expect(engine.store.rawRecord(2)).toBe('{"eventTime":"2024-01-01T00:00:01Z","eventID":"e2","eventName":"Two"}');
    expect(zlib).toBeDefined();
  });

  it('reads a trail file in WebAssembly exactly as the JavaScript path reads the same records from JSON lines', async () => {
    // Records the WebAssembly reader reads, and records it leaves to the JavaScript path (a key twice,
    // an escaped key, a number that prints otherwise, an Insights record, a scalar, an array).
    const [a, b, c] = records(3).map((r) => JSON.stringify(r));
    const lines = [
      ...records(40, (i) => ({ eventName: `Name${i % 7}`, sourceIPAddress: `10.0.0.${i}`, resources: i % 3 ? [{ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::b${i}` }, { arn: 'x' }] : undefined })).map((r) => JSON.stringify(r)),
      (a as string).replace('"eventName":', '"eventName":"First","eventName":'),
      (b as string).replace('"eventName":', '"event\\u004eame":'),
      JSON.stringify({ ...record(), eventID: undefined, recipientAccountId: 123456789012, errorMessage: 'caf\u00e9 "quoted" \\ \u65e5\u672c', userAgent: 1.5 }),
      JSON.stringify({ ...record(), eventType: 'AwsCloudTrailInsight', insightDetails: { state: 'Start', eventSource: 'ec2.amazonaws.com' } }),
      JSON.stringify({ ...record(), eventId: 'lower-case-id', eventID: null, readOnly: 'TRUE', managementEvent: 'no' }),
      c as string,
      c as string,
      '42',
      '[1]',
    ];
    const dir = tmpDir();
    write(dir, 'wasm/trail.json.gz', gz(`{"Records":[${lines.join(',\n')}]}`));
    write(dir, 'js/lines.jsonl', `${lines.join('\n')}\n`);
    const viaWasm = await importOf(path.join(dir, 'wasm'));
    const viaJs = await importOf(path.join(dir, 'js'));
    expect(viaWasm.report.records).toEqual(viaJs.report.records);
    expect(viaWasm.report.records).toMatchObject({ seen: lines.length, duplicates: 1, rejected: 2 });
    const rows = (e: Engine): unknown[] =>
      e.store.all('SELECT * FROM events ORDER BY source_index').map((r) => {
        const { rowId: _rowId, source_file: _file, ...rest } = r;
        return rest;
      });
    expect(rows(viaWasm.engine)).toEqual(rows(viaJs.engine));
    const resources = (e: Engine): unknown[] =>
      e.store.all('SELECT e.source_index, t.value AS type, a.value AS arn FROM event_resources r JOIN events e ON e.rowId = r.ev LEFT JOIN strings t ON t.id = r.type LEFT JOIN strings a ON a.id = r.arn ORDER BY 1, 2, 3');
    expect(resources(viaWasm.engine)).toEqual(resources(viaJs.engine));
    expect(resources(viaWasm.engine).length).toBeGreaterThan(40);
    expect(Object.values(kinds(viaWasm.engine))).toEqual(['cloudtrail-log']);
    expect(viaWasm.engine.store.all('SELECT idx, reason FROM rejects ORDER BY idx')).toEqual([
      { idx: lines.length - 2, reason: 'not a JSON object' },
      { idx: lines.length - 1, reason: 'a JSON array where a record was expected' },
    ]);
  });

  it('dedupes an eventID however it is written: escaped or not, through WebAssembly or JavaScript, and lone surrogates as SQLite stores them', async () => {
    const dir = tmpDir();
    const base = record({ eventID: 'caf\u00e9-\u65e5' });
    const raw = JSON.stringify(base);
    const escaped = raw.replace('caf\u00e9-\u65e5', 'caf\\u00e9-\\u65e5');
    write(dir, 'a/trail.json.gz', gz(`{"Records":[${raw},${escaped}]}`));
    write(dir, 'b/lines.jsonl', `${raw}\n${escaped}\n`);
    // Two ids that differ only in a lone surrogate: both are stored as U+FFFD, so they are one key.
    const lone = [record({ eventID: 'lone-\ud800' }), record({ eventID: 'lone-\udc00' })].map((r) => JSON.stringify(r));
    write(dir, 'c/lone.json.gz', gz(`{"Records":[${lone.join(',')}]}`));
    const { engine, report } = await importOf(dir);
    expect(report.records).toMatchObject({ seen: 6, imported: 2, duplicates: 4 });
    expect(engine.store.all('SELECT eventID FROM events ORDER BY eventID')).toEqual([{ eventID: 'caf\u00e9-\u65e5' }, { eventID: 'lone-\ufffd' }]);
    // Nothing is lost: each dropped copy is listed, and the one whose bytes differ says so.
    expect(engine.store.all('SELECT identical, count(*) AS n FROM duplicates GROUP BY identical ORDER BY identical')).toEqual([
      { identical: 0, n: 3 },
      { identical: 1, n: 1 },
    ]);
  });

  it('rejects a scalar or a broken record inside a Records array and keeps the records around it', async () => {
    const dir = tmpDir();
    const [a, b, c, d] = records(4).map((r) => JSON.stringify(r));
    write(dir, 'scalar.json.gz', gz(`{"Records":[${a},42,${b}]}`));
    write(dir, 'broken.json.gz', gz(`{"Records":[${c},{"eventName":"X",},${d}]}`));
    const { engine, report } = await importOf(dir);
    expect(report.records).toMatchObject({ seen: 6, imported: 4, rejected: 2 });
    expect(engine.store.all('SELECT s.path, r.idx FROM rejects r JOIN sources s ON s.id = r.source_id ORDER BY s.path').map((r) => [path.basename(String(r['path'])), r['idx']])).toEqual([
      ['broken.json.gz', 1],
      ['scalar.json.gz', 1],
    ]);
    for (const raw of [a, b, c, d] as string[]) {
      const rowId = engine.store.scalar('SELECT rowId FROM events WHERE eventID = ?', [(JSON.parse(raw) as { eventID: string }).eventID]);
      expect(engine.store.rawRecord(rowId)).toBe(raw);
    }
  });
});

describe('import: background runs', () => {
  it('pushes progress and a report, and can be cancelled with counts still reconciled', async () => {
    const dir = tmpDir();
    for (let i = 0; i < 300; i++) write(dir, `f${String(i).padStart(3, '0')}.json`, envelope(records(20)));
    const engine = await Engine.create();
    engines.push(engine);
    const done = new Promise<ImportReport>((resolve) => {
      engine.onPush((name, payload) => {
        if (name === 'import:done') resolve((payload as { report: ImportReport }).report);
      });
    });
    const { importId } = engine.startImport([dir]);
    expect(engine.cancelImport(importId)).toBe(true);
    const report = await done;
    expect(report.cancelled).toBe(true);
    const r = report.records;
    expect(r.seen).toBe(r.imported + r.duplicates + r.rejected);
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(r.imported);
    expect(r.imported).toBeLessThan(6000);
  });

  it('stops the workers at their next file when cancelled: the files they hold are reported unread', async () => {
    const dir = tmpDir();
    // Fewer files than the two workers hold, so that the walk hands every one out before the cancel.
    for (let i = 0; i < 60; i++) write(dir, `f${String(i).padStart(2, '0')}.json.gz`, gz(envelope(records(50))));
    const engine = await Engine.create();
    engines.push(engine);
    const controller = new AbortController();
    const running = engine.importPaths([dir], { signal: controller.signal, workers: 2 });
    // The walk of one directory runs to its end before this (its listing is synchronous, and the
    // workers have room for every file); the workers are still starting.
    setImmediate(() => controller.abort());
    const report = await running;
    expect(report.cancelled).toBe(true);
    const r = report.records;
    expect(r.seen).toBe(r.imported + r.duplicates + r.rejected);
    expect(r.seen).toBeLessThan(60 * 50);
    const rows = engine.store.all('SELECT kind, note, count(*) AS n FROM sources GROUP BY 1, 2');
    const unread = rows.find((row) => row['note'] === CANCELLED_NOTE);
    expect(unread?.['kind']).toBe('unreadable');
    expect(rows.reduce((n, row) => n + Number(row['n']), 0)).toBe(60);
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(r.imported);
  });
});
