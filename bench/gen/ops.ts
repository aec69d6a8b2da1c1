/** The operation catalogue and the mixes each kind of activity draws from. */
import { COMPUTE_OPS } from './opsCompute';
import { IDENTITY_OPS } from './opsIdentity';
import type { OpDef } from './types';

export const OPS: readonly OpDef[] = [...COMPUTE_OPS, ...IDENTITY_OPS];

const byName = new Map(OPS.map((o, i) => [o.name, i]));

export function opId(name: string): number {
  const id = byName.get(name);
  if (id === undefined) throw new Error(`unknown operation ${name}`);
  return id;
}

export function opDef(id: number): OpDef {
  const o = OPS[id];
  if (!o) throw new Error(`unknown operation id ${id}`);
  return o;
}

/** A weighted choice of operations. */
export interface Mix {
  readonly ops: readonly number[];
  readonly weights: readonly number[];
}

function mix(entries: Readonly<Record<string, number>>): Mix {
  return { ops: Object.keys(entries).map(opId), weights: Object.values(entries) };
}

export const MIX = {
  cliRead: mix({
    DescribeInstances: 14, DescribeSecurityGroups: 6, DescribeVpcs: 3, DescribeSubnets: 3, DescribeVolumes: 3, DescribeRegions: 2, DescribeImages: 2,
    ListBuckets: 6, GetCallerIdentity: 6, ListUsers: 3, GetUser: 2, ListRoles: 3, GetRole: 3, ListAttachedRolePolicies: 2, ListAccessKeys: 2,
    DescribeTrails: 2, GetTrailStatus: 1, LookupEvents: 1, ListFunctions20150331: 2, GetFunction20150331v2: 1, ListKeys: 1, DescribeKey: 1,
    GetParameter: 2, GetSecretValue: 1, DescribeLogGroups: 2, DescribeAlarms: 1, GetObject: 6, ListObjects: 3,
  }),
  cliWrite: mix({
    RunInstances: 3, StopInstances: 3, StartInstances: 3, CreateTags: 5, AuthorizeSecurityGroupIngress: 2, PutObject: 6, DeleteObject: 2,
    PutBucketPolicy: 1, CreateUser: 1, CreateAccessKey: 1, AttachUserPolicy: 1, PutRolePolicy: 1, UpdateFunctionCode20150331v2: 2, Invoke: 4,
    Encrypt: 1, ScheduleKeyDeletion: 0.3, StopLogging: 0.4, StartLogging: 0.3, UpdateTrail: 0.4, PutEventSelectors: 0.4,
  }),
  workload: mix({ GetObject: 34, PutObject: 14, HeadObject: 6, ListObjects: 5, DeleteObject: 2, Decrypt: 10, GenerateDataKey: 6, GetParameter: 5, GetSecretValue: 3, DescribeInstances: 4, Invoke: 4, GetCallerIdentity: 3 }),
  console: mix({
    DescribeInstances: 8, DescribeSecurityGroups: 4, DescribeVpcs: 2, DescribeVolumes: 2, ListBuckets: 5, GetBucketPolicy: 2, GetBucketAcl: 2,
    GetAccountSummary: 3, ListMFADevices: 2, ListUsers: 3, ListRoles: 3, GetRole: 2, LookupEvents: 3, DescribeTrails: 2, ListFunctions20150331: 2,
    DescribeAlarms: 2, DescribeLogGroups: 2, CreateTags: 1, StopInstances: 0.5, AttachUserPolicy: 0.3, CreateAccessKey: 0.3,
  }),
  config: mix({ GetBucketAcl: 5, GetBucketPolicy: 5, DescribeInstances: 3, DescribeSecurityGroups: 3, DescribeVpcs: 2, ListRoles: 2, GetRole: 2, DescribeKey: 1 }),
} as const;

export const OP = {
  assumeRole: opId('AssumeRole'),
  consoleLogin: opId('ConsoleLogin'),
  decrypt: opId('Decrypt'),
  rotateKey: opId('RotateKey'),
  getObject: opId('GetObject'),
  putObject: opId('PutObject'),
} as const;
