/** Builders for evidence the tests write: CloudTrail records, gzip, zip and tar bundles. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tarStream from 'tar-stream';

export type Rec = Record<string, unknown>;

let seq = 0;

/** A plausible CloudTrail record; `over` replaces or adds fields. */
export function record(over: Rec = {}): Rec {
  seq++;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLEKEY',
      userName: 'alice',
    },
    eventTime: new Date(Date.UTC(2024, 0, 1, 0, 0, seq % 60, 0) + seq * 60_000).toISOString().replace('.000', ''),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { maxResults: 5 },
    responseElements: null,
    requestID: crypto.randomUUID(),
    eventID: crypto.randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...over,
  };
}

export function records(n: number, over: (i: number) => Rec = () => ({})): Rec[] {
  return Array.from({ length: n }, (_, i) => record(over(i)));
}

export function envelope(recs: readonly Rec[]): string {
  return JSON.stringify({ Records: recs });
}

export function gz(text: string | Buffer): Buffer {
  return zlib.gzipSync(text);
}

export function tmpDir(prefix = 'cairn-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function write(dir: string, rel: string, data: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, data);
  return p;
}

/** An S3-style key for a trail log file. */
export function trailKey(account: string, region: string, day: string, unique: string): string {
  const [y, m, d] = day.split('-');
  return `AWSLogs/${account}/CloudTrail/${region}/${y}/${m}/${d}/${account}_CloudTrail_${region}_${y}${m}${d}T0000Z_${unique}.json.gz`;
}

/** A zip archive (deflated members), written by hand: Node has no zip writer. */
export function zip(entries: readonly { name: string; data: Buffer | string; symlink?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const comp = zlib.deflateRawSync(data);
    const name = Buffer.from(e.name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, comp);
    centrals.push(central, name);
    offset += local.length + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A tar archive; entries with `link` become symbolic links. */
export async function tar(entries: readonly { name: string; data?: Buffer | string; link?: string }[], gzip = false): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const e of entries) {
    if (e.link !== undefined) pack.entry({ name: e.name, type: 'symlink', linkname: e.link });
    else pack.entry({ name: e.name }, Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? ''));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  const out = Buffer.concat(chunks);
  return gzip ? zlib.gzipSync(out) : out;
}
