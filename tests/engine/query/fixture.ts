/**
 * A small case with every field the UI filters on varied, nulls included, for the query tests; and an
 * oracle that reads the public `events` view (not `ev`) so results are checked independently.
 */
import path from 'node:path';
import type { ApiName, Result } from '../../../shared/api';
import type { FilterField } from '../../../shared/domain';
import { Engine } from '../../../electron/engine/engine';
import { createHandlers, dispatch } from '../../../electron/engine/handlers';
import { type Rec, envelope, gz, record, tmpDir, trailKey, write } from '../../helpers/evidence';

export const N = 240;
export const T0 = Date.UTC(2024, 0, 1);
export const NEEDLE = 'secret-bucket-x';

const NAMES = ['DescribeInstances', 'GetObject', 'PutObject', 'AssumeRole', 'ConsoleLogin'];
const IPS = ['203.0.113.7', '198.51.100.23', '192.0.2.1', 'AWS Internal'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const AGENTS = ['aws-cli/2.15.0', 'Boto3/1.34.0', "=cmd|' /C calc'!A0", 'console.amazonaws.com'];

function identity(i: number): Rec {
  if (i % 11 === 0) return { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' };
  if (i % 7 === 0) {
    return {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:ops',
      arn: 'arn:aws:sts::111122223333:assumed-role/Ops/ops',
      accountId: '111122223333',
      accessKeyId: `ASIATEMP${i % 3}`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/Ops', userName: 'Ops' }, sourceIdentity: i % 2 ? 'dave@example.com' : undefined },
    };
  }
  const user = ['alice', 'bob', 'carol'][i % 3] as string;
  return { type: 'IAMUser', principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: '111122223333', accessKeyId: `AKIA${user.toUpperCase()}`, userName: user };
}

function resources(i: number): Rec[] | undefined {
  if (i % 6 === 0) return [{ ARN: `arn:aws:s3:::bucket-${i % 4}`, type: 'AWS::S3::Bucket' }];
  if (i % 6 === 1) return [{ ARN: 'arn:aws:iam::111122223333:role/Target', type: 'AWS::IAM::Role' }, { ARNPrefix: 'arn:aws:s3:::bucket-1/logs/', type: 'AWS::S3::Object' }];
  if (i % 6 === 2) return [{ type: 'AWS::KMS::Key', accountId: '111122223333' }];
  return undefined;
}

export function fixtureRecord(i: number): Rec {
  const name = NAMES[i % NAMES.length] as string;
  return record({
    eventTime: new Date(T0 + i * 37_000 + (i % 3 === 0 ? 123 : 0)).toISOString().replace('.000', ''),
    eventName: name,
    eventSource: name === 'GetObject' || name === 'PutObject' ? 's3.amazonaws.com' : name === 'AssumeRole' ? 'sts.amazonaws.com' : name === 'ConsoleLogin' ? 'signin.amazonaws.com' : 'ec2.amazonaws.com',
    eventType: name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    userIdentity: identity(i),
    readOnly: i % 3 === 0 ? true : i % 3 === 1 ? false : undefined,
    errorCode: i % 4 === 0 ? 'AccessDenied' : i % 9 === 0 ? 'ThrottlingException' : undefined,
    errorMessage: i % 4 === 0 ? 'denied' : undefined,
    eventCategory: i % 13 === 0 ? undefined : i % 5 === 0 ? 'Data' : 'Management',
    resources: resources(i),
    sourceIPAddress: IPS[i % IPS.length],
    awsRegion: REGIONS[i % REGIONS.length],
    recipientAccountId: i % 8 === 0 ? '444455556666' : '111122223333',
    userAgent: AGENTS[i % AGENTS.length],
    requestParameters: i % 10 === 3 ? { bucketName: 'Secret-Bucket-X' } : { maxResults: i },
    sharedEventID: i % 5 === 4 ? `shared-${i % 3}` : undefined,
    requestID: `req-${i % 50}`,
    eventID: `evt-${String(i).padStart(4, '0')}`,
  });
}

export interface Fixture {
  readonly engine: Engine;
  readonly dir: string;
  readonly files: readonly string[];
  call(name: ApiName, req: unknown): Promise<Result<unknown>>;
  /** Calls and unwraps; throws with the error when the call failed. */
  value<T>(name: ApiName, req: unknown): Promise<T>;
}

export async function makeFixture(): Promise<Fixture> {
  const dir = tmpDir('cairn-query-');
  const recs = Array.from({ length: N }, (_, i) => fixtureRecord(i));
  const files = [
    write(dir, trailKey('111122223333', 'us-east-1', '2024-01-01', 'a'), gz(envelope(recs.slice(0, 100)))),
    write(dir, trailKey('111122223333', 'eu-west-1', '2024-01-01', 'b'), gz(envelope(recs.slice(100)))),
  ];
  const engine = await Engine.create();
  await engine.importPaths([path.join(dir, 'AWSLogs')]);
  const handlers = createHandlers(engine);
  const call = (name: ApiName, req: unknown): Promise<Result<unknown>> => dispatch(handlers, name, req);
  return {
    engine,
    dir,
    files,
    call,
    async value<T>(name: ApiName, req: unknown): Promise<T> {
      const r = await call(name, req);
      if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
  };
}

/** One row of the `events` view, with the field values the filter speaks of. */
export type ViewRow = Record<string, unknown> & { rowId: number; eventTimeMs: number };

export function viewRows(engine: Engine): ViewRow[] {
  return engine.store.all('SELECT * FROM events ORDER BY rowId') as ViewRow[];
}

/** The values of a filter field on a view row (several for resources; [] when absent). */
export function fieldValues(row: ViewRow, field: FilterField): (string | null)[] {
  if (field === 'resourceType' || field === 'resourceName') {
    const items = typeof row['resources'] === 'string' ? (JSON.parse(row['resources']) as Rec[] | null) ?? [] : [];
    const key = (r: Rec): unknown => (field === 'resourceType' ? r['type'] : (r['ARN'] ?? r['ARNPrefix']));
    return items.map(key).filter((v): v is string => typeof v === 'string');
  }
  if (field === 'readOnly') return [row['readOnly'] === 1 ? 'true' : row['readOnly'] === 0 ? 'false' : null];
  const v = row[field];
  return [typeof v === 'string' ? v : null];
}

/** Whether a row matches "field IN values" with a null value meaning absent. */
export function matches(row: ViewRow, field: FilterField, values: readonly (string | null)[]): boolean {
  const present = fieldValues(row, field).filter((v) => v !== null);
  if (values.includes(null) && present.length === 0) return true;
  return present.some((v) => values.includes(v));
}
