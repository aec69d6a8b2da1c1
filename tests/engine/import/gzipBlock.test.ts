import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { random } from '../../helpers/random';
import { BlockInflater, type FileBlock, gzipAsBlock, gzipHeaderLength } from '../../../electron/engine/import/gzipBlock';
import { newFieldReader } from '../../../electron/engine/wasm/fields';

// The record reader takes each block's Adler-32, and an inflater writes the text into its memory.
const reader = (() => {
  const r = newFieldReader();
  if (!r) throw new Error('no WebAssembly SIMD in this Node');
  return r;
})();

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
      const block = gzipAsBlock(gz, 1 << 20, reader);
      expect(block).not.toBeNull();
      expect(block?.text.equals(text)).toBe(true);
      expect(zlib.inflateSync(block?.data ?? new Uint8Array()).equals(text)).toBe(true);
    }
    expect(gzipHeaderLength(gzipWithHeaderFields(text))).toBe(10 + 6 + 10 + 10);
  });

  it.each([
    ['without an inflater', undefined],
    ['with an inflater (native handle)', new BlockInflater()],
    ['with an inflater (its fallback)', new BlockInflater(false)],
  ])('declines anything but one clean member that fits, %s', (_, inflater) => {
    const asBlock = (b: Buffer, max: number): FileBlock | null => gzipAsBlock(b, max, reader, inflater);
    const gz = zlib.gzipSync(text);
    expect(asBlock(gz, 1 << 20)?.text.equals(text)).toBe(true);
    expect(asBlock(Buffer.concat([gz, gz]), 1 << 20)).toBeNull(); // two members
    expect(asBlock(Buffer.concat([gz, Buffer.from('junk')]), 1 << 20)).toBeNull();
    expect(asBlock(gz.subarray(0, gz.length - 20), 1 << 20)).toBeNull(); // truncated
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 8] = (badCrc[badCrc.length - 8] as number) ^ 0xff;
    expect(asBlock(badCrc, 1 << 20)).toBeNull();
    expect(asBlock(gz, text.length - 1)).toBeNull(); // larger than a block may be
    expect(asBlock(text, 1 << 20)).toBeNull(); // not gzip
    // The output is sized by the trailer's length: one that lies makes the file decline, never a cut text.
    for (const size of [0, 10, text.length - 1, text.length + 1, 1 << 19]) {
      const lying = Buffer.from(gz);
      lying.writeUInt32LE(size, lying.length - 4);
      expect(asBlock(lying, 1 << 20)).toBeNull();
    }
  });
});

describe('BlockInflater', () => {
  /** Seeded bytes: text-like runs and noise, so streams of every shape and size. */
  function sample(seed: number, size: number): Buffer {
    const rnd = random(seed);
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = rnd(4) === 0 ? rnd(256) : 0x61 + ((i >> 5) % 26);
    return b;
  }

  it.each([
    ['native handle', true],
    ['fallback', false],
  ])('inflates as zlib.inflateRawSync does, through buffer growth, damage and reuse (%s)', (_, native) => {
    const inflater = new BlockInflater(native);
    for (const [seed, size] of [[1, 0], [2, 10], [3, 70_000], [4, 3_000_000], [5, 5], [6, 1_500_000], [7, 100]] as const) {
      const plain = sample(seed, size);
      const raw = zlib.deflateRawSync(plain, { level: seed % 9 });
      const got = inflater.inflate(raw, size + 1);
      expect(got?.text.equals(plain), `seed ${seed}`).toBe(true);
      expect(got?.used).toBe(raw.length);
      // With trailing bytes, it takes only the stream's own.
      expect(inflater.inflate(Buffer.concat([raw, Buffer.from('tail')]), size + 1)?.used).toBe(raw.length);
      // Damaged or cut short: null, and the next call still works.
      expect(inflater.inflate(Buffer.from([0xff, 0xff, 0xff, 0xff]), 100)).toBeNull();
      if (raw.length > 4) expect(inflater.inflate(raw.subarray(0, raw.length - 3), size + 1)).toBeNull();
    }
  });

  it.each([
    ['into the record reader, which reads it there', new BlockInflater(), true],
    ['into a buffer of its own, copied to the record reader for its checksum', new BlockInflater(false), false],
  ])('makes blocks that inflate to their file, file after file (the Adler-32 is of each file, not of a stale copy), the text inflated %s', (_, inflater, inReader) => {
    // Each text shorter than the one before: it lies where the last one was for its checksum.
    for (const n of [5000, 4000, 300, 299, 5000, 10]) {
      const plain = sample(n, n);
      const block = gzipAsBlock(zlib.gzipSync(plain), 1 << 20, reader, inflater);
      expect(block?.text.equals(plain)).toBe(true);
      // Through the native handle, into the reader's memory; through its fallback, a buffer of its own.
      expect(block?.text.buffer === reader.textView(0)?.buffer).toBe(inReader);
      expect(zlib.inflateSync(block?.data ?? new Uint8Array()).equals(plain), `text of ${n} bytes`).toBe(true);
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
