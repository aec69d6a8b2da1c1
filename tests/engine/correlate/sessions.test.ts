import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine';
import { envelope, record, tmpDir, write } from '../../helpers/evidence';

const A = '111111111111';
const B = '222222222222';
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const at = (min: number): string => new Date(T0 + min * 60_000).toISOString().replace('.000', '');

const user = (name: string, key: string, acct = A): Record<string, unknown> => ({ type: 'IAMUser', principalId: `AIDA${name}`, arn: `arn:aws:iam::${acct}:user/${name}`, accountId: acct, accessKeyId: key, userName: name });
const role = (acct: string, roleName: string, session: string, key: string): Record<string, unknown> => ({
  type: 'AssumedRole',
  principalId: `AROA${roleName}:${session}`,
  arn: `arn:aws:sts::${acct}:assumed-role/${roleName}/${session}`,
  accountId: acct,
  accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${acct}:role/${roleName}`, accountId: acct, userName: roleName }, attributes: { creationDate: at(0), mfaAuthenticated: 'false' } },
});
const assume = (min: number, who: Record<string, unknown>, target: string, roleName: string, session: string, issued: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  record({
    eventTime: at(min),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: who,
    sourceIPAddress: '203.0.113.9',
    recipientAccountId: A,
    requestParameters: { roleArn: `arn:aws:iam::${target}:role/${roleName}`, roleSessionName: session },
    responseElements: { credentials: { accessKeyId: issued, expiration: 'Jun 1, 2025 11:00:00 AM' }, assumedRoleUser: { arn: `arn:aws:sts::${target}:assumed-role/${roleName}/${session}` } },
    ...extra,
  });

/** The same identity with its credentials' issue time (`sessionContext.attributes.creationDate`). */
const issuedAt = (who: Record<string, unknown>, min: number): Record<string, unknown> => {
  const sc = who['sessionContext'] as Record<string, unknown>;
  return { ...who, sessionContext: { ...sc, attributes: { creationDate: at(min), mfaAuthenticated: 'false' } } };
};

let engine: Engine;
let caseFile: string;
beforeAll(async () => {
  const dir = tmpDir();
  const shared = 'shared-chain-0001';
  const hop = role(A, 'Hop', 'alice-1', 'ASIAHOP1');
  const recs = [
    assume(0, user('alice', 'AKIAALICE'), A, 'Hop', 'alice-1', 'ASIAHOP1'),
    record({ eventTime: at(1), eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', userIdentity: hop, recipientAccountId: A }),
    // Role chaining into account B, logged in both accounts as one action.
    assume(2, hop, B, 'Target', 'hop-2', 'ASIAT2', { sharedEventID: shared }),
    assume(2, { type: 'AWSAccount', principalId: 'AROAHop:alice-1', accountId: A }, B, 'Target', 'hop-2', 'ASIAT2', { sharedEventID: shared, recipientAccountId: B }),
    record({ eventTime: at(3), eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com', userIdentity: role(B, 'Target', 'hop-2', 'ASIAT2'), recipientAccountId: B, sourceIPAddress: '198.51.100.77' }),
    // A console sign-in, then the console session's calls (CloudTrail never prints its key's issuance).
    record({ recipientAccountId: A, eventTime: at(10), eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn', userIdentity: user('bob', ''), responseElements: { ConsoleLogin: 'Success' }, sourceIPAddress: '192.0.2.5' }),
    record({ recipientAccountId: A, eventTime: at(12), eventName: 'DescribeInstances', userIdentity: { ...user('bob', 'ASIABOBCONSOLE'), sessionContext: { attributes: { creationDate: at(10), mfaAuthenticated: 'true' } } }, sourceIPAddress: '192.0.2.5' }),
    // A session whose issuing call is not in the evidence.
    record({ recipientAccountId: A, eventTime: at(20), eventName: 'GetSecretValue', userIdentity: role(A, 'Ghost', 'x', 'ASIAORPHAN') }),
    // A backdoor: alice creates a key for mallory, who then assumes a role in account B.
    record({ recipientAccountId: A, eventTime: at(30), eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', userIdentity: user('alice', 'AKIAALICE'), requestParameters: { userName: 'mallory' }, responseElements: { accessKey: { accessKeyId: 'AKIABACKDOOR', userName: 'mallory', status: 'Active' } } }),
    assume(31, user('mallory', 'AKIABACKDOOR'), B, 'Admin', 'm', 'ASIAMAL'),
    record({ eventTime: at(32), eventName: 'PutBucketPolicy', userIdentity: role(B, 'Admin', 'm', 'ASIAMAL'), recipientAccountId: B }),
    // Identity Center: a console sign-in through its reserved role, then that session's calls; and a
    // CLI session of the same user whose issuance (GetRoleCredentials, in another account) is not here.
    record({ recipientAccountId: B, eventTime: at(40), eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', eventType: 'AwsConsoleSignIn', userIdentity: { ...role(B, 'AWSReservedSSO_Admin_0a1b2c', 'carol@example.com', ''), accessKeyId: undefined }, responseElements: { ConsoleLogin: 'Success' }, sourceIPAddress: '198.51.100.8' }),
    record({ recipientAccountId: B, eventTime: at(41), eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', userIdentity: issuedAt(role(B, 'AWSReservedSSO_Admin_0a1b2c', 'carol@example.com', 'ASIASSOCONSOLE'), 40), sourceIPAddress: '198.51.100.8' }),
    record({ recipientAccountId: B, eventTime: at(50), eventName: 'GetObject', eventSource: 's3.amazonaws.com', userIdentity: issuedAt(role(B, 'AWSReservedSSO_Admin_0a1b2c', 'carol@example.com', 'ASIASSOCLI'), 49), sourceIPAddress: '198.51.100.9' }),
  ];
  write(dir, 'ev/trail.json', envelope(recs));
  engine = await Engine.create();
  await engine.importPaths([path.join(dir, 'ev')]);
  caseFile = path.join(dir, 'c.cairn');
  await engine.saveCase(caseFile);
});
afterAll(() => engine.close());

describe('session stitching', () => {
  it('follows a chained role session back to the IAM user whose long-term key started it', () => {
    const c = engine.correlate({ accessKey: 'ASIAT2' });
    expect(c.roots).toEqual([{ kind: 'IAMUser', actor: `arn:aws:iam::${A}:user/alice` }]);
    expect(c.sessions.map((s) => [s.accessKey, s.depth, s.issueCall])).toEqual([
      ['ASIAHOP1', 0, 'AssumeRole'],
      ['ASIAT2', 1, 'AssumeRole'],
    ]);
    const t2 = c.sessions[1];
    expect(t2?.issuerArn).toBe(`arn:aws:sts::${A}:assumed-role/Hop/alice-1`); // not the AWSAccount copy
    expect(t2?.roleArn).toBe(`arn:aws:iam::${B}:role/Target`);
    expect(t2?.accounts).toEqual([B]);
    expect(c.accounts).toEqual([A, B]);
    expect(c.accessKeys).toEqual(['AKIAALICE', 'ASIAHOP1', 'ASIAT2']);
    expect(c.eventNames.map((e) => e.name).sort()).toEqual(['AssumeRole', 'CreateAccessKey', 'DeleteBucket', 'ListBuckets']);
    expect(c.ips).toContain('198.51.100.77');
    // The chain's first use of each IP, oldest first: the new IP appears with the cross-account hop.
    expect(c.firsts.ip.map((f) => [f.value, f.first])).toEqual([
      ['203.0.113.9', '2025-06-01T10:00:00.000Z'],
      ['203.0.113.7', '2025-06-01T10:01:00.000Z'],
      ['198.51.100.77', '2025-06-01T10:03:00.000Z'],
    ]);
    expect(c.firsts.eventName[0]).toMatchObject({ value: 'AssumeRole', first: '2025-06-01T10:00:00.000Z' });
  });

  it('links a console session to its sign-in', () => {
    const c = engine.correlate({ accessKey: 'ASIABOBCONSOLE' });
    expect(c.sessions[0]).toMatchObject({ issueCall: 'ConsoleLogin', rootKind: 'IAMUser', rootActor: `arn:aws:iam::${A}:user/bob`, sourceIp: '192.0.2.5' });
  });

  it('attributes sessions of Identity Center roles to the Identity Center user, with or without the sign-in', () => {
    const console = engine.correlate({ accessKey: 'ASIASSOCONSOLE' });
    expect(console.sessions[0]).toMatchObject({ issueCall: 'ConsoleLogin', rootKind: 'IdentityCenterUser', rootActor: 'identity-center:carol@example.com', sourceIp: '198.51.100.8' });
    const cli = engine.correlate({ accessKey: 'ASIASSOCLI' });
    expect(cli.sessions[0]).toMatchObject({ issueCall: null, rootKind: 'IdentityCenterUser', rootActor: 'identity-center:carol@example.com' });
    expect(cli.roots).toEqual([{ kind: 'IdentityCenterUser', actor: 'identity-center:carol@example.com' }]);
  });

  it('says "issuer unknown" when the issuing call is missing, and invents nothing', () => {
    const c = engine.correlate({ accessKey: 'ASIAORPHAN' });
    expect(c.roots).toEqual([{ kind: 'unknown', actor: null }]);
    expect(c.sessions[0]).toMatchObject({ issueCall: null, issuerArn: null, parentId: null, events: 1 });
  });

  it('runs from a leaked key through a backdoor user to that user\'s sessions in another account', () => {
    const c = engine.correlate({ accessKey: 'AKIAALICE' });
    expect(c.created).toEqual([expect.objectContaining({ kind: 'access-key', subject: 'AKIABACKDOOR', creatorArn: `arn:aws:iam::${A}:user/alice` })]);
    const m = engine.correlate({ accessKey: 'AKIABACKDOOR' });
    expect(m.roots).toEqual([{ kind: 'IAMUser', actor: `arn:aws:iam::${A}:user/mallory` }]);
    expect(m.sessions.map((s) => s.accessKey)).toEqual(['ASIAMAL']);
    expect(m.created.map((x) => x.subject)).toContain('AKIABACKDOOR');
    expect(m.eventNames.map((e) => e.name)).toContain('PutBucketPolicy');
  });

  it('keeps two copies of one action (sharedEventID) as two records and one session', () => {
    expect(engine.store.scalar("SELECT count(*) FROM events WHERE sharedEventID = 'shared-chain-0001'")).toBe(2);
    expect(engine.store.scalar("SELECT count(*) FROM sessions WHERE access_key = 'ASIAT2'")).toBe(1);
  });

  it('stores sessions in the saved case, queryable in SQL, and answers from the command line', () => {
    const r = spawnSync('sqlite3', ['-json', caseFile, "SELECT access_key, root_kind, depth FROM sessions ORDER BY access_key"], { encoding: 'utf8' });
    if (!r.error) expect(JSON.parse(r.stdout)).toContainEqual({ access_key: 'ASIAT2', root_kind: 'IAMUser', depth: 1 });
    const bin = path.resolve(__dirname, '..', '..', '..', 'bin', 'cairn.js');
    const text = spawnSync(process.execPath, [bin, 'correlate', caseFile, '--access-key', 'ASIAORPHAN'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/issuer unknown/);
    const json = spawnSync(process.execPath, [bin, 'correlate', caseFile, '--principal', `arn:aws:iam::${A}:user/alice`, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(json.stdout)).toMatchObject({ roots: [{ kind: 'IAMUser' }], accounts: [A, B] });
    expect(spawnSync(process.execPath, [bin, 'correlate', caseFile], { encoding: 'utf8' }).status).toBe(2);
  });
});

const INVICTUS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'invictus-aws');
describe.skipIf(!fs.existsSync(INVICTUS))('the Invictus recording', () => {
  it('resolves its assumed-role sessions to their issuers where the issuing call is present', async () => {
    const e = await Engine.create();
    try {
      await e.importPaths([INVICTUS]);
      e.ensureCorrelation();
      // Every key that an STS call in the evidence issued and that was then used has that call as issuer.
      const issuedAndUsed = e.store.all(
        "SELECT DISTINCT k.value AS key FROM ev i JOIN strings k ON k.id = i.issued_key WHERE i.error_code IS NULL AND EXISTS (SELECT 1 FROM ev u WHERE u.ui_key = i.issued_key)",
      );
      expect(issuedAndUsed.length).toBeGreaterThan(0);
      for (const r of issuedAndUsed) {
        const s = e.store.get('SELECT issue_event, root_kind FROM sessions WHERE access_key = ?', [String(r['key'])]);
        expect(s?.['issue_event']).not.toBeNull();
        expect(s?.['root_kind']).not.toBe('unknown');
      }
    } finally {
      e.close();
    }
  });
});
