/**
 * Deterministic synthetic CloudTrail archive for the benchmark: an org trail's S3 layout, several
 * accounts and regions, IAM users whose long-term keys call AssumeRole, sessions whose issued ASIA keys
 * sign later events (with role chaining into other accounts and sharedEventID copies), S3 data
 * events, console logins, KMS, errors, and a few duplicate deliveries. Files are generated in worker
 * threads; each file depends only on (seed, file index), so the archive is the same on every machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';

export interface GenerateOptions {
  readonly dir: string;
  readonly events: number;
  readonly seed?: number;
  readonly accounts?: number;
  readonly regions?: number;
  readonly recordsPerFile?: number;
  readonly workers?: number;
}

export interface GenerateResult {
  readonly files: number;
  readonly bytes: number;
  readonly events: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'ca-central-1', 'sa-east-1', 'ap-northeast-1'];
const START_MS = Date.UTC(2026, 0, 1);
const SPAN_MS = 30 * 24 * 3600 * 1000;
const AGENTS = [
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.cp',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.155.0',
  '[Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36]',
  'terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0',
];

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ctx {
  readonly r: () => number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

const pick = <T>(c: Ctx, xs: readonly T[]): T => xs[Math.floor(c.r() * xs.length)] as T;
const hex = (c: Ctx, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(c.r() * 16).toString(16);
  return s;
};
const upper = (c: Ctx, n: number): string => {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = '';
  for (let i = 0; i < n; i++) s += A[Math.floor(c.r() * 32)];
  return s;
};
const uuid = (c: Ctx): string => `${hex(c, 8)}-${hex(c, 4)}-4${hex(c, 3)}-a${hex(c, 3)}-${hex(c, 12)}`;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Stable identities: user u of account a has key AKIA…, session keys derive from (user, n). */
function userKey(acct: string, u: number): string {
  return `AKIA${acct.slice(0, 4)}${String(u).padStart(4, '0')}EXAMPLE`.slice(0, 20);
}
function sessionKey(acct: string, u: number, n: number): string {
  return `ASIA${acct.slice(-4)}${String(u).padStart(3, '0')}${String(n % 100000).padStart(5, '0')}XYZ`.slice(0, 20);
}

