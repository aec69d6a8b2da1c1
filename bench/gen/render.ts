/**
 * Renders planned events as CloudTrail JSON and layout files as `{"Records":[...]}` envelopes.
 * A record is a pure function of its index (its own seeded generator), so duplicates are identical.
 */
import { actorArn, isoSeconds, ownerCopyIdentity, userIdentity } from './identity';
import type { Layout } from './layout';
import { opDef } from './ops';
import type { Plan } from './plan';
import { Rng } from './rng';
import { FLAG, KIND, type Actor, type Body, type OpDef } from './types';
import { type World, acct, regionName } from './world';

const EVENT_STREAM = 0x45564e54;
const SHARED_STREAM = 0x53485244;
const FILE_STREAM = 0x46494c45;

const VERSIONS: Readonly<Record<string, string>> = { s3: '1.10', ec2: '1.10', iam: '1.08', sts: '1.08', signin: '1.09', kms: '1.08', lambda: '1.08', cloudtrail: '1.09' };
const JSON_DENIED = new Set(['kms', 'lambda', 'ssm', 'secretsmanager', 'logs', 'cloudtrail', 'monitoring']);
const NOT_FOUND: Readonly<Record<string, [string, string]>> = {
  ec2: ['Client.InvalidInstanceID.NotFound', 'The instance ID does not exist'],
  s3: ['NoSuchKey', 'The specified key does not exist.'],
  iam: ['NoSuchEntityException', 'The role with name AdminRole cannot be found.'],
  sts: ['ExpiredTokenException', 'The security token included in the request is expired'],
  kms: ['NotFoundException', 'Key does not exist'],
  lambda: ['ResourceNotFoundException', 'Function not found'],
  ssm: ['ParameterNotFound', 'Parameter not found'],
  secretsmanager: ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."],
};

export interface RenderEnv {
  readonly w: World;
  readonly plan: Plan;
  readonly layout: Layout;
}

function errorFields(op: OpDef, kind: number, arn: string, rng: Rng): [string, string] {
  const svc = op.source;
  const action = `${svc === 'monitoring' ? 'cloudwatch' : svc}:${op.name.replace(/\d{8}(v\d)?$/, '')}`;
  if (kind === FLAG.throttled) {
    if (svc === 'ec2') return ['Client.RequestLimitExceeded', 'Request limit exceeded.'];
    if (svc === 's3') return ['SlowDown', 'Please reduce your request rate.'];
    return ['ThrottlingException', 'Rate exceeded'];
  }
  if (kind === FLAG.failed) return NOT_FOUND[svc] ?? ['ValidationException', 'Invalid request'];
  const why = `User: ${arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  if (svc === 'ec2') return ['Client.UnauthorizedOperation', op.readOnly ? `You are not authorized to perform this operation. ${why}` : `You are not authorized to perform this operation. ${why}. Encoded authorization failure message: ${rng.base64(240)}`];
  if (svc === 's3' && op.data) return ['AccessDenied', 'Access Denied'];
  return [JSON_DENIED.has(svc) ? 'AccessDeniedException' : 'AccessDenied', why];
}

function hostHeader(op: OpDef, region: string, body: Body): string {
  const req = body.req;
  if (req && typeof req === 'object' && 'Host' in req && typeof req.Host === 'string') return req.Host;
  if (op.source === 'iam') return 'iam.amazonaws.com';
  if (op.source === 'signin') return 'signin.aws.amazon.com';
  if (op.source === 'sts' && region === 'us-east-1') return 'sts.amazonaws.com';
  return `${op.source}.${region}.amazonaws.com`;
}

function agentFor(actor: Actor, op: OpDef): string {
  if (actor.agent.endsWith('command/')) return actor.agent + (op.cli ?? 's3.cp');
  if (actor.agent.endsWith('api/')) return `${actor.agent}${op.source}#1.${40 + (op.name.length % 20)}.0`;
  if (op.data && op.source === 's3' && actor.kind === KIND.role) return `[${actor.agent}]`;
  return actor.agent;
}

