import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generateArchive, manifestMatches, readManifest } from '../../bench/generate';
import { listFiles } from '../../bench/floor';

// cloudtrail-format.md §3.1, verbatim.
const KEY = /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/(CloudTrail|CloudTrail-Insight|CloudTrail-Digest)\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/;
const NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_([A-Za-z0-9]{16})\.json\.gz$/;

type Rec = Record<string, unknown> & { userIdentity?: Record<string, unknown> };
interface FileData {
  readonly rel: string;
  readonly text: string;
  readonly records: Rec[];
}

const EVENTS = 2000;
let root: string;
let result: GenerateResult;
let files: FileData[];

function readArchive(dir: string): FileData[] {
  return listFiles(path.join(dir, 'AWSLogs')).map((f) => {
    const text = zlib.gunzipSync(fs.readFileSync(f)).toString('utf8');
    return { rel: path.relative(dir, f).split(path.sep).join('/'), text, records: (JSON.parse(text) as { Records: Rec[] }).Records };
  });
}

function bytesOf(dir: string): Map<string, string> {
  return new Map(listFiles(path.join(dir, 'AWSLogs')).map((f) => [path.relative(dir, f), fs.readFileSync(f).toString('base64')]));
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-gen-'));
  result = await generateArchive({ dir: path.join(root, 'a'), events: EVENTS, seed: 7, workers: 0 });
  files = readArchive(path.join(root, 'a'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('generateArchive', () => {
  it('writes the S3 layout of an organisation trail', () => {
    expect(files.length).toBe(result.files);
    const accounts = new Set<string>();
    const regions = new Set<string>();
    for (const f of files) {
      const key = KEY.exec(f.rel);
      expect(key, f.rel).not.toBeNull();
      const [, org, account, folder, region, yyyy, mm, dd, name] = key ?? [];
      expect(org).toMatch(/^o-[a-z0-9]{10}$/);
      expect(folder).toBe('CloudTrail');
      const n = NAME.exec(name ?? '');
      expect(n, name).not.toBeNull();
      expect(n?.[1]).toBe(account);
      expect(n?.[2]).toBe(region);
      expect(n?.[3]?.slice(0, 8)).toBe(`${yyyy}${mm}${dd}`);
      // Every record in a file was recorded in that file's account and region.
      for (const r of f.records) {
        expect(r['recipientAccountId']).toBe(account);
        expect(r['awsRegion']).toBe(region);
      }
      accounts.add(account ?? '');
      regions.add(region ?? '');
    }
    expect(accounts.size).toBe(4);
    expect(regions.size).toBe(6);
  });

  it('gzips one line per file: {"Records":[...]}', () => {
    for (const f of files) {
      expect(f.text.startsWith('{"Records":[')).toBe(true);
      expect(f.text).not.toContain('\n');
      expect(f.records.length).toBeGreaterThan(0);
    }
  });

  it('counts add up, with some duplicate deliveries of identical records', () => {
    const all = files.flatMap((f) => f.records);
    expect(all.length).toBe(result.records);
    const byKey = new Map<string, string[]>();
    for (const f of files) for (const r of f.records) {
      const k = `${String(r['recipientAccountId'])}/${String(r['eventID'])}`;
      byKey.set(k, [...(byKey.get(k) ?? []), JSON.stringify(r)]);
    }
    expect(byKey.size).toBe(EVENTS);
    expect(result.events).toBe(EVENTS);
    const dups = [...byKey.values()].filter((v) => v.length > 1);
    expect(dups.length).toBeGreaterThan(0);
    expect(result.records - result.events).toBe(result.duplicates);
    for (const v of dups) expect(new Set(v).size).toBe(1);
    const times = all.map((r) => Date.parse(String(r['eventTime'])));
    expect(Math.min(...times)).toBe(result.firstMs);
    expect(Math.max(...times)).toBe(result.lastMs);
    expect(all.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(r['eventTime'])))).toBe(true);
  });

  it('lets later events use the keys AssumeRole issued, across accounts and chained', () => {
    const all = files.flatMap((f) => f.records);
    const issued = new Map<string, number>();
    for (const r of all) {
      if (r['eventName'] !== 'AssumeRole') continue;
      const creds = (r['responseElements'] as { credentials?: { accessKeyId?: string } } | null)?.credentials;
      if (creds?.accessKeyId) issued.set(creds.accessKeyId, Date.parse(String(r['eventTime'])));
    }
    expect(issued.size).toBeGreaterThan(10);
    const used = all.filter((r) => {
      const key = r.userIdentity?.['accessKeyId'];
      return typeof key === 'string' && issued.has(key) && r['eventName'] !== 'AssumeRole';
    });
    expect(used.length).toBeGreaterThan(100);
    for (const r of used) expect(Date.parse(String(r['eventTime']))).toBeGreaterThanOrEqual(issued.get(String(r.userIdentity?.['accessKeyId'])) ?? Infinity);
    // Role chaining: an AssumeRole signed by a temporary key that an earlier AssumeRole issued.
    const chained = all.filter((r) => r['eventName'] === 'AssumeRole' && issued.has(String(r.userIdentity?.['accessKeyId'])));
    expect(chained.length).toBeGreaterThan(0);
    // Cross-account copies: same sharedEventID, different eventID and recipient, owner's copy as AWSAccount.
    const shared = new Map<string, Rec[]>();
    for (const r of all) if (typeof r['sharedEventID'] === 'string') shared.set(r['sharedEventID'], [...(shared.get(r['sharedEventID']) ?? []), r]);
    const pairs = [...shared.values()].filter((v) => new Set(v.map((r) => r['eventID'])).size === 2);
    expect(pairs.length).toBeGreaterThan(5);
    for (const [x, y] of pairs) {
      expect(x?.['recipientAccountId']).not.toBe(y?.['recipientAccountId']);
      expect(x?.['requestID']).toBe(y?.['requestID']);
      expect([x?.userIdentity?.['type'], y?.userIdentity?.['type']]).toContain('AWSAccount');
    }
  });

  it('mixes identities, services, data events, sign-ins and errors', () => {
    const all = files.flatMap((f) => f.records);
    const types = new Set(all.map((r) => r.userIdentity?.['type']));
    for (const t of ['IAMUser', 'AssumedRole', 'Root', 'AWSService']) expect(types).toContain(t);
    const names = new Set(all.map((r) => `${String(r['eventSource'])}:${String(r['eventName'])}`));
    for (const n of ['s3.amazonaws.com:GetObject', 's3.amazonaws.com:PutObject', 'ec2.amazonaws.com:DescribeInstances', 'kms.amazonaws.com:Decrypt', 'signin.amazonaws.com:ConsoleLogin', 'sts.amazonaws.com:AssumeRole']) expect(names).toContain(n);
    expect(all.some((r) => (r['additionalEventData'] as { MFAUsed?: string } | undefined)?.MFAUsed !== undefined)).toBe(true);
    expect(all.some((r) => (r['resources'] as { ARNPrefix?: string }[] | undefined)?.some((x) => x.ARNPrefix !== undefined))).toBe(true);
    const data = all.filter((r) => r['eventCategory'] === 'Data');
    expect(data.length / all.length).toBeGreaterThan(0.1);
    expect(data.every((r) => r['managementEvent'] === false)).toBe(true);
    const errors = all.filter((r) => typeof r['errorCode'] === 'string');
    expect(errors.length / all.length).toBeGreaterThan(0.02);
    expect(errors.length / all.length).toBeLessThan(0.1);
    const codes = new Set(errors.map((r) => r['errorCode']));
    for (const c of ['AccessDenied', 'Client.UnauthorizedOperation', 'ThrottlingException']) expect(codes).toContain(c);
    const json = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / all.length;
    expect(json).toBeGreaterThan(1000);
    expect(json).toBeLessThan(1800);
  });

  it('is deterministic for a seed, whether files are written inline or by worker threads', async () => {
    const again = await generateArchive({ dir: path.join(root, 'b'), events: EVENTS, seed: 7, workers: 2 });
    expect(again).toMatchObject({ files: result.files, bytes: result.bytes, records: result.records, firstMs: result.firstMs });
    expect(bytesOf(path.join(root, 'b'))).toEqual(bytesOf(path.join(root, 'a')));
    const other = await generateArchive({ dir: path.join(root, 'c'), events: EVENTS, seed: 8, workers: 0 });
    expect(other.bytes).not.toBe(result.bytes);
  });

  it('records its options so the bench can reuse an archive', () => {
    const m = readManifest(path.join(root, 'a'));
    expect(m?.result).toEqual(result);
    expect(manifestMatches(m, { dir: 'x', events: EVENTS, seed: 7 })).toBe(true);
    expect(manifestMatches(m, { dir: 'x', events: EVENTS, seed: 8 })).toBe(false);
    expect(manifestMatches(m, { dir: 'x', events: EVENTS + 1, seed: 7 })).toBe(false);
  });
});
