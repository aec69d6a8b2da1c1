import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveKind } from '../../../electron/engine/import/decode';
import { Engine } from '../../../electron/engine/engine';
import { envelope, gz, record, records, tar, tmpDir, write, zip } from '../../helpers/evidence';
import { randomBytes } from '../../helpers/random';

/** A gzip member whose header carries a file name of `nameBytes` bytes (FNAME), as `gzip -N` writes. */
function gzWithName(data: Buffer, nameBytes: number): Buffer {
  const plain = zlib.gzipSync(data);
  const out = Buffer.concat([plain.subarray(0, 10), Buffer.alloc(nameBytes, 0x61), Buffer.from([0]), plain.subarray(10)]);
  out[3] = (out[3] as number) | 0x08;
  return out;
}

describe('archiveKind: what a file is, from its first 64 KiB', () => {
  it('tells zip, tar and tar under gzip from a gzipped log', async () => {
    const t = await tar([{ name: 'a/log.json', data: envelope(records(2)) }]);
    expect(archiveKind(zip([{ name: 'x.json', data: '{}' }]))).toBe('zip');
    expect(archiveKind(t)).toBe('tar');
    expect(archiveKind(gz(t))).toBe('tgz');
    expect(archiveKind(gz(envelope(records(50))))).toBeNull();
    expect(archiveKind(Buffer.from(envelope(records(1))))).toBeNull();
  });

  it('finds the tar header behind a gzip header longer than the first prefix it inflates', async () => {
    const t = await tar([{ name: 'a/log.json', data: envelope(records(2)) }]);
    for (const nameBytes of [0, 900, 3000, 20_000]) expect(archiveKind(gzWithName(t, nameBytes)), `name of ${nameBytes} bytes`).toBe('tgz');
  });

  it('sees the tar in the head of a large .tgz whose first compressed KiB holds less than a header', async () => {
    const t = await tar([{ name: 'big.bin', data: randomBytes(7, 300_000) }]);
    const file = gzWithName(t, 1000);
    expect(file.length).toBeGreaterThan(64 * 1024);
    expect(archiveKind(file.subarray(0, 64 * 1024))).toBe('tgz');
  });

  it('answers null, without throwing, for a gzip whose start does not inflate', () => {
    const bad = gz(envelope(records(5)));
    bad.fill(0xff, 10, 40);
    expect(archiveKind(bad)).toBeNull();
    expect(archiveKind(Buffer.from([0x1f, 0x8b]))).toBeNull();
  });
});

describe('import of .tgz bundles, small (read whole) and large (streamed from disk)', () => {
  const engines: Engine[] = [];
  afterEach(() => {
    for (const e of engines.splice(0)) e.close();
  });

  it('imports the logs of both, and hashes both bundles', async () => {
    const dir = tmpDir();
    const small = gz(await tar([{ name: 'a/log.json.gz', data: gz(envelope([record({ eventName: 'InSmallTgz' })])) }]));
    const large = gz(await tar([{ name: 'pad.bin', data: randomBytes(7, 200_000) }, { name: 'b/log.json.gz', data: gz(envelope([record({ eventName: 'InLargeTgz' })])) }]));
    expect(small.length).toBeLessThan(64 * 1024);
    expect(large.length).toBeGreaterThan(64 * 1024);
    write(dir, 'small.tgz', small);
    write(dir, 'large.tgz', large);
    const engine = await Engine.create();
    engines.push(engine);
    const report = await engine.importPaths([dir]);
    expect(report.records).toMatchObject({ seen: 2, imported: 2, rejected: 0 });
    expect(engine.store.all("SELECT eventName FROM events ORDER BY 1").map((r) => r['eventName'])).toEqual(['InLargeTgz', 'InSmallTgz']);
    const rows = engine.store.all("SELECT path, kind, sha256 FROM sources WHERE path LIKE '%.tgz' ORDER BY path");
    const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');
    expect(rows.map((r) => [String(r['path']).split(/[\\/]/).pop(), r['kind'], r['sha256']])).toEqual([
      ['large.tgz', 'tar', sha(large)],
      ['small.tgz', 'tar', sha(small)],
    ]);
  });

  it('reads it as a bundle, not as a damaged log', async () => {
    const dir = tmpDir();
    const t = await tar([{ name: 'b/log.json.gz', data: gz(envelope([record({ eventName: 'InNamedTgz' })])) }]);
    write(dir, 'bundle.tar.gz', gzWithName(t, 5000));
    const engine = await Engine.create();
    engines.push(engine);
    const report = await engine.importPaths([dir]);
    expect(report.records).toMatchObject({ seen: 1, imported: 1, rejected: 0 });
    expect(engine.store.scalar("SELECT count(*) FROM events WHERE eventName = 'InNamedTgz'")).toBe(1);
  });
});