function identity(c: Ctx, acct: string, u: number, session: number | null): Record<string, unknown> {
  if (session === null) {
    return { type: 'IAMUser', principalId: `AIDA${acct.slice(0, 6)}${String(u).padStart(6, '0')}XX`, arn: `arn:aws:iam::${acct}:user/user${u}`, accountId: acct, accessKeyId: userKey(acct, u), userName: `user${u}` };
  }
  const role = `Role${session % 7}`;
  return {
    type: 'AssumedRole',
    principalId: `AROA${acct.slice(0, 6)}${session % 7}EXAMPLE:session-${u}-${session}`,
    arn: `arn:aws:sts::${acct}:assumed-role/${role}/session-${u}-${session}`,
    accountId: acct,
    accessKeyId: sessionKey(acct, u, session),
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${acct.slice(0, 6)}${session % 7}EXAMPLE`, arn: `arn:aws:iam::${acct}:role/${role}`, accountId: acct, userName: role },
      webIdFederationData: {},
      attributes: { creationDate: iso(START_MS + (session % 1000) * 3_600_000), mfaAuthenticated: c.r() < 0.3 ? 'true' : 'false' },
    },
  };
}

function record(c: Ctx, t: number): Record<string, unknown> {
  const acct = pick(c, c.accounts);
  const u = Math.floor(c.r() * 40);
  // A user's temporary credentials last about an hour and sign every call they make in it (real
  // sessions are reused; a fresh session per event would make every principal string unique).
  const session = c.r() < 0.7 ? Math.floor((t - START_MS) / 3_600_000) * 10 + Math.floor(c.r() * 2) : null;
  const region = pick(c, c.regions);
  const base: Record<string, unknown> = {
    eventVersion: pick(c, ['1.08', '1.09', '1.10', '1.11']),
    userIdentity: identity(c, acct, u, session),
    eventTime: iso(t),
  };
  const ip = c.r() < 0.1 ? 'AWS Internal' : `${10 + Math.floor(c.r() * 180)}.${Math.floor(c.r() * 256)}.${Math.floor(c.r() * 256)}.${Math.floor(c.r() * 256)}`;
  const kind = c.r();
  let rest: Record<string, unknown>;
  if (kind < 0.35) {
    const bucket = `data-${acct.slice(-4)}-${Math.floor(c.r() * 20)}`;
    const key = `exports/${iso(t).slice(0, 10)}/part-${hex(c, 12)}.parquet`;
    rest = {
      eventSource: 's3.amazonaws.com', eventName: pick(c, ['GetObject', 'PutObject', 'HeadObject']), awsRegion: region,
      requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key },
      responseElements: null,
      additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': Buffer.from(hex(c, 48), 'hex').toString('base64'), bytesTransferredOut: Math.floor(c.r() * 1e7) },
      readOnly: true, resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, { accountId: acct, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
      managementEvent: false, eventCategory: 'Data',
    };
  } else if (kind < 0.6) {
    rest = {
      eventSource: 'ec2.amazonaws.com', eventName: pick(c, ['DescribeInstances', 'DescribeSecurityGroups', 'DescribeVolumes', 'DescribeSnapshots']), awsRegion: region,
      requestParameters: { maxResults: 1000, filterSet: { items: [{ name: 'instance-state-name', valueSet: { items: [{ value: 'running' }] } }] } },
      responseElements: null, readOnly: true, managementEvent: true, eventCategory: 'Management',
    };
  } else if (kind < 0.68) {
    const target = pick(c, c.accounts);
    const issued = sessionKey(target, u, Math.floor(c.r() * 5000));
    rest = {
      eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: region,
      requestParameters: { roleArn: `arn:aws:iam::${target}:role/Role${u % 7}`, roleSessionName: `session-${u}`, durationSeconds: 3600 },
      responseElements: { credentials: { accessKeyId: issued, sessionToken: `IQoJb3JpZ2luX2Vj${Buffer.from(hex(c, 180), 'hex').toString('base64')}`, expiration: 'Jan 22, 2026 12:46:28 AM' }, assumedRoleUser: { assumedRoleId: `AROA${target.slice(0, 6)}EXAMPLE:session-${u}`, arn: `arn:aws:sts::${target}:assumed-role/Role${u % 7}/session-${u}` } },
      readOnly: true, resources: [{ accountId: target, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${target}:role/Role${u % 7}` }],
      managementEvent: true, eventCategory: 'Management', ...(target !== acct ? { sharedEventID: uuid(c) } : {}),
    };
  } else if (kind < 0.8) {
    rest = {
      eventSource: 'kms.amazonaws.com', eventName: pick(c, ['Decrypt', 'GenerateDataKey', 'Encrypt']), awsRegion: region,
      requestParameters: { encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::data-${acct.slice(-4)}` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      responseElements: null, readOnly: true, resources: [{ accountId: acct, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${acct}:key/${uuid(c)}` }],
      managementEvent: true, eventCategory: 'Management',
    };
  } else if (kind < 0.83) {
    rest = {
      eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', awsRegion: 'us-east-1',
      requestParameters: null, responseElements: { ConsoleLogin: c.r() < 0.9 ? 'Success' : 'Failure' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: c.r() < 0.5 ? 'Yes' : 'No' },
      managementEvent: true, eventCategory: 'Management', readOnly: false,
    };
  } else if (kind < 0.9) {
    rest = {
      eventSource: 'iam.amazonaws.com', eventName: pick(c, ['ListRoles', 'GetUser', 'CreateAccessKey', 'AttachRolePolicy', 'PutUserPolicy']), awsRegion: 'us-east-1',
      requestParameters: { userName: `user${u}`, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, responseElements: null, readOnly: false, managementEvent: true, eventCategory: 'Management',
    };
  } else {
    rest = {
      eventSource: pick(c, ['lambda.amazonaws.com', 'cloudtrail.amazonaws.com', 'ssm.amazonaws.com', 'secretsmanager.amazonaws.com']), eventName: pick(c, ['ListFunctions20150331', 'LookupEvents', 'GetParameter', 'GetSecretValue', 'StopLogging']), awsRegion: region,
      requestParameters: { name: `/prod/app/${hex(c, 6)}`, withDecryption: true }, responseElements: null, readOnly: true, managementEvent: true, eventCategory: 'Management',
    };
  }
  const err = c.r();
  return {
    ...base,
    ...rest,
    sourceIPAddress: ip,
    userAgent: pick(c, AGENTS),
    ...(err < 0.03 ? { errorCode: 'AccessDenied', errorMessage: `User: ${(base['userIdentity'] as { arn: string }).arn} is not authorized to perform this action` } : err < 0.045 ? { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' } : err < 0.05 ? { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' } : {}),
    requestID: uuid(c),
    eventID: uuid(c),
    eventType: rest['eventType'] ?? 'AwsApiCall',
    recipientAccountId: acct,
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${String(rest['eventSource']).split('.')[0]}.${region}.amazonaws.com` },
  };
}

interface FileJob {
  readonly index: number;
  readonly count: number;
}

function writeFile(opts: Required<Omit<GenerateOptions, 'workers'>>, job: FileJob, accounts: string[], regions: string[]): { bytes: number; first: number; last: number } {
  const c: Ctx = { r: rng(opts.seed * 1_000_003 + job.index), accounts, regions };
  const recs: Record<string, unknown>[] = [];
  const windowStart = START_MS + Math.floor((job.index / Math.max(1, Math.ceil(opts.events / opts.recordsPerFile))) * SPAN_MS);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < job.count; i++) {
    const t = windowStart + Math.floor(c.r() * 15 * 60_000);
    first = Math.min(first, t);
    last = Math.max(last, t);
    recs.push(record(c, t));
  }
  // About 0.1% duplicate deliveries: a previous record of this file is delivered again.
  if (recs.length > 10 && c.r() < 0.2) recs.push(recs[Math.floor(c.r() * recs.length)] as Record<string, unknown>);
  const acct = pick(c, accounts);
  const region = pick(c, regions);
  const d = new Date(windowStart);
  const ymd = [d.getUTCFullYear(), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')];
  const stamp = `${ymd.join('')}T${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}Z`;
  const dir = path.join(opts.dir, 'AWSLogs', 'o-a1b2c3d4e5', acct, 'CloudTrail', region, ...ymd.map(String));
  fs.mkdirSync(dir, { recursive: true });
  const body = zlib.gzipSync(JSON.stringify({ Records: recs }), { level: 6 });
  fs.writeFileSync(path.join(dir, `${acct}_CloudTrail_${region}_${stamp}_${upper(c, 16)}.json.gz`), body);
  return { bytes: body.length, first, last };
}

function fullOptions(o: GenerateOptions): Required<Omit<GenerateOptions, 'workers'>> {
  return { dir: o.dir, events: o.events, seed: o.seed ?? 42, accounts: o.accounts ?? 4, regions: o.regions ?? 6, recordsPerFile: o.recordsPerFile ?? 500 };
}

function identities(o: Required<Omit<GenerateOptions, 'workers'>>): { accounts: string[]; regions: string[] } {
  const accounts = Array.from({ length: o.accounts }, (_, i) => String(111111111111 * (i + 1)).slice(0, 12));
  return { accounts, regions: REGIONS.slice(0, Math.max(1, Math.min(REGIONS.length, o.regions))) };
}

export async function generateArchive(options: GenerateOptions): Promise<GenerateResult> {
  const o = fullOptions(options);
  const jobs: FileJob[] = [];
  for (let i = 0, left = o.events; left > 0; i++, left -= o.recordsPerFile) jobs.push({ index: i, count: Math.min(o.recordsPerFile, left) });
  const nWorkers = Math.max(1, options.workers ?? 2);
  const parts = await Promise.all(
    Array.from({ length: nWorkers }, (_, w) =>
      new Promise<{ bytes: number; first: number; last: number; events: number }>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { o, jobs: jobs.filter((_, i) => i % nWorkers === w) } });
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
    ),
  );
  return {
    files: jobs.length,
    bytes: parts.reduce((n, p) => n + p.bytes, 0),
    events: parts.reduce((n, p) => n + p.events, 0),
    firstMs: Math.min(...parts.map((p) => p.first)),
    lastMs: Math.max(...parts.map((p) => p.last)),
  };
}

if (!isMainThread && parentPort && (workerData as { jobs?: unknown } | null)?.jobs) {
  const { o, jobs } = workerData as { o: Required<Omit<GenerateOptions, 'workers'>>; jobs: FileJob[] };
  const { accounts, regions } = identities(o);
  let bytes = 0;
  let first = Infinity;
  let last = -Infinity;
  let events = 0;
  for (const job of jobs) {
    const r = writeFile(o, job, accounts, regions);
    bytes += r.bytes;
    first = Math.min(first, r.first);
    last = Math.max(last, r.last);
    events += job.count;
  }
  parentPort.postMessage({ bytes, first, last, events });
}