export function renderRecord(env: RenderEnv, i: number): string {
  const { w, plan } = env;
  const rng = Rng.of(w.seed, EVENT_STREAM, i);
  const sharedId = plan.shared[i] ?? -1;
  const bodyRng = sharedId >= 0 ? Rng.of(w.seed, SHARED_STREAM, sharedId) : rng;
  const op = opDef(plan.op[i] ?? 0);
  const actor = plan.actors[plan.actor[i] ?? 0];
  if (!actor) throw new Error(`event ${i} has no actor`);
  const flags = plan.flags[i] ?? 0;
  const t = plan.t[i] ?? 0;
  const a = acct(w, plan.acct[i] ?? 0);
  const region = regionName(w, plan.region[i] ?? 0);
  const viaS3 = (flags & FLAG.viaS3) !== 0;
  // The console's own back end makes many calls of a console session: they come from "AWS Internal".
  const consoleInternal = actor.agent.startsWith('Mozilla/') && op.source !== 'signin' && rng.chance(0.4);
  const service = viaS3 ? 's3.amazonaws.com' : consoleInternal ? 'AWS Internal' : actor.service;
  const invokedBy = viaS3 || (actor.kind === KIND.role && actor.service !== null) ? service : null;
  const arn = actorArn(w, actor);
  const body = op.body({ rng: bodyRng, w, a, region, actor, actorAcct: acct(w, actor.acct), t, aux: plan.aux[i] ?? -1, flags, actors: plan.actors, arn });
  const errKind = flags & FLAG.errorMask;
  const rec: Record<string, unknown> = {
    eventVersion: VERSIONS[op.source] ?? '1.09',
    userIdentity: (flags & FLAG.ownerCopy) !== 0 ? ownerCopyIdentity(w, actor) : userIdentity(w, actor, invokedBy),
    eventTime: isoSeconds(t),
    eventSource: `${op.source}.amazonaws.com`,
    eventName: op.name,
    awsRegion: region,
    sourceIPAddress: service ?? actor.ip,
    userAgent: service ?? agentFor(actor, op),
  };
  if (errKind !== 0) [rec['errorCode'], rec['errorMessage']] = errorFields(op, errKind, arn, bodyRng);
  if ((flags & FLAG.loginFailed) !== 0) rec['errorMessage'] = 'Failed authentication';
  rec['requestParameters'] = body.req;
  rec['responseElements'] = errKind !== 0 ? null : body.resp ?? null;
  if (body.add !== undefined) rec['additionalEventData'] = body.add;
  rec['requestID'] = op.source === 's3' ? bodyRng.upperHex(16) : bodyRng.uuid();
  rec['eventID'] = rng.uuid((i + Math.imul(w.seed, 0x9e3779b1)) >>> 0);
  rec['readOnly'] = op.readOnly;
  if (body.res) rec['resources'] = body.res;
  rec['eventType'] = op.eventType ?? 'AwsApiCall';
  rec['managementEvent'] = !op.data;
  rec['recipientAccountId'] = a.id;
  if (sharedId >= 0) rec['sharedEventID'] = Rng.of(w.seed, SHARED_STREAM ^ 1, sharedId).uuid();
  if (body.sed !== undefined) rec['serviceEventDetails'] = body.sed;
  rec['eventCategory'] = op.data ? 'Data' : 'Management';
  if (service === null && actor.kind !== KIND.service) {
    const tls13 = actor.id % 5 !== 0;
    rec['tlsDetails'] = { tlsVersion: tls13 ? 'TLSv1.3' : 'TLSv1.2', cipherSuite: tls13 ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: hostHeader(op, region, body) };
  }
  return JSON.stringify(rec);
}

/** The S3 key of file f, relative to the archive root. */
export function filePath(env: RenderEnv, f: number): string {
  const { w, layout } = env;
  const a = acct(w, layout.fileAcct[f] ?? 0).id;
  const region = regionName(w, layout.fileRegion[f] ?? 0);
  const d = new Date(layout.fileDelivery[f] ?? 0).toISOString();
  const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
  const unique = Rng.of(w.seed, FILE_STREAM, f).alnum(16);
  return `AWSLogs/${w.orgId}/${a}/CloudTrail/${region}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${a}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/** The file's events (its own and the duplicates delivered with it), in no particular order. */
export function fileEvents(env: RenderEnv, f: number): number[] {
  const { layout } = env;
  const out: number[] = [];
  for (let j = layout.fileStart[f] ?? 0; j < (layout.fileStart[f + 1] ?? 0); j++) out.push(layout.order[j] ?? 0);
  for (let j = layout.dupStart[f] ?? 0; j < (layout.dupStart[f + 1] ?? 0); j++) out.push(layout.dupEvent[j] ?? 0);
  const rng = Rng.of(env.w.seed, FILE_STREAM ^ 2, f);
  for (let k = out.length - 1; k > 0; k--) {
    const r = rng.int(k + 1);
    const tmp = out[k] ?? 0;
    out[k] = out[r] ?? 0;
    out[r] = tmp;
  }
  return out;
}

export function renderFile(env: RenderEnv, f: number): string {
  return `{"Records":[${fileEvents(env, f).map((i) => renderRecord(env, i)).join(',')}]}`;
}
