/**
 * Every starter query runs without error on a real import, through the same path the panel uses
 * (runStatement over the engine's dispatch), and finds what a fixture built to trigger it holds.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlResult } from '../../../shared/api';
import { Engine } from '../../../electron/engine/engine';
import { createHandlers, dispatch } from '../../../electron/engine/handlers';
import { fetchSchema, runStatement, type Caller } from '../../../renderer/panels/query/run';
import { STARTER_QUERIES } from '../../../renderer/panels/query/starters';
import { envelope, record, tmpDir, write, type Rec } from '../../helpers/evidence';

const A = '111122223333';
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const at = (min: number): string => new Date(T0 + min * 60_000).toISOString().replace('.000', '');
const alice = { type: 'IAMUser', principalId: 'AIDAALICE', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIAALICE', userName: 'alice' };
const mallory = { ...alice, principalId: 'AIDAMAL', arn: `arn:aws:iam::${A}:user/mallory`, accessKeyId: 'AKIAMAL', userName: 'mallory' };
const root = { type: 'Root', principalId: A, arn: `arn:aws:iam::${A}:root`, accountId: A, accessKeyId: 'ASIAROOTCONSOLE' };
const roleSession = { type: 'AssumedRole', principalId: 'AROAOPS:alice', arn: `arn:aws:sts::${A}:assumed-role/Ops/alice`, accountId: A, accessKeyId: 'ASIAOPS1', sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A, userName: 'Ops' }, attributes: { creationDate: at(40), mfaAuthenticated: 'false' } } };
const ghost = { ...roleSession, principalId: 'AROAGHOST:x', arn: `arn:aws:sts::${A}:assumed-role/Ghost/x`, accessKeyId: 'ASIAGHOST' };

const ev = (min: number, eventSource: string, eventName: string, userIdentity: Rec, more: Rec = {}): Rec => record({ eventTime: at(min), eventSource, eventName, userIdentity, recipientAccountId: A, ...more });

function fixture(): Rec[] {
  return [
    ev(0, 'iam.amazonaws.com', 'GetAccountSummary', root),
    ev(1, 'iam.amazonaws.com', 'ListRoles', { type: 'Root', principalId: A, arn: `arn:aws:iam::${A}:root`, accountId: A, invokedBy: 'support.amazonaws.com' }),
    ev(2, 'signin.amazonaws.com', 'ConsoleLogin', { ...alice, accessKeyId: '' }, { eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com' } }),
    ev(3, 'signin.amazonaws.com', 'ConsoleLogin', { ...mallory, accessKeyId: '' }, { eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }),
    ev(10, 'iam.amazonaws.com', 'CreateUser', alice, { requestParameters: { userName: 'backdoor' }, responseElements: { user: { userName: 'backdoor', arn: `arn:aws:iam::${A}:user/backdoor` } } }),
    ev(11, 'iam.amazonaws.com', 'AttachUserPolicy', alice, { requestParameters: { userName: 'backdoor', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    ev(12, 'iam.amazonaws.com', 'CreateAccessKey', alice, { requestParameters: { userName: 'backdoor' }, responseElements: { accessKey: { accessKeyId: 'AKIABACKDOOR', userName: 'backdoor', status: 'Active' } } }),
    ev(13, 'iam.amazonaws.com', 'ListUsers', alice),
    ...[20, 21, 22].map((m, i) => ev(m, 's3.amazonaws.com', ['ListBuckets', 'GetObject', 'ListBuckets'][i] ?? 'ListBuckets', mallory, { errorCode: 'AccessDenied', errorMessage: 'Access Denied' })),
    ev(23, 'ec2.amazonaws.com', 'RunInstances', mallory, { errorCode: 'Client.UnauthorizedOperation' }),
    ev(30, 'cloudtrail.amazonaws.com', 'StopLogging', alice, { requestParameters: { name: 'main-trail' } }),
    ev(31, 'cloudtrail.amazonaws.com', 'PutEventSelectors', alice, { requestParameters: { trailName: 'main-trail', eventSelectors: [] } }),
    ev(32, 'cloudtrail.amazonaws.com', 'DescribeTrails', alice),
    ev(35, 'ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', alice, { requestParameters: { groupId: 'sg-0123', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } } }),
    ev(40, 'sts.amazonaws.com', 'AssumeRole', alice, { requestParameters: { roleArn: `arn:aws:iam::${A}:role/Ops`, roleSessionName: 'alice' }, responseElements: { credentials: { accessKeyId: 'ASIAOPS1' }, assumedRoleUser: { arn: roleSession.arn } } }),
    ev(41, 's3.amazonaws.com', 'ListBuckets', roleSession),
    ev(42, 's3.amazonaws.com', 'GetObject', roleSession),
    ev(50, 'secretsmanager.amazonaws.com', 'GetSecretValue', ghost),
  ];
}

let engine: Engine;
let caller: Caller;
const results = new Map<string, SqlResult>();

beforeAll(async () => {
  const dir = tmpDir('cairn-starters-');
  write(dir, 'ev/trail.json', envelope(fixture()));
  engine = await Engine.create();
  await engine.importPaths([path.join(dir, 'ev')]);
  const handlers = createHandlers(engine);
  caller = ((name, req) => dispatch(handlers, name, req)) as Caller;
  for (const s of STARTER_QUERIES) {
    const r = await runStatement(caller, s.sql);
    if (!r.ok) throw new Error(`${s.id}: ${r.error.message}`);
    results.set(s.id, r.value);
  }
});
afterAll(() => engine?.close());

function rows(id: string): Record<string, unknown>[] {
  const r = results.get(id);
  if (!r) throw new Error(`no result for ${id}`);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

describe('starter queries on a real import', () => {
  it('each has an id, a title, a one-line why and one statement', () => {
    const ids = STARTER_QUERIES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of STARTER_QUERIES) {
      expect(s.title.length).toBeGreaterThan(5);
      expect(s.why).not.toContain('\n');
      expect(s.why.length).toBeGreaterThan(20);
      expect(s.sql.trim().replace(/;$/, '')).not.toContain(';');
    }
    expect(STARTER_QUERIES.length).toBeGreaterThanOrEqual(8);
  });

  it('finds root use, but not a service acting as root', () => {
    expect(rows('root-use').map((r) => r['eventName'])).toEqual(['GetAccountSummary']);
  });

  it('finds the console login without MFA', () => {
    expect(rows('console-no-mfa').map((r) => [r['userIdentity_arn'], r['mfaUsed'], r['outcome']])).toEqual([[alice.arn, 'No', 'Success']]);
  });

  it('lists IAM changes with their target, not reads', () => {
    expect(rows('iam-changes').map((r) => [r['eventName'], r['target']])).toEqual([
      ['CreateUser', 'backdoor'],
      ['AttachUserPolicy', 'backdoor'],
      ['CreateAccessKey', 'backdoor'],
    ]);
  });

  it('counts denials by principal', () => {
    expect(rows('access-denied')).toEqual([expect.objectContaining({ principal: mallory.arn, denied: 4, apis: 3 })]);
  });

  it('finds the trail being stopped and narrowed', () => {
    expect(rows('cloudtrail-changes').map((r) => [r['eventName'], r['trail']])).toEqual([
      ['StopLogging', 'main-trail'],
      ['PutEventSelectors', 'main-trail'],
    ]);
  });

  it('finds the security group opened to the world', () => {
    const r = rows('security-groups');
    expect(r.map((x) => [x['eventName'], x['groupId']])).toEqual([['AuthorizeSecurityGroupIngress', 'sg-0123']]);
    expect(String(r[0]?.['ipPermissions'])).toContain('0.0.0.0/0');
  });

  it('puts alice behind the Ops session and says issuer unknown for the orphan', () => {
    const r = rows('sessions-behind');
    expect(r.find((x) => x['access_key'] === 'ASIAOPS1')).toMatchObject({ issue_call: 'AssumeRole', root_actor: alice.arn, role_arn: `arn:aws:iam::${A}:role/Ops`, issued: at(40), events: 2 });
    expect(r.find((x) => x['access_key'] === 'ASIAGHOST')).toMatchObject({ issue_call: null, root_actor: 'issuer unknown', root_kind: 'unknown' });
  });

  it('groups sessions by root actor', () => {
    expect(rows('sessions-per-actor')).toContainEqual(expect.objectContaining({ root_actor: alice.arn, sessions: 1, events: 2 }));
  });

  it('lists the backdoor user and key with their creator', () => {
    expect(rows('created-credentials').map((r) => [r['kind'], r['subject'], r['creator_arn']])).toEqual([
      ['user', `arn:aws:iam::${A}:user/backdoor`, alice.arn],
      ['access-key', 'AKIABACKDOOR', alice.arn],
    ]);
  });

  it('the schema lists the events view first and the correlation tables', async () => {
    const r = await fetchSchema(caller);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.tables[0]?.name).toBe('events');
    expect(r.value.tables[0]?.columns).toContain('userIdentity_accessKeyId');
    expect(r.value.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['sessions', 'created']));
  });
});
