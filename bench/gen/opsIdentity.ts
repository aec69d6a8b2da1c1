/** IAM, STS, sign-in and CloudTrail operations. */
import { actorArn, principalId, sessionKey } from './identity';
import { javaDate } from './opsCompute';
import { FLAG, KIND, type Body, type Ctx, type OpDef } from './types';
import { acct, role, user } from './world';

const POLICIES = ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3FullAccess', 'arn:aws:iam::aws:policy/SecurityAudit'];

const someUser = (c: Ctx): string => c.a.users[c.rng.int(c.a.users.length)]?.name ?? 'alice';
const someRole = (c: Ctx): string => c.a.roles[c.rng.int(c.a.roles.length)]?.name ?? 'AdminRole';
const trailArn = (c: Ctx): string => `arn:aws:cloudtrail:us-east-1:${c.a.id}:trail/${c.a.trail}`;

function assumeRole(c: Ctx): Body {
  const issued = c.actors[c.aux];
  const r = c.rng;
  if (!issued) {
    // A failed attempt (the planner marks it denied): no session was issued.
    const target = `arn:aws:iam::${c.a.id}:role/${someRole(c)}`;
    return { req: { roleArn: target, roleSessionName: `probe-${r.lowerAlnum(6)}` }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::IAM::Role', ARN: target }] };
  }
  const owner = acct(c.w, issued.acct);
  const rl = role(owner, issued.role);
  const req: Record<string, unknown> = { roleArn: rl.arn, roleSessionName: issued.session };
  if (issued.service === null) req['durationSeconds'] = 3600;
  if (issued.sourceIdentity) req['sourceIdentity'] = issued.sourceIdentity;
  const resp: Record<string, unknown> = {
    credentials: { accessKeyId: sessionKey(c.w, issued.id), sessionToken: `IQoJb3JpZ2luX2VjE${r.base64(340)}`, expiration: javaDate(issued.createdMs + 3_600_000) },
    assumedRoleUser: { assumedRoleId: principalId(c.w, issued), arn: actorArn(c.w, issued) },
  };
  if (issued.sourceIdentity) resp['sourceIdentity'] = issued.sourceIdentity;
  return { req, resp, res: [{ accountId: owner.id, type: 'AWS::IAM::Role', ARN: rl.arn }] };
}

function consoleLogin(c: Ctx): Body {
  const failed = (c.flags & FLAG.loginFailed) !== 0;
  const add: Record<string, unknown> = {
    LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_${c.region}_${c.rng.hex(16)}`,
    MobileVersion: 'No',
  };
  if (c.actor.mfa) add['MFAIdentifier'] = `arn:aws:iam::${c.actorAcct.id}:mfa/${c.actor.kind === KIND.rootConsole ? 'root-account-mfa-device' : user(c.actorAcct, c.actor.user).name}`;
  add['MFAUsed'] = c.actor.mfa ? 'Yes' : 'No';
  return { req: null, resp: { ConsoleLogin: failed ? 'Failure' : 'Success' }, add };
}

function createAccessKey(c: Ctx): Body {
  const name = someUser(c);
  return { req: { userName: name }, resp: { accessKey: { userName: name, accessKeyId: `AKIA${c.rng.base32(16)}`, status: 'Active', createDate: javaDate(c.t) } } };
}

function putRolePolicy(c: Ctx): Body {
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: c.rng.pick(['s3:*', 'kms:Decrypt', '*', 'sts:AssumeRole']), Resource: '*' }] });
  return { req: { roleName: someRole(c), policyName: `inline-${c.rng.lowerAlnum(6)}`, policyDocument: encodeURIComponent(doc) }, resp: null };
}

function eventSelectors(c: Ctx): Body {
  const selectors = [{ readWriteType: 'All', includeManagementEvents: true, dataResources: c.rng.chance(0.5) ? [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] : [], excludeManagementEventSources: [] }];
  return { req: { trailName: c.a.trail, eventSelectors: selectors }, resp: { trailARN: trailArn(c), eventSelectors: selectors } };
}

export const IDENTITY_OPS: readonly OpDef[] = [
  { name: 'AssumeRole', source: 'sts', readOnly: true, cli: 'sts.assume-role', body: assumeRole },
  { name: 'GetCallerIdentity', source: 'sts', readOnly: true, cli: 'sts.get-caller-identity', body: () => ({ req: null, resp: null }) },
  { name: 'GetSessionToken', source: 'sts', global: true, readOnly: true, cli: 'sts.get-session-token', body: (c) => ({ req: { durationSeconds: 43200 }, resp: { credentials: { accessKeyId: `ASIA${c.rng.base32(16)}`, sessionToken: `IQoJb3JpZ2luX2VjE${c.rng.base64(300)}`, expiration: javaDate(c.t + 43_200_000) } } }) },
  { name: 'ConsoleLogin', source: 'signin', global: true, readOnly: false, eventType: 'AwsConsoleSignIn', noErrors: true, body: consoleLogin },
  { name: 'ListUsers', source: 'iam', global: true, readOnly: true, cli: 'iam.list-users', body: () => ({ req: null, resp: null }) },
  { name: 'GetUser', source: 'iam', global: true, readOnly: true, cli: 'iam.get-user', body: (c) => ({ req: { userName: someUser(c) }, resp: null }) },
  { name: 'ListRoles', source: 'iam', global: true, readOnly: true, cli: 'iam.list-roles', body: () => ({ req: null, resp: null }) },
  { name: 'GetRole', source: 'iam', global: true, readOnly: true, cli: 'iam.get-role', body: (c) => ({ req: { roleName: someRole(c) }, resp: null }) },
  { name: 'ListAttachedRolePolicies', source: 'iam', global: true, readOnly: true, cli: 'iam.list-attached-role-policies', body: (c) => ({ req: { roleName: someRole(c) }, resp: null }) },
  { name: 'ListAccessKeys', source: 'iam', global: true, readOnly: true, cli: 'iam.list-access-keys', body: (c) => ({ req: { userName: someUser(c) }, resp: null }) },
  { name: 'GetAccountSummary', source: 'iam', global: true, readOnly: true, body: () => ({ req: null, resp: null }) },
  { name: 'ListMFADevices', source: 'iam', global: true, readOnly: true, body: (c) => ({ req: { userName: someUser(c) }, resp: null }) },
  { name: 'CreateUser', source: 'iam', global: true, readOnly: false, cli: 'iam.create-user', body: (c) => { const n = `svc-${c.rng.lowerAlnum(6)}`; return { req: { userName: n }, resp: { user: { path: '/', userName: n, userId: `AIDA${c.rng.base32(17)}`, arn: `arn:aws:iam::${c.a.id}:user/${n}`, createDate: javaDate(c.t) } } }; } },
  { name: 'CreateAccessKey', source: 'iam', global: true, readOnly: false, cli: 'iam.create-access-key', body: createAccessKey },
  { name: 'AttachUserPolicy', source: 'iam', global: true, readOnly: false, cli: 'iam.attach-user-policy', body: (c) => ({ req: { userName: someUser(c), policyArn: c.rng.pick(POLICIES) }, resp: null }) },
  { name: 'PutRolePolicy', source: 'iam', global: true, readOnly: false, cli: 'iam.put-role-policy', body: putRolePolicy },
  { name: 'DescribeTrails', source: 'cloudtrail', readOnly: true, cli: 'cloudtrail.describe-trails', body: () => ({ req: { trailNameList: [], includeShadowTrails: true }, resp: null }) },
  { name: 'GetTrailStatus', source: 'cloudtrail', readOnly: true, cli: 'cloudtrail.get-trail-status', body: (c) => ({ req: { name: trailArn(c) }, resp: null }) },
  { name: 'LookupEvents', source: 'cloudtrail', readOnly: true, cli: 'cloudtrail.lookup-events', body: (c) => ({ req: { maxResults: 50, lookupAttributes: [{ attributeKey: 'EventName', attributeValue: c.rng.pick(['ConsoleLogin', 'AssumeRole', 'StopLogging', 'CreateAccessKey']) }] }, resp: null }) },
  { name: 'StopLogging', source: 'cloudtrail', readOnly: false, cli: 'cloudtrail.stop-logging', body: (c) => ({ req: { name: trailArn(c) }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::CloudTrail::Trail', ARN: trailArn(c) }] }) },
  { name: 'StartLogging', source: 'cloudtrail', readOnly: false, cli: 'cloudtrail.start-logging', body: (c) => ({ req: { name: trailArn(c) }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::CloudTrail::Trail', ARN: trailArn(c) }] }) },
  { name: 'UpdateTrail', source: 'cloudtrail', readOnly: false, cli: 'cloudtrail.update-trail', body: (c) => ({ req: { name: c.a.trail, isMultiRegionTrail: c.rng.chance(0.5), includeGlobalServiceEvents: true }, resp: { name: c.a.trail, s3BucketName: `acme-cloudtrail-${c.a.id}`, includeGlobalServiceEvents: true, isMultiRegionTrail: true, trailARN: trailArn(c), logFileValidationEnabled: c.rng.chance(0.7), isOrganizationTrail: false } }) },
  { name: 'PutEventSelectors', source: 'cloudtrail', readOnly: false, cli: 'cloudtrail.put-event-selectors', body: eventSelectors },
];
