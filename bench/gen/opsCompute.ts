/** EC2, S3, KMS, Lambda and a few other services: request/response shapes modelled on real records. */
import type { Body, Ctx, OpDef } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Java date format CloudTrail uses inside response elements ("Mar 1, 2024 1:23:45 PM"). */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()] ?? 'Jan'} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

function pickOf<T>(c: Ctx, items: readonly T[]): T {
  return c.rng.pick(items);
}

const instance = (c: Ctx): string => pickOf(c, c.a.instances);
const bucketIdx = (c: Ctx): number => c.rng.int(c.a.buckets.length);
const kmsArn = (c: Ctx): string => `arn:aws:kms:${c.region}:${c.a.id}:key/${pickOf(c, c.a.kmsKeys)}`;
const fnArn = (c: Ctx, i: number): string => `arn:aws:lambda:${c.region}:${c.a.id}:function:${c.a.functions[i] ?? 'fn'}`;

const OBJECT_PREFIXES = ['raw/events', 'exports/reports', 'uploads/images', 'backups/db', 'logs/app', 'models/v3'];
const OBJECT_EXT = ['.json.gz', '.parquet', '.csv', '.jpg', '.tar.zst', '.log'];

function objectKey(c: Ctx): string {
  const d = new Date(c.t);
  const r = c.rng;
  return `${pickOf(c, OBJECT_PREFIXES)}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${r.hex(8)}-${r.int(1000)}${pickOf(c, OBJECT_EXT)}`;
}

