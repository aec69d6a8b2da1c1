/** The evidence the browser tests import: an S3-style trail over three days, a zip bundle and a hostile record. */
import path from 'node:path';
import { envelope, gz, record, tmpDir, trailKey, write, zip, type Rec } from '../helpers/evidence';

export const HOSTILE = '<img src=x onerror=window.__pwned=1>';
/** A right-to-left override: displayed raw, `invoice\u202Efdp.exe` reads as `invoiceexe.pdf`. */
export const BIDI = 'invoice\u202Efdp.exe';

const NAMES = ['DescribeInstances', 'GetObject', 'ListBuckets', 'AssumeRole', 'ConsoleLogin', 'CreateAccessKey', 'PutBucketPolicy', 'RunInstances'];
const SOURCES: Record<string, string> = { DescribeInstances: 'ec2.amazonaws.com', RunInstances: 'ec2.amazonaws.com', GetObject: 's3.amazonaws.com', ListBuckets: 's3.amazonaws.com', PutBucketPolicy: 's3.amazonaws.com', AssumeRole: 'sts.amazonaws.com', ConsoleLogin: 'signin.amazonaws.com', CreateAccessKey: 'iam.amazonaws.com' };
const USERS = ['alice', 'bob', 'mallory'];
const IPS = ['203.0.113.7', '198.51.100.23', '192.0.2.44'];
const REGIONS = ['us-east-1', 'eu-west-1'];

function event(i: number): Rec {
  const name = NAMES[(i * 7) % NAMES.length] ?? 'DescribeInstances';
  const user = USERS[i % USERS.length] ?? 'alice';
  const t = Date.UTC(2024, 2, 1, 6, 0, 0) + Math.floor((i * i * 37 + i * 1800_000) % (3 * 86_400_000));
  const failed = i % 11 === 0;
  return record({
    eventTime: new Date(t).toISOString().replace('.000', ''),
    eventName: name,
    eventSource: SOURCES[name],
    awsRegion: REGIONS[i % 5 === 0 ? 1 : 0],
    sourceIPAddress: IPS[i % IPS.length],
    readOnly: name.startsWith('Describe') || name.startsWith('Get') || name.startsWith('List'),
    userIdentity: { type: 'IAMUser', principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: '111122223333', accessKeyId: `AKIA${user.toUpperCase()}KEY`, userName: user },
    ...(failed ? { errorCode: 'AccessDenied', errorMessage: `User ${user} is not authorized` } : {}),
  });
}

/** An intruder's burst: two hours of failed and successful IAM and S3 calls from a new address. */
function burst(i: number): Rec {
  const names = ['ListUsers', 'CreateUser', 'AttachUserPolicy', 'CreateAccessKey', 'GetBucketAcl', 'PutBucketPolicy', 'DeleteTrail'];
  const name = names[i % names.length] ?? 'ListUsers';
  const t = Date.UTC(2024, 2, 3, 2, 10, 0) + i * 97_000 + (i % 7) * 3_000;
  return record({
    eventTime: new Date(t).toISOString().replace('.000', ''),
    eventName: name,
    eventSource: name.includes('Bucket') ? 's3.amazonaws.com' : name === 'DeleteTrail' ? 'cloudtrail.amazonaws.com' : 'iam.amazonaws.com',
    sourceIPAddress: '45.76.99.201',
    userAgent: 'python-requests/2.31.0',
    readOnly: name.startsWith('List') || name.startsWith('Get'),
    userIdentity: { type: 'IAMUser', principalId: 'AIDAMALLORY', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAMALLORYKEY', userName: 'mallory' },
    ...(i % 3 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'User mallory is not authorized' } : {}),
  });
}

export interface Fixture {
  readonly dir: string;
  readonly events: number;
}

/** 300 events in a trail folder and a zip, a hostile record, one action recorded for two accounts, one good and one cut-off JSON line. */
export function writeFixture(): Fixture {
  const dir = tmpDir('cairn-e2e-');
  const all = [...Array.from({ length: 240 }, (_, i) => event(i)), ...Array.from({ length: 60 }, (_, i) => burst(i))];
  const byDay = new Map<string, Rec[]>();
  for (const r of [...all.slice(0, 180), ...all.slice(240)]) {
    const day = String(r.eventTime).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), r]);
  }
  for (const [day, recs] of byDay) write(dir, trailKey('111122223333', 'us-east-1', day, day.replaceAll('-', '')), gz(envelope(recs)));
  const hostile = record({ eventTime: '2024-03-02T12:00:00Z', eventName: HOSTILE, userAgent: HOSTILE, requestParameters: { bucketName: HOSTILE, policy: `"><script>window.__pwned=2</script>`, key: BIDI } });
  write(dir, 'bundle.zip', zip([{ name: 'export/part-1.json', data: envelope([...all.slice(180, 240), hostile]) }]));
  // One cross-account AssumeRole, delivered to both accounts: two records of one action.
  const shared = { eventTime: '2024-03-02T09:15:00Z', eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', sharedEventID: '5f3c1f0e-2d3b-4a51-9c1e-0a6f4f6b2c11', requestParameters: { roleArn: 'arn:aws:iam::444455556666:role/CrossAccountRole', roleSessionName: 'alice' } };
  write(dir, trailKey('444455556666', 'us-east-1', '2024-03-02', 'shared'), gz(envelope([record({ ...shared, recipientAccountId: '444455556666' })])));
  write(dir, 'shared-111122223333.json', envelope([record({ ...shared, recipientAccountId: '111122223333' })]));
  write(dir, 'broken.jsonl', `${JSON.stringify(record({ eventTime: '2024-03-02T13:00:00Z' }))}\n{"eventVersion": "1.08", "eventTime": \n`);
  return { dir: path.resolve(dir), events: all.length + 4 };
}
