import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipAsBlock, gzipHeaderLength } from '../../../electron/engine/import/gzipBlock';

const text = Buffer.from(`{"Records":[${Array.from({ length: 50 }, (_, i) => `{"eventID":"e${i}","eventName":"Describe${i % 7}"}`).join(',')}]}`);

/** A gzip member with the optional header fields set (FEXTRA, FNAME, FCOMMENT). */
function gzipWithHeaderFields(body: Buffer): Buffer {
  const plain = zlib.gzipSync(body);
  const extra = Buffer.from([4, 0, 0x41, 0x42, 0x43, 0x44]);
  const name = Buffer.from('file.json\0');
  const comment = Buffer.from('a comment\0');
  const head = Buffer.from(plain.subarray(0, 10));
  head[3] = 0x04 | 0x08 | 0x10;
  return Buffer.concat([head, extra, name, comment, plain.subarray(10)]);
}

describe('gzip files kept as raw blocks', () => {
  it('re-wraps the deflate stream so that zlib inflates it to the same bytes', () => {
    for (const gz of [zlib.gzipSync(text), gzipWithHeaderFields(text), zlib.gzipSync(text, { level: 9 })]) {
      const block = gzipAsBlock(gz, 1 << 20);
      expect(block).not.toBeNull();
      expect(block?.text.equals(text)).toBe(true);
      expect(zlib.inflateSync(block?.data ?? new Uint8Array()).equals(text)).toBe(true);
    }
    expect(gzipHeaderLength(gzipWithHeaderFields(text))).toBe(10 + 6 + 10 + 10);
  });

  it('declines anything but one clean member that fits', () => {
    const gz = zlib.gzipSync(text);
    expect(gzipAsBlock(Buffer.concat([gz, gz]), 1 << 20)).toBeNull(); // two members
    expect(gzipAsBlock(Buffer.concat([gz, Buffer.from('junk')]), 1 << 20)).toBeNull();
    expect(gzipAsBlock(gz.subarray(0, gz.length - 20), 1 << 20)).toBeNull(); // truncated
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 8] = (badCrc[badCrc.length - 8] as number) ^ 0xff;
    expect(gzipAsBlock(badCrc, 1 << 20)).toBeNull();
    expect(gzipAsBlock(gz, text.length - 1)).toBeNull(); // larger than a block may be
    expect(gzipAsBlock(text, 1 << 20)).toBeNull(); // not gzip
    // The output is sized by the trailer's length: one that lies makes the file decline, never a cut text.
    for (const size of [0, 10, text.length - 1, text.length + 1, 1 << 19]) {
      const lying = Buffer.from(gz);
      lying.writeUInt32LE(size, lying.length - 4);
      expect(gzipAsBlock(lying, 1 << 20)).toBeNull();
    }
  });
});

describe('an import of gzip trail files', () => {
  it('keeps each file as one block, returns every record byte for byte, and the sqlite3 shell reads the saved case', async () => {
    const { Engine } = await import('../../../electron/engine/engine');
    const { envelope, gz, records, tmpDir, write } = await import('../../helpers/evidence');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const dir = tmpDir();
    const recs = records(40, (i) => ({ requestParameters: { bucketName: `b${i}`, note: 'é ✓ "quoted"' } }));
    // Pretty-printed, as some tools write it: the offsets must point into the file's own text.
    write(dir, 'a.json.gz', gz(JSON.stringify({ Records: recs.slice(0, 25) }, null, 2)));
    write(dir, 'b.json.gz', gz(envelope(recs.slice(25))));
    const engine = await Engine.create();
    try {
      await engine.importPaths([dir]);
      expect(engine.store.blocks.size).toBe(2);
      for (const r of engine.store.all('SELECT rowId, eventID FROM events')) {
        const raw = engine.store.rawRecord(Number(r['rowId']));
        const original = recs.find((x) => x['eventID'] === r['eventID']);
        expect(JSON.parse(String(raw))).toEqual(original);
      }
      const pretty = engine.store.all("SELECT rowId FROM events e JOIN sources s ON s.path = e.source_file WHERE s.path LIKE '%a.json.gz' ORDER BY source_index LIMIT 1");
      expect(engine.store.rawRecord(Number(pretty[0]?.['rowId']))).toBe(JSON.stringify(recs[0], null, 2).replaceAll('\n', '\n    '));
      const caseFile = path.join(dir, 'case.cairn');
      await engine.saveCase(caseFile);
      if (spawnSync('sqlite3', ['-version']).error) {
        console.warn('sqlite3 shell not installed: skipping the external-reader check');
        return;
      }
      const q = "SELECT eventID, requestParameters FROM events ORDER BY rowId";
      const r = spawnSync('sqlite3', ['-json', caseFile, q], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual(engine.store.all(q));
      expect(fs.existsSync(caseFile)).toBe(true);
    } finally {
      engine.close();
    }
  });
});