function s3Data(c: Ctx, name: string): Body {
  const b = c.a.buckets[bucketIdx(c)] ?? 'bucket';
  const key = objectKey(c);
  const prefixStyle = name === 'ListObjects' || c.rng.chance(0.15);
  const put = name === 'PutObject';
  const bytes = c.rng.range(200, 4_000_000);
  const req: Record<string, unknown> = { bucketName: b, Host: `${b}.s3.${c.region}.amazonaws.com` };
  if (name === 'ListObjects') Object.assign(req, { 'list-type': '2', prefix: key.slice(0, key.indexOf('/') + 1), 'max-keys': 1000 });
  else req['key'] = key;
  if (put) req['x-amz-server-side-encryption'] = 'aws:kms';
  return {
    req,
    resp: put ? { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': kmsArn(c), 'x-amz-version-id': c.rng.alnum(32) } : null,
    add: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: put ? bytes : 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': c.rng.base64(76),
      bytesTransferredOut: put || name === 'DeleteObject' ? 0 : bytes,
    },
    res: [
      prefixStyle ? { type: 'AWS::S3::Object', ARNPrefix: `arn:aws:s3:::${b}/${name === 'ListObjects' ? '' : key.slice(0, key.lastIndexOf('/') + 1)}` } : { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${b}/${key}` },
      c.rng.chance(0.8) ? { accountId: c.a.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b}` } : { type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b}` },
    ],
  };
}

function ec2Filter(c: Ctx): unknown {
  return c.rng.chance(0.5) ? {} : { items: [{ name: 'vpc-id', valueSet: { items: [{ value: c.a.vpc }] } }] };
}

function runInstances(c: Ctx): Body {
  const r = c.rng;
  const id = instance(c);
  const ami = `ami-0${r.hex(16)}`;
  const type = r.pick(['t3.micro', 't3.large', 'm6i.xlarge', 'c7g.2xlarge', 'p4d.24xlarge']);
  const subnet = pickOf(c, c.a.subnets);
  const sg = pickOf(c, c.a.securityGroups);
  const token = r.uuid();
  const privIp = `10.0.${r.int(256)}.${r.int(256)}`;
  return {
    req: {
      instancesSet: { items: [{ imageId: ami, minCount: 1, maxCount: 1 }] }, instanceType: type, blockDeviceMapping: {},
      monitoring: { enabled: false }, disableApiTermination: false, disableApiStop: false, clientToken: token, subnetId: subnet,
      securityGroupIdSet: { items: [{ groupId: sg }] }, iamInstanceProfile: { name: 'app-ec2-role' },
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
    },
    resp: {
      requestId: r.uuid(), reservationId: `r-0${r.hex(16)}`, ownerId: c.a.id, groupSet: {},
      instancesSet: { items: [{
        instanceId: id, imageId: ami, currentInstanceBootMode: 'legacy-bios', instanceState: { code: 0, name: 'pending' },
        privateDnsName: `ip-${privIp.replaceAll('.', '-')}.${c.region}.compute.internal`, amiLaunchIndex: 0, productCodes: {}, instanceType: type,
        launchTime: c.t, placement: { availabilityZone: `${c.region}a`, tenancy: 'default' }, monitoring: { state: 'disabled' },
        subnetId: subnet, vpcId: c.a.vpc, privateIpAddress: privIp, stateReason: { code: 'pending', message: 'pending' },
        architecture: 'x86_64', rootDeviceType: 'ebs', rootDeviceName: '/dev/xvda', blockDeviceMapping: {}, virtualizationType: 'hvm',
        hypervisor: 'xen', clientToken: token, groupSet: { items: [{ groupId: sg, groupName: 'app-sg' }] }, sourceDestCheck: true,
        networkInterfaceSet: { items: [{ networkInterfaceId: `eni-0${r.hex(16)}`, subnetId: subnet, vpcId: c.a.vpc, ownerId: c.a.id, status: 'in-use', macAddress: `0a:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}`, privateIpAddress: privIp, sourceDestCheck: true, interfaceType: 'interface' }] },
        ebsOptimized: false, enaSupport: true, cpuOptions: { coreCount: 1, threadsPerCore: 2 }, capacityReservationSpecification: { capacityReservationPreference: 'open' },
        enclaveOptions: { enabled: false }, metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv4: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
        maintenanceOptions: { autoRecovery: 'default' }, privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
      }] },
    },
  };
}

const instanceState = (from: string, to: string) => (c: Ctx): Body => {
  const id = instance(c);
  return {
    req: { instancesSet: { items: [{ instanceId: id }] }, force: false },
    resp: { requestId: c.rng.uuid(), instancesSet: { items: [{ instanceId: id, currentState: { code: 64, name: to }, previousState: { code: 16, name: from } }] } },
  };
};

export const COMPUTE_OPS: readonly OpDef[] = [
  { name: 'DescribeInstances', source: 'ec2', readOnly: true, cli: 'ec2.describe-instances', body: (c) => ({ req: { instancesSet: c.rng.chance(0.3) ? { items: [{ instanceId: instance(c) }] } : {}, filterSet: ec2Filter(c) }, resp: null }) },
  { name: 'DescribeSecurityGroups', source: 'ec2', readOnly: true, cli: 'ec2.describe-security-groups', body: (c) => ({ req: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: ec2Filter(c) }, resp: null }) },
  { name: 'DescribeVpcs', source: 'ec2', readOnly: true, cli: 'ec2.describe-vpcs', body: () => ({ req: { vpcSet: {}, filterSet: {} }, resp: null }) },
  { name: 'DescribeSubnets', source: 'ec2', readOnly: true, cli: 'ec2.describe-subnets', body: (c) => ({ req: { subnetSet: {}, filterSet: ec2Filter(c) }, resp: null }) },
  { name: 'DescribeVolumes', source: 'ec2', readOnly: true, cli: 'ec2.describe-volumes', body: () => ({ req: { volumeSet: {}, filterSet: {}, maxResults: 500 }, resp: null }) },
  { name: 'DescribeRegions', source: 'ec2', readOnly: true, cli: 'ec2.describe-regions', body: () => ({ req: { regionSet: {}, allRegions: false }, resp: null }) },
  { name: 'DescribeImages', source: 'ec2', readOnly: true, cli: 'ec2.describe-images', body: () => ({ req: { executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} }, resp: null }) },
  { name: 'RunInstances', source: 'ec2', readOnly: false, cli: 'ec2.run-instances', body: runInstances },
  { name: 'StopInstances', source: 'ec2', readOnly: false, cli: 'ec2.stop-instances', body: instanceState('running', 'stopping') },
  { name: 'StartInstances', source: 'ec2', readOnly: false, cli: 'ec2.start-instances', body: instanceState('stopped', 'pending') },
  { name: 'CreateTags', source: 'ec2', readOnly: false, cli: 'ec2.create-tags', body: (c) => ({ req: { resourcesSet: { items: [{ resourceId: instance(c) }] }, tagSet: { items: [{ key: 'Owner', value: c.actor.session }, { key: 'CostCenter', value: String(c.rng.range(1000, 9999)) }] } }, resp: { requestId: c.rng.uuid(), _return: true } }) },
  { name: 'AuthorizeSecurityGroupIngress', source: 'ec2', readOnly: false, cli: 'ec2.authorize-security-group-ingress', body: (c) => ({
    req: { groupId: pickOf(c, c.a.securityGroups), ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: c.rng.chance(0.3) ? '0.0.0.0/0' : `${c.actor.ip}/32` }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    resp: { requestId: c.rng.uuid(), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: c.a.id, groupId: pickOf(c, c.a.securityGroups), securityGroupRuleId: `sgr-0${c.rng.hex(16)}`, isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } },
  }) },
  { name: 'GetObject', source: 's3', readOnly: true, data: true, body: (c) => s3Data(c, 'GetObject') },
  { name: 'PutObject', source: 's3', readOnly: false, data: true, body: (c) => s3Data(c, 'PutObject') },
  { name: 'HeadObject', source: 's3', readOnly: true, data: true, body: (c) => s3Data(c, 'HeadObject') },
  { name: 'DeleteObject', source: 's3', readOnly: false, data: true, body: (c) => s3Data(c, 'DeleteObject') },
  { name: 'ListObjects', source: 's3', readOnly: true, data: true, body: (c) => s3Data(c, 'ListObjects') },
  { name: 'ListBuckets', source: 's3', readOnly: true, cli: 's3.ls', body: (c) => ({ req: { Host: `s3.${c.region}.amazonaws.com` }, resp: null, add: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': c.rng.base64(76), bytesTransferredOut: c.rng.range(900, 3000) } }) },
  { name: 'GetBucketAcl', source: 's3', readOnly: true, body: (c) => { const b = pickOf(c, c.a.buckets); return { req: { bucketName: b, Host: `${b}.s3.amazonaws.com`, acl: '' }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b}` }] }; } },
  { name: 'GetBucketPolicy', source: 's3', readOnly: true, body: (c) => { const b = pickOf(c, c.a.buckets); return { req: { bucketName: b, Host: `${b}.s3.amazonaws.com`, policy: '' }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b}` }] }; } },
  { name: 'PutBucketPolicy', source: 's3', readOnly: false, cli: 's3api.put-bucket-policy', body: (c) => { const b = pickOf(c, c.a.buckets); return { req: { bucketName: b, Host: `${b}.s3.amazonaws.com`, bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'AllowRead', Effect: 'Allow', Principal: c.rng.chance(0.2) ? '*' : { AWS: `arn:aws:iam::${c.a.id}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }] }, policy: '' }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${b}` }] }; } },
  { name: 'Decrypt', source: 'kms', readOnly: true, body: (c) => ({ req: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: c.actor.fn >= 0 ? { 'aws:lambda:FunctionArn': fnArn(c, c.actor.fn) } : { 'aws:s3:arn': `arn:aws:s3:::${pickOf(c, c.a.buckets)}/${objectKey(c)}` } }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::KMS::Key', ARN: kmsArn(c) }] }) },
  { name: 'GenerateDataKey', source: 'kms', readOnly: true, body: (c) => ({ req: { keyId: kmsArn(c), keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${pickOf(c, c.a.buckets)}` } }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::KMS::Key', ARN: kmsArn(c) }] }) },
  { name: 'Encrypt', source: 'kms', readOnly: true, cli: 'kms.encrypt', body: (c) => ({ req: { keyId: 'alias/app-secrets', encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::KMS::Key', ARN: kmsArn(c) }] }) },
  { name: 'ListKeys', source: 'kms', readOnly: true, cli: 'kms.list-keys', body: () => ({ req: null, resp: null }) },
  { name: 'DescribeKey', source: 'kms', readOnly: true, cli: 'kms.describe-key', body: (c) => ({ req: { keyId: pickOf(c, c.a.kmsKeys) }, resp: null, res: [{ accountId: c.a.id, type: 'AWS::KMS::Key', ARN: kmsArn(c) }] }) },
  { name: 'ScheduleKeyDeletion', source: 'kms', readOnly: false, cli: 'kms.schedule-key-deletion', body: (c) => { const k = kmsArn(c); return { req: { keyId: k, pendingWindowInDays: 7 }, resp: { keyId: k, deletionDate: javaDate(c.t + 7 * 86_400_000), keyState: 'PendingDeletion', pendingWindowInDays: 7 }, res: [{ accountId: c.a.id, type: 'AWS::KMS::Key', ARN: k }] }; } },
  { name: 'RotateKey', source: 'kms', readOnly: false, eventType: 'AwsServiceEvent', noErrors: true, body: (c) => ({ req: null, resp: null, add: { keyMaterialId: c.rng.hex(64) }, res: [{ accountId: c.a.id, type: 'AWS::KMS::Key', ARN: kmsArn(c) }] }) },
  { name: 'ListFunctions20150331', source: 'lambda', readOnly: true, cli: 'lambda.list-functions', body: () => ({ req: null, resp: null }) },
  { name: 'GetFunction20150331v2', source: 'lambda', readOnly: true, cli: 'lambda.get-function', body: (c) => ({ req: { functionName: c.a.functions[c.rng.int(c.a.functions.length)] }, resp: null }) },
  { name: 'UpdateFunctionCode20150331v2', source: 'lambda', readOnly: false, cli: 'lambda.update-function-code', body: (c) => {
    const i = c.rng.int(c.a.functions.length);
    const name = c.a.functions[i] ?? 'fn';
    return {
      req: { functionName: name, publish: false, dryRun: false },
      resp: { functionName: name, functionArn: fnArn(c, i), runtime: 'python3.12', role: `arn:aws:iam::${c.a.id}:role/lambda-exec-orders`, handler: 'app.handler', codeSize: c.rng.range(2000, 9_000_000), description: '', timeout: 30, memorySize: 512, lastModified: new Date(c.t).toISOString().replace('Z', '+0000'), codeSha256: c.rng.base64(43) + '=', version: '$LATEST', tracingConfig: { mode: 'PassThrough' }, revisionId: c.rng.uuid(), state: 'Active', lastUpdateStatus: 'InProgress', lastUpdateStatusReason: 'The function is being created.', lastUpdateStatusReasonCode: 'Creating', packageType: 'Zip', architectures: ['x86_64'], ephemeralStorage: { size: 512 }, snapStart: { applyOn: 'None', optimizationStatus: 'Off' }, loggingConfig: { logFormat: 'Text', logGroup: `/aws/lambda/${name}` } },
    };
  } },
  { name: 'Invoke', source: 'lambda', readOnly: false, data: true, body: (c) => { const i = c.rng.int(c.a.functions.length); return { req: { functionName: fnArn(c, i), invocationType: c.rng.pick(['RequestResponse', 'Event']) }, resp: null, add: { functionVersion: `${fnArn(c, i)}:$LATEST` }, res: [{ accountId: c.a.id, type: 'AWS::Lambda::Function', ARN: fnArn(c, i) }] }; } },
  { name: 'GetParameter', source: 'ssm', readOnly: true, cli: 'ssm.get-parameter', body: (c) => ({ req: { name: c.rng.pick(['/app/prod/db-password', '/app/prod/api-key', '/app/shared/feature-flags', '/cwagent/config']), withDecryption: true }, resp: null }) },
  { name: 'GetSecretValue', source: 'secretsmanager', readOnly: true, cli: 'secretsmanager.get-secret-value', body: (c) => ({ req: { secretId: `arn:aws:secretsmanager:${c.region}:${c.a.id}:secret:prod/orders/db-${c.rng.alnum(6)}` }, resp: null }) },
  { name: 'DescribeLogGroups', source: 'logs', readOnly: true, cli: 'logs.describe-log-groups', body: (c) => ({ req: c.rng.chance(0.5) ? { logGroupNamePrefix: '/aws/lambda/' } : null, resp: null }) },
  { name: 'DescribeAlarms', source: 'monitoring', readOnly: true, cli: 'cloudwatch.describe-alarms', body: () => ({ req: { maxRecords: 100 }, resp: null }) },
];
