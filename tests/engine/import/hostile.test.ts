import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine';
import type { ImportReport } from '../../../shared/domain';
import { envelope, gz, record, records, tar, tmpDir, write, zip } from '../../helpers/evidence';
import { random } from '../../helpers/random';

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

async function importOf(paths: string[], opts: Parameters<Engine['importPaths']>[1] = {}): Promise<{ engine: Engine; report: ImportReport }> {
  const engine = await Engine.create();
  engines.push(engine);
  const report = await engine.importPaths(paths, opts);
  const r = report.records;
  expect(r.seen).toBe(r.imported + r.duplicates + r.rejected);
  return { engine, report };
}

/** Rounds and seed of the seeded-damage test (a longer search: CAIRN_DAMAGE_ROUNDS=300, another: CAIRN_DAMAGE_SEED=N). */
const DAMAGE_ROUNDS = Number(process.env['CAIRN_DAMAGE_ROUNDS'] ?? 8);
const DAMAGE_SEED = Number(process.env['CAIRN_DAMAGE_SEED'] ?? 5);

function sha256(file: string): string {
  return require('node:crypto').createHash('sha256').update(fs.readFileSync(file)).digest('hex') as string;
}

describe('hostile and broken evidence', () => {
  it('imports what decodes from a truncated gzip and reports the rest', async () => {
    const dir = tmpDir();
    const recs = records(400);
    const full = gz(envelope(recs));
    const file = write(dir, 'cut.json.gz', full.subarray(0, Math.floor(full.length * 0.6)));
    const before = sha256(file);
    const { engine, report } = await importOf([file]);
    expect(report.records.imported).toBeGreaterThan(100);
    expect(report.records.imported).toBeLessThan(400);
    expect(report.records.rejected).toBe(1);
    expect(report.rejects[0]?.reason).toMatch(/cut off/);
    expect(String(engine.store.get('SELECT note FROM sources')?.['note'])).toMatch(/truncated/);
    expect(sha256(file)).toBe(before); // evidence untouched
    // Every record that was kept is whole and exact.
    const last = engine.store.get('SELECT max(rowId) AS id FROM events');
    expect(() => JSON.parse(String(engine.store.rawRecord(Number(last?.['id']))))).not.toThrow();
  });

  it('stops a gzip bomb at the inflate cap and says so, without stopping the import', async () => {
    const dir = tmpDir();
    write(dir, 'bomb.json.gz', zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20), { level: 9 }));
    write(dir, 'ok.json', envelope([record({ eventName: 'Survivor' })]));
    const { report } = await importOf([dir], { limits: { maxInflated: 64 * 1024 * 1024 } });
    expect(report.records.imported).toBe(1);
    const bomb = report.files.skipped.find((s) => s.path.endsWith('bomb.json.gz'));
    expect(bomb?.reason).toMatch(/exceeds the cap of 67108864 bytes.*bomb/);
  });

  it('stops a zip bomb member at the cap', async () => {
    const dir = tmpDir();
    write(dir, 'bomb.zip', zip([{ name: 'big.json', data: Buffer.alloc(150 * 1024 * 1024, 0x20) }, { name: 'ok.json', data: envelope([record()]) }]));
    const { report } = await importOf([dir], { limits: { maxInflated: 32 * 1024 * 1024 } });
    expect(report.records.imported).toBe(1);
    expect(report.files.seen).toBe(2);
  }, 120_000);

  it('survives invalid UTF-8, control characters and hostile markup in fields', async () => {
    const dir = tmpDir();
    const hostile = '<img src=x onerror=alert(1)>';
    const good = Buffer.from(envelope([record({ eventName: hostile, userAgent: `=cmd|' /C calc'!A0 ${hostile}` })]));
    const bad = Buffer.from(JSON.stringify(record({ eventName: 'BadUtf8', userAgent: 'XX' })).replace('"XX"', '"\u0001"'));
    const withInvalid = Buffer.concat([bad.subarray(0, bad.indexOf(0x01)), Buffer.from([0xff, 0xfe, 0xc3]), bad.subarray(bad.indexOf(0x01) + 1)]);
    write(dir, 'hostile.json', good);
    write(dir, 'invalid.json', withInvalid);
    const { engine, report } = await importOf([dir]);
    expect(report.records.imported).toBe(2);
    expect(engine.store.get("SELECT eventName FROM events WHERE eventName LIKE '<img%'")?.['eventName']).toBe(hostile);
    const ua = String(engine.store.get("SELECT userAgent FROM events WHERE eventName = 'BadUtf8'")?.['userAgent']);
    expect(ua).toContain('\ufffd');
  });

  it('rejects an eventTime past any date (1e300, sixteen digits) and imports the rest', async () => {
    const dir = tmpDir();
    const recs = [record({ eventID: 'far', eventTime: 1e300 }), record({ eventID: 'digits', eventTime: '9999999999999999' }), record({ eventID: 'fine' })];
    write(dir, 'far.json', envelope(recs));
    const { engine, report } = await importOf([dir]);
    expect(report.records).toMatchObject({ seen: 3, imported: 1, rejected: 2 });
    expect(report.rejects.map((r) => r.reason)).toEqual([expect.stringMatching(/time/), expect.stringMatching(/time/)]);
    expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(1);
  });

  it("reads on past a byte flipped inside a trail file's Records array (it once ran a worker out of memory)", async () => {
    const dir = tmpDir();
    const text = envelope(records(3, (i) => ({ eventID: `flip-${i}` })));
    // The '}' closing the second record becomes '|': that record takes the array's ']' in, and a '}' follows.
    const second = text.indexOf('"flip-1"');
    const close = text.indexOf('},{', second);
    write(dir, 'flipped.json', `${text.slice(0, close)}|${text.slice(close + 1)}`);
    write(dir, 'fine.json', envelope(records(2)));
    const { report } = await importOf([dir]);
    // The first record and the other file's two import; the broken element (the second and third
    // records run together) and the stray '}' are each rejected with the reason.
    expect(report.records).toMatchObject({ seen: 5, imported: 3, rejected: 2 });
    expect(report.rejects.map((r) => r.reason)).toEqual([expect.stringMatching(/^invalid JSON/), "malformed JSON: '}' where an element of the array or its ']' should be"]);
  });

  it('imports evidence of every kind with seeded damage (bit flips, cuts, bytes in and out), accounting for every record', async () => {
    // Every kind of file the import reads, damaged at random: every import ends, accounts for every
    // record and leaves a sound store. Eight rounds here; CAIRN_DAMAGE_ROUNDS=300 runs a longer search
    // (which finds the splitter's old endless empty element: a worker out of memory within 300 rounds).
    const rnd = random(DAMAGE_SEED);
    const recs = records(30, (i) => ({ eventID: `dmg-${i}`, sharedEventID: i % 7 === 0 ? `s-${i}` : undefined }));
    const text = Buffer.from(envelope(recs));
    const lines = Buffer.from(recs.map((r) => JSON.stringify(r)).join('\n'));
    const lookup = Buffer.from(JSON.stringify({ Events: recs.slice(0, 8).map((r) => ({ EventId: r['eventID'], CloudTrailEvent: JSON.stringify(r) })) }));
    const kinds: [string, Buffer][] = [
      ['a.json.gz', gz(text)],
      ['b.json', text],
      ['c.jsonl', lines],
      ['d.json', lookup],
      ['e.zip', zip([{ name: 'x.json.gz', data: gz(text) }, { name: 'y.jsonl', data: lines }])],
      ['f.tgz', await tar([{ name: 'x.json', data: text }], true)],
    ];
    const damage = (b: Buffer): Buffer => {
      let out = Buffer.from(b);
      for (let k = 1 + rnd(3); k > 0; k--) {
        const at = rnd(out.length);
        const op = rnd(4);
        if (op === 0) out[at] = (out[at] as number) ^ (1 << rnd(8));
        else if (op === 1) out = out.subarray(0, at);
        else if (op === 2) out = Buffer.concat([out.subarray(0, at), Buffer.from([rnd(256)]), out.subarray(at)]);
        else out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + rnd(16))]);
      }
      return out;
    };
    for (let round = 0; round < DAMAGE_ROUNDS; round++) {
      const dir = tmpDir();
      for (const [name, data] of kinds) write(dir, name, damage(data));
      const { engine, report } = await importOf([dir]);
      expect(engine.store.scalar('SELECT count(*) FROM events')).toBe(report.records.imported);
      expect(engine.store.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      engines.splice(engines.indexOf(engine), 1);
      engine.close();
    }
  }, 60_000 + DAMAGE_ROUNDS * 2_000);

  it('imports a 50 MB record and rejects deeply nested junk without crashing', async () => {
    const dir = tmpDir();
    const big = record({ eventName: 'Huge', requestParameters: { blob: 'x'.repeat(50 * 1024 * 1024) } });
    write(dir, 'huge.json', envelope([big, record({ eventName: 'After' })]));
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    write(dir, 'deep.json', `{"Records":[${deep}, ${JSON.stringify(record({ eventName: 'AfterDeep' }))}]}`);
    write(dir, 'deep-object.json', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    const { engine, report } = await importOf([dir]);
    expect(engine.store.all('SELECT eventName FROM events ORDER BY eventName').map((r) => r['eventName'])).toEqual(['After', 'AfterDeep', 'Huge']);
    const hugeId = Number(engine.store.get("SELECT rowId FROM events WHERE eventName = 'Huge'")?.['rowId']);
    expect(engine.store.rawRecord(hugeId)?.length).toBeGreaterThan(50 * 1024 * 1024);
    expect(report.records.rejected).toBe(2);
  }, 120_000);

  it('lists path traversal and links inside archives, never follows them, never writes outside', async () => {
    const dir = tmpDir();
    const escapeTarget = path.join(path.dirname(dir), 'escaped.json');
    write(dir, 'evil.tar', await tar([
      { name: '../../escaped.json', data: envelope([record({ eventName: 'Traversal' })]) },
      { name: 'link-to-passwd', link: '/etc/passwd' },
      { name: 'ok.json', data: envelope([record({ eventName: 'Fine' })]) },
    ]));
    write(dir, 'evil.zip', zip([{ name: 'etc-link', data: '/etc/passwd', symlink: true }, { name: '/abs/log.json', data: envelope([record({ eventName: 'Absolute' })]) }]));
    const { engine, report } = await importOf([dir]);
    expect(fs.existsSync(escapeTarget)).toBe(false);
    expect(engine.store.all('SELECT eventName FROM events ORDER BY 1').map((r) => r['eventName'])).toEqual(['Absolute', 'Fine', 'Traversal']);
    const skipped = report.files.skipped.map((s) => s.reason).join('\n');
    expect(skipped).toMatch(/symbolic link to \/etc\/passwd inside the archive, not followed/);
    expect(skipped).toMatch(/symbolic link inside the archive, not followed/);
    const notes = engine.store.all("SELECT note FROM sources WHERE note LIKE '%outside the archive%'");
    expect(notes.length).toBe(2);
  });

  it('reports corrupt files, corrupt archives and non-CloudTrail JSON by name and keeps going', async () => {
    const dir = tmpDir();
    write(dir, 'garbage.json.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('not deflate at all')]));
    write(dir, 'broken.zip', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]));
    write(dir, 'other.json', JSON.stringify({ hello: 'world' }));
    write(dir, 'lines.ndjson', `${JSON.stringify(record({ eventName: 'L1' }))}\n{"eventName": "broken",\n${JSON.stringify(record({ eventName: 'L3' }))}\n`);
    write(dir, 'good.json', envelope([record({ eventName: 'Good' })]));
    const { engine, report } = await importOf([dir]);
    expect(engine.store.all('SELECT eventName FROM events ORDER BY 1').map((r) => r['eventName'])).toEqual(['Good', 'L1', 'L3']);
    const rejectReasons = report.rejects.map((r) => `${path.basename(r.path)}: ${r.reason}`);
    expect(rejectReasons).toContain('other.json: not a CloudTrail record (keys: hello)');
    expect(rejectReasons.some((r) => r.startsWith('lines.ndjson: malformed JSON'))).toBe(true);
    expect(report.files.skipped.map((s) => path.basename(s.path))).toEqual(expect.arrayContaining(['garbage.json.gz', 'broken.zip!']));
  });

  it('imports 100,000 tiny files', async () => {
    const dir = tmpDir();
    for (let d = 0; d < 100; d++) {
      const sub = path.join(dir, String(d).padStart(3, '0'));
      fs.mkdirSync(sub);
      for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(sub, `${f}.json`), `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventID":"${d}-${f}","eventName":"Tiny"}]}`);
    }
    const { engine, report } = await importOf([dir]);
    expect(report.files).toMatchObject({ seen: 100_000, imported: 100_000 });
    expect(report.records).toMatchObject({ seen: 100_000, imported: 100_000 });
    expect(engine.store.scalar('SELECT count(*) FROM sources')).toBe(100_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
