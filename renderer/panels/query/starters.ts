/**
 * Starter queries an investigator runs first on a CloudTrail case. Each one runs read-only over the
 * public `events` view and the `sessions` / `created` tables (README: the store contract), and each
 * is run against a real import in tests/renderer/query/starters.test.ts.
 */
export interface StarterQuery {
  readonly id: string;
  readonly title: string;
  /** One line: why an investigator looks at this. */
  readonly why: string;
  readonly sql: string;
}

export const STARTER_QUERIES: readonly StarterQuery[] = [
  {
    id: 'root-use',
    title: 'Root account use',
    why: 'The root user should almost never act; any call it made deserves a look.',
    sql: `SELECT eventTime, eventName, eventSource, sourceIPAddress, userAgent, recipientAccountId, errorCode
FROM events
WHERE userIdentity_type = 'Root'
  AND userIdentity_invokedBy IS NULL
  AND coalesce(eventType, '') <> 'AwsServiceEvent'
ORDER BY eventTimeMs`,
  },
  {
    id: 'console-no-mfa',
    title: 'Console logins without MFA',
    why: 'A password alone opened the console: phished or reused credentials look like this.',
    sql: `SELECT eventTime, userIdentity_type, userIdentity_arn, sourceIPAddress, userAgent,
  json_extract(responseElements, '$.ConsoleLogin') AS outcome,
  json_extract(additionalEventData, '$.MFAUsed') AS mfaUsed,
  errorMessage
FROM events
WHERE eventName = 'ConsoleLogin'
  AND coalesce(json_extract(additionalEventData, '$.MFAUsed'), 'No') <> 'Yes'
ORDER BY eventTimeMs`,
  },
  {
    id: 'iam-changes',
    title: 'IAM changes (users, keys, policies, roles)',
    why: 'Persistence and privilege escalation go through IAM: new users, keys, attached policies, trust changes.',
    sql: `SELECT eventTime, eventName, userIdentity_arn, sourceIPAddress,
  coalesce(json_extract(requestParameters, '$.userName'), json_extract(requestParameters, '$.roleName'),
    json_extract(requestParameters, '$.groupName'), json_extract(requestParameters, '$.policyArn')) AS target,
  json_extract(requestParameters, '$.policyName') AS policyName,
  errorCode
FROM events
WHERE eventSource = 'iam.amazonaws.com'
  AND eventName REGEXP '^(Create|Delete|Update|Attach|Detach|Put|Add|Remove|Upload|Set|Change|Enable|Deactivate|Tag|Untag)'
ORDER BY eventTimeMs`,
  },
  {
    id: 'access-denied',
    title: 'Access denied, by principal',
    why: 'Someone probing what a stolen credential can do collects denials across many APIs.',
    sql: `SELECT userIdentity_arn AS principal, count(*) AS denied, count(DISTINCT eventName) AS apis,
  group_concat(DISTINCT eventName) AS eventNames, min(eventTime) AS firstSeen, max(eventTime) AS lastSeen
FROM events
WHERE errorCode LIKE '%AccessDenied%' OR errorCode LIKE '%Unauthorized%' OR errorCode = 'Forbidden'
GROUP BY userIdentity_arn
ORDER BY denied DESC`,
  },
  {
    id: 'cloudtrail-changes',
    title: 'CloudTrail changes',
    why: 'Stopping or narrowing the trail is how an intruder blinds the investigation.',
    sql: `SELECT eventTime, eventName, userIdentity_arn, sourceIPAddress, awsRegion,
  coalesce(json_extract(requestParameters, '$.name'), json_extract(requestParameters, '$.trailName')) AS trail,
  errorCode
FROM events
WHERE eventSource = 'cloudtrail.amazonaws.com'
  AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion')
ORDER BY eventTimeMs`,
  },
  {
    id: 'security-groups',
    title: 'Security group changes',
    why: 'Opening a port to the internet (0.0.0.0/0) is a classic way in or out.',
    sql: `SELECT eventTime, eventName, userIdentity_arn, sourceIPAddress, awsRegion,
  json_extract(requestParameters, '$.groupId') AS groupId,
  json_extract(requestParameters, '$.ipPermissions') AS ipPermissions,
  errorCode
FROM events
WHERE eventSource = 'ec2.amazonaws.com'
  AND eventName IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
    'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules')
ORDER BY eventTimeMs`,
  },
  {
    id: 'sessions-behind',
    title: 'Who is behind each assumed-role session',
    why: 'A role session hides the person: follow each temporary key back to the user or key that opened it.',
    sql: `SELECT access_key, role_arn, session_name, issue_call,
  strftime('%Y-%m-%dT%H:%M:%SZ', issued_ms / 1000, 'unixepoch') AS issued,
  root_kind, coalesce(root_actor, 'issuer unknown') AS root_actor, issuer_arn, depth, source_ip, events,
  strftime('%Y-%m-%dT%H:%M:%SZ', first_ms / 1000, 'unixepoch') AS firstSeen, accounts
FROM sessions
ORDER BY coalesce(issued_ms, first_ms)`,
  },
  {
    id: 'sessions-per-actor',
    title: 'Sessions and events per root actor',
    why: 'One person behind many sessions and accounts stands out once sessions are grouped by who opened them.',
    sql: `SELECT coalesce(root_actor, 'issuer unknown') AS root_actor, root_kind, count(*) AS sessions,
  sum(events) AS events, max(depth) AS maxChain, group_concat(DISTINCT account) AS accounts,
  strftime('%Y-%m-%dT%H:%M:%SZ', min(first_ms) / 1000, 'unixepoch') AS firstSeen
FROM sessions
GROUP BY root_actor, root_kind
ORDER BY events DESC`,
  },
  {
    id: 'created-credentials',
    title: 'Credentials and users created',
    why: 'A backdoor key or user created during the incident outlives every revoked session.',
    sql: `SELECT strftime('%Y-%m-%dT%H:%M:%SZ', t / 1000, 'unixepoch') AS at, kind, subject, user_name, creator_arn, creator_key
FROM created
ORDER BY t`,
  },
];
