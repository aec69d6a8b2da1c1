import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine';
import { JSON_COLUMNS } from '../../../electron/engine/store/schema';
import { envelope, tmpDir, write } from '../../helpers/evidence';

/** One record with every field the contract names, and a sparse one. */
const FULL = {
  eventVersion: '1.10',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:alice-session',
    arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice-session',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLETEMP',
    invokedBy: 'cloudformation.amazonaws.com',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' },
      attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: 'true' },
      sourceIdentity: 'alice@example.com',
    },
  },
  eventTime: '2024-05-01T09:30:15.123Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  awsRegion: 'eu-central-1',
  sourceIPAddress: '198.51.100.23',
  userAgent: 'Boto3/1.34.0',
  errorCode: 'AccessDenied',
  errorMessage: 'User: x is not authorized',
  requestParameters: { roleArn: 'arn:aws:iam::444455556666:role/Target', roleSessionName: 'hop' },
  responseElements: { credentials: { accessKeyId: 'ASIAISSUEDKEY', expiration: 'Jan 22, 2021 12:46:28 AM' } },
  additionalEventData: { MFAUsed: 'Yes' },
  requestID: 'req-1',
  eventID: 'evt-full',
  readOnly: false,
  resources: [{ ARN: 'arn:aws:iam::444455556666:role/Target', accountId: '444455556666', type: 'AWS::IAM::Role' }],
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  sharedEventID: 'shared-1',
  vpcEndpointId: 'vpce-123',
  apiVersion: '2011-06-15',
  eventCategory: 'Management',
  serviceEventDetails: 'as a string',
};
const SPARSE = { eventTime: '2024-05-01 10:00:00', eventID: 'evt-sparse', eventName: 'Sparse', requestParameters: 'HIDDEN_DUE_TO_SECURITY_REASONS', responseElements: null };

const EXPECTED_FULL: Record<string, unknown> = {
  eventID: 'evt-full',
  eventTime: '2024-05-01T09:30:15.123Z',
  eventTimeMs: Date.UTC(2024, 4, 1, 9, 30, 15, 123),
  eventVersion: '1.10',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  eventType: 'AwsApiCall',
  eventCategory: 'Management',
  awsRegion: 'eu-central-1',
  sourceIPAddress: '198.51.100.23',
  userAgent: 'Boto3/1.34.0',
  errorCode: 'AccessDenied',
  errorMessage: 'User: x is not authorized',
  readOnly: 0,
  managementEvent: 1,
  recipientAccountId: '111122223333',
  requestID: 'req-1',
  sharedEventID: 'shared-1',
  vpcEndpointId: 'vpce-123',
  apiVersion: '2011-06-15',
  requestParameters: JSON.stringify(FULL.requestParameters),
  responseElements: JSON.stringify(FULL.responseElements),
  additionalEventData: JSON.stringify(FULL.additionalEventData),
  resources: JSON.stringify(FULL.resources),
  serviceEventDetails: JSON.stringify('as a string'),
  userIdentity_type: 'AssumedRole',
  userIdentity_principalId: 'AROAEXAMPLE:alice-session',
  userIdentity_arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice-session',
  userIdentity_accountId: '111122223333',
  userIdentity_accessKeyId: 'ASIAEXAMPLETEMP',
  userIdentity_userName: null,
  userIdentity_invokedBy: 'cloudformation.amazonaws.com',
  sessionIssuer_type: 'Role',
  sessionIssuer_arn: 'arn:aws:iam::111122223333:role/Admin',
  sessionIssuer_userName: 'Admin',
  session_mfaAuthenticated: 'true',
  session_creationDate: '2024-05-01T09:00:00Z',
  sourceIdentity: 'alice@example.com',
  source_index: 0,
};

let dir: string;
let engine: Engine;
let caseFile: string;
beforeAll(async () => {
  dir = tmpDir();
  write(dir, 'evidence/log.json', envelope([FULL, SPARSE]));
  engine = await Engine.create();
  await engine.importPaths([path.join(dir, 'evidence')]);
  caseFile = path.join(dir, 'case.cairn');
  await engine.saveCase(caseFile);
});
afterAll(() => engine.close());

