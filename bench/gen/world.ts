/**
 * The synthetic organisation: accounts, regions, users, roles, buckets, keys, instances and functions.
 * A pure function of (seed, accounts, regions), so every worker thread rebuilds the same world cheaply.
 */
import { Rng } from './rng';

export const ALL_REGIONS = [
  'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1',
  'us-east-2', 'ca-central-1', 'sa-east-1', 'ap-south-1', 'eu-north-1', 'ap-southeast-1',
] as const;
/** Share of regional activity per region (us-east-1 also receives every global service's events). */
const REGION_WEIGHTS = [30, 22, 16, 12, 8, 6, 5, 4, 3, 3, 2, 2];

const USER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'terraform', 'ci-deploy', 'backup-agent'];
const ROLE_NAMES = [
  'OrganizationAccountAccessRole', 'AdminRole', 'ReadOnlyAuditor', 'DeployRole', 'SecurityAuditRole',
  'AWSReservedSSO_AdministratorAccess_3f2a1b9c8d7e6f50', 'AWSReservedSSO_ReadOnlyAccess_9e8d7c6b5a4f3e21',
  'app-ec2-role', 'lambda-exec-orders', 'AWSServiceRoleForConfig',
];
export const ROLE = { orgAccess: 0, admin: 1, auditor: 2, deploy: 3, security: 4, ssoAdmin: 5, ssoRead: 6, ec2: 7, lambda: 8, config: 9 } as const;
const FUNCTION_NAMES = ['orders-processor', 'report-builder', 'thumbnailer', 'audit-forwarder'];
const BUCKET_KINDS = ['prod-data', 'backups', 'artifacts', 'app-logs'];

export interface User {
  readonly name: string;
  readonly aida: string;
  readonly akia: string;
  readonly ip: string;
  /** Index into CLI_AGENTS. */
  readonly agent: number;
  readonly region: number;
}

export interface Role {
  readonly name: string;
  readonly aroa: string;
  readonly arn: string;
}

export interface Account {
  readonly id: string;
  readonly users: readonly User[];
  readonly roles: readonly Role[];
  readonly buckets: readonly string[];
  readonly bucketRegion: readonly number[];
  readonly kmsKeys: readonly string[];
  readonly instances: readonly string[];
  readonly functions: readonly string[];
  readonly vpc: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly trail: string;
}

export interface World {
  readonly seed: number;
  readonly orgId: string;
  readonly accounts: readonly Account[];
  readonly regions: readonly string[];
  readonly regionWeights: readonly number[];
  /** Addresses an attacker uses: a few outside the organisation's usual ranges. */
  readonly outsideIps: readonly string[];
}

function ip(rng: Rng): string {
  const first = rng.pick([3, 18, 34, 52, 54, 81, 91, 104, 146, 185, 198, 203]);
  return `${first}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

function account(rng: Rng, regions: number): Account {
  const id = String(100000000000 + rng.int(899999999) * 1000 + rng.int(1000)).padStart(12, '0');
  const users = USER_NAMES.map((name): User => ({
    name,
    aida: `AIDA${rng.base32(17)}`,
    akia: `AKIA${rng.base32(16)}`,
    ip: ip(rng),
    agent: rng.int(4),
    region: rng.weighted(REGION_WEIGHTS.slice(0, regions)),
  }));
  const roles = ROLE_NAMES.map((name): Role => {
    const path = name.startsWith('AWSReservedSSO_') ? 'aws-reserved/sso.amazonaws.com/' : name.startsWith('AWSServiceRole') ? 'aws-service-role/config.amazonaws.com/' : '';
    return { name, aroa: `AROA${rng.base32(17)}`, arn: `arn:aws:iam::${id}:role/${path}${name}` };
  });
  const buckets = BUCKET_KINDS.map((k) => `acme-${k}-${id}`);
  const bucketRegion = buckets.map(() => rng.weighted(REGION_WEIGHTS.slice(0, regions)));
  return {
    id,
    users,
    roles,
    buckets,
    bucketRegion,
    kmsKeys: [rng.uuid(), rng.uuid(), rng.uuid()],
    instances: Array.from({ length: 24 }, () => `i-0${rng.hex(16)}`),
    functions: FUNCTION_NAMES,
    vpc: `vpc-0${rng.hex(16)}`,
    subnets: [`subnet-0${rng.hex(16)}`, `subnet-0${rng.hex(16)}`, `subnet-0${rng.hex(16)}`],
    securityGroups: [`sg-0${rng.hex(16)}`, `sg-0${rng.hex(16)}`],
    trail: rng.chance(0.5) ? 'organization-trail' : 'management-events',
  };
}

export function buildWorld(seed: number, accounts: number, regions: number): World {
  const rng = Rng.of(seed, 0x574f524c, 0);
  const nRegions = Math.max(1, Math.min(ALL_REGIONS.length, regions));
  return {
    seed,
    orgId: `o-${rng.lowerAlnum(10)}`,
    accounts: Array.from({ length: Math.max(1, Math.min(250, accounts)) }, () => account(rng, nRegions)),
    regions: ALL_REGIONS.slice(0, nRegions),
    regionWeights: REGION_WEIGHTS.slice(0, nRegions),
    outsideIps: [ip(rng), ip(rng), ip(rng)],
  };
}

export function acct(w: World, i: number): Account {
  const a = w.accounts[i];
  if (!a) throw new Error(`no account ${i}`);
  return a;
}

export function regionName(w: World, i: number): string {
  return w.regions[i] ?? 'us-east-1';
}

export function user(a: Account, i: number): User {
  const u = a.users[i];
  if (!u) throw new Error(`no user ${i}`);
  return u;
}

export function role(a: Account, i: number): Role {
  const r = a.roles[i];
  if (!r) throw new Error(`no role ${i}`);
  return r;
}

export const CLI_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/',
  'Boto3/1.26.90 Python/3.9.16 Linux/5.10.167-147.601.amzn2.x86_64 Botocore/1.29.90',
  'aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/',
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 aws-sdk-go-v2/1.26.0',
];
/** What workloads on EC2 and Lambda call with. */
export const WORKLOAD_AGENTS = [
  'aws-sdk-java/2.25.15 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache',
  'Boto3/1.34.69 Python/3.12.2 Linux/5.10.213 exec-env/AWS_Lambda_python3.12 Botocore/1.34.69',
  'aws-sdk-nodejs/2.1583.0 linux/v20.11.1 exec-env/AWS_Lambda_nodejs20.x',
  'aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/',
];
export const BROWSER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
];