describe('the events contract', () => {
  it('maps every column of a full record', () => {
    const row = engine.store.get('SELECT * FROM events WHERE eventID = ?', ['evt-full']);
    for (const [col, value] of Object.entries(EXPECTED_FULL)) expect([col, row?.[col]]).toEqual([col, value]);
    expect(String(row?.['source_file'])).toMatch(/evidence[\\/]log\.json$/);
  });

  it('keeps absent fields NULL, string payloads as JSON strings, and JSON null as null', () => {
    const row = engine.store.get('SELECT * FROM events WHERE eventID = ?', ['evt-sparse']);
    expect(row).toMatchObject({ eventTime: '2024-05-01T10:00:00Z', eventName: 'Sparse', userIdentity_type: null, readOnly: null, awsRegion: null, requestParameters: '"HIDDEN_DUE_TO_SECURITY_REASONS"', responseElements: 'null', additionalEventData: null, source_index: 1 });
  });

  it('names are case-insensitive, as in Athena, and JSON functions and REGEXP work', () => {
    expect(engine.runSql("SELECT eventname, json_extract(requestparameters, '$.roleSessionName') AS s FROM events WHERE useridentity_arn REGEXP 'assumed-role/Admin/'", 10).rows).toEqual([['AssumeRole', 'hop']]);
  });

  it('derives the issued temporary key and lists resources in their own table', () => {
    expect(engine.store.get("SELECT issuedAccessKeyId FROM events WHERE eventID = 'evt-full'")?.['issuedAccessKeyId']).toBe('ASIAISSUEDKEY');
    expect(engine.store.all('SELECT t.value AS type, a.value AS arn FROM event_resources r JOIN strings t ON t.id = r.type JOIN strings a ON a.id = r.arn')).toEqual([
      { type: 'AWS::IAM::Role', arn: 'arn:aws:iam::444455556666:role/Target' },
    ]);
  });

  it('uses the indexes for investigator filters through the view', () => {
    const plan = engine.runSql("EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE eventName = 'AssumeRole'", 50).rows.map((r) => String(r[3])).join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX ev_name/);
    const errors = engine.runSql("EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE errorCode = 'AccessDenied'", 50).rows.map((r) => String(r[3])).join('\n');
    expect(errors).toMatch(/USING (COVERING )?INDEX ev_error/);
  });
});

describe('the case file', () => {
  it('reopens without the evidence and answers queries identically', async () => {
    const queries = ['SELECT * FROM events ORDER BY rowId', 'SELECT * FROM sources ORDER BY id', 'SELECT eventName, count(*) FROM events GROUP BY 1'];
    const before = queries.map((q) => engine.runSql(q, 1000).rows);
    fs.renameSync(path.join(dir, 'evidence'), path.join(dir, 'evidence-moved'));
    const reopened = await Engine.open(caseFile);
    try {
      expect(queries.map((q) => reopened.runSql(q, 1000).rows)).toEqual(before);
      expect(reopened.store.rawRecord(1)).toBe(engine.store.rawRecord(1));
    } finally {
      reopened.close();
      fs.renameSync(path.join(dir, 'evidence-moved'), path.join(dir, 'evidence'));
    }
  });

  it('is readable with the sqlite3 shell, events view included', () => {
    const probe = spawnSync('sqlite3', ['-version']);
    if (probe.error) {
      console.warn('sqlite3 shell not installed: skipping the external-reader check');
      return;
    }
    const r = spawnSync('sqlite3', ['-json', caseFile, `SELECT eventID, eventTime, eventName, userIdentity_arn, source_file, source_index, ${JSON_COLUMNS.join(', ')} FROM events ORDER BY rowId`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    const mine = engine.store.all(`SELECT eventID, eventTime, eventName, userIdentity_arn, source_file, source_index, ${JSON_COLUMNS.join(', ')} FROM events ORDER BY rowId`);
    expect(rows).toEqual(mine);
  });

  it('refuses files that are not cases with a clear error', async () => {
    const notCase = write(dir, 'not-a-case.cairn', 'hello');
    await expect(Engine.open(notCase)).rejects.toThrow(/not a Cairn case file/);
  });
});

describe('read-only SQL', () => {
  it.each([
    ['DELETE FROM ev', /read-only: DELETE/],
    ['DROP TABLE ev', /read-only: DROP/],
    ['SELECT 1; DELETE FROM ev', /one statement/],
    ['PRAGMA query_only = 0', /read-only PRAGMA/],
    ['WITH x AS (SELECT 1) DELETE FROM ev', /readonly|read-only/i],
    ['SELECT nope FROM events', /no such column/],
  ])('refuses %s', (sql, message) => {
    expect(() => engine.runSql(sql, 10)).toThrow(message);
    expect(engine.store.scalar('SELECT count(*) FROM ev')).toBe(2);
  });

  it('caps rows and reports truncation', () => {
    const r = engine.runSql('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) SELECT i FROM n', 10);
    expect(r.rows.length).toBe(10);
    expect(r.truncated).toBe(true);
  });
});
