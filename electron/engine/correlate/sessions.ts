/**
 * Session stitching: which person or key is behind each temporary credential.
 *
 * Every temporary key (ASIA…) seen in the evidence becomes a row of `sessions`. Its issuing call is
 * the STS event whose `responseElements.credentials.accessKeyId` is that key (AssumeRole*, GetSessionToken,
 * GetFederationToken); when the caller itself used a temporary key, the session's parent is that key's
 * session (role chaining, to any depth, across accounts). The root actor is found by walking parents
 * to a long-term identity: an IAM user's key, a root login, a SAML or web identity, an AWS service.
 * Console sessions (whose keys CloudTrail never prints) are linked to the ConsoleLogin of the same
 * principal shortly before the session's first use. Sessions of Identity Center's own roles
 * (`AWSReservedSSO_*`) belong to the Identity Center user named by their role session name. A key whose issuing call is not in the evidence
 * stays "issuer unknown": nothing is invented.
 *
 * Long-term keys, users and login profiles created inside the evidence window go to `created`, so a
 * chain can run from a leaked key through a backdoor user to that user's own sessions.
 */
import { parseTimeMs } from '../import/time';
import type { Store } from '../store/store';

export const CORRELATION_DDL = `
DROP TABLE IF EXISTS {s}.sessions;
DROP TABLE IF EXISTS {s}.created;
CREATE TABLE {s}.sessions (
  id INTEGER PRIMARY KEY, access_key TEXT NOT NULL UNIQUE,
  issue_event INTEGER, issue_call TEXT, issued_ms INTEGER,
  issuer_arn TEXT, issuer_type TEXT, issuer_key TEXT, parent_id INTEGER, depth INTEGER NOT NULL,
  root_actor TEXT, root_kind TEXT NOT NULL,
  role_arn TEXT, session_name TEXT, source_identity TEXT, source_ip TEXT, user_agent TEXT,
  principal_arn TEXT, account TEXT,
  events INTEGER NOT NULL, first_ms INTEGER, last_ms INTEGER, accounts TEXT NOT NULL, regions TEXT NOT NULL);
CREATE TABLE {s}.created (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, user_name TEXT, ev INTEGER NOT NULL,
  creator_arn TEXT, creator_key TEXT, t INTEGER NOT NULL);
`;

/** Calls whose response issues temporary credentials. */
export const ISSUING_CALLS = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken', 'AssumeRoot'] as const;

/** A console session is linked to a ConsoleLogin of the same principal at most this long before. */
const CONSOLE_WINDOW_MS = 12 * 3600 * 1000;
/** How far a console session's recorded issue time may lie from its sign-in (clock and rounding). */
const CONSOLE_ISSUE_SLACK_MS = 5 * 60 * 1000;
const MAX_DEPTH = 64;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

interface Issue {
  ev: number;
  t: number;
  call: string;
  callerArn: string | null;
  callerType: string | null;
  callerKey: string | null;
  callerUser: string | null;
  callerInvokedBy: string | null;
  ip: string | null;
  ua: string | null;
  roleArn: string | null;
  sessionName: string | null;
  sourceIdentity: string | null;
  assumedArn: string | null;
  account: string | null;
}

interface Use {
  events: number;
  first: number;
  last: number;
  /** When the credentials were issued (`sessionContext.attributes.creationDate`), where recorded. */
  created: number | null;
  arn: string | null;
  type: string | null;
  accounts: string[];
  regions: string[];
}

interface Session {
  key: string;
  issue: Issue | null;
  use: Use | null;
  parent: Session | null;
  depth: number;
  rootActor: string | null;
  rootKind: string;
}

function rowString(r: Record<string, unknown>, k: string): string | null {
  return typeof r[k] === 'string' ? (r[k] as string) : null;
}

/** The STS (and console) calls that issued keys, best copy first when an action was logged twice. */
function issuingCalls(store: Store): Map<string, Issue> {
  const rows = store.all(
    `SELECT e.id, e.t, e.blk, e.off, e.len, k.value AS key, n.value AS name, a.value AS arn, ty.value AS type, ck.value AS callerKey,
            u.value AS user, inv.value AS invokedBy, ip.value AS ip, ua.value AS ua, acc.value AS account
     FROM ev e JOIN strings k ON k.id = e.issued_key
     LEFT JOIN strings n ON n.id = e.name LEFT JOIN strings a ON a.id = e.ui_arn LEFT JOIN strings ty ON ty.id = e.ui_type
     LEFT JOIN strings ck ON ck.id = e.ui_key LEFT JOIN strings u ON u.id = e.ui_user LEFT JOIN strings inv ON inv.id = e.ui_invoked_by
     LEFT JOIN strings ip ON ip.id = e.ip LEFT JOIN strings ua ON ua.id = e.ua LEFT JOIN strings acc ON acc.id = e.account
     WHERE e.error_code IS NULL ORDER BY e.t, e.id`,
  );
  const out = new Map<string, Issue>();
  for (const r of rows) {
    const key = rowString(r, 'key');
    if (!key) continue;
    const prev = out.get(key);
    // The role owner's copy of a cross-account call shows the caller as AWSAccount: prefer the other.
    if (prev && !(prev.callerType === 'AWSAccount' && r['type'] !== 'AWSAccount')) continue;
    let req: Obj | undefined;
    let resp: Obj | undefined;
    const text = store.raw.text(Number(r['blk']), Number(r['off']), Number(r['len']));
    try {
      const rec = obj(text === null ? null : JSON.parse(text));
      req = obj(rec?.['requestParameters']);
      resp = obj(rec?.['responseElements']);
    } catch {
      req = undefined; // imported records always parse; a damaged block just loses the details
    }
    const assumed = obj(resp?.['assumedRoleUser']) ?? obj(resp?.['federatedUser']);
    out.set(key, {
      ev: Number(r['id']),
      t: Number(r['t']),
      call: rowString(r, 'name') ?? 'unknown',
      callerArn: rowString(r, 'arn'),
      callerType: rowString(r, 'type'),
      callerKey: rowString(r, 'callerKey'),
      callerUser: rowString(r, 'user'),
      callerInvokedBy: rowString(r, 'invokedBy'),
      ip: rowString(r, 'ip'),
      ua: rowString(r, 'ua'),
      roleArn: str(req?.['roleArn']),
      sessionName: str(req?.['roleSessionName']) ?? str(req?.['name']),
      sourceIdentity: str(req?.['sourceIdentity']) ?? str(resp?.['sourceIdentity']),
      assumedArn: str(assumed?.['arn']),
      account: rowString(r, 'account'),
    });
  }
  return out;
}

/** How each temporary key was used: events, time span, principal, accounts, regions. */
function keyUses(store: Store): Map<string, Use> {
  const rows = store.all(
    `SELECT g.key, g.n, g.first, g.last, a.value AS arn, ty.value AS type, cd.value AS created, g.accounts, g.regions FROM (
       SELECT k.value AS key, count(*) AS n, min(e.t) AS first, max(e.t) AS last, max(e.ui_arn) AS arnId, max(e.ui_type) AS typeId, min(e.created) AS createdId,
              json_group_array(DISTINCT acc.value) AS accounts, json_group_array(DISTINCT reg.value) AS regions
       FROM ev e JOIN strings k ON k.id = e.ui_key LEFT JOIN strings acc ON acc.id = e.account LEFT JOIN strings reg ON reg.id = e.region
       WHERE k.value LIKE 'ASIA%' GROUP BY e.ui_key) g
     LEFT JOIN strings a ON a.id = g.arnId LEFT JOIN strings ty ON ty.id = g.typeId LEFT JOIN strings cd ON cd.id = g.createdId`,
  );
  const out = new Map<string, Use>();
  for (const r of rows) {
    const key = rowString(r, 'key');
    if (!key) continue;
    const list = (v: unknown): string[] => (JSON.parse(String(v ?? '[]')) as (string | null)[]).filter((x): x is string => x !== null).sort();
    const created = parseTimeMs(rowString(r, 'created'));
    out.set(key, { events: Number(r['n']), first: Number(r['first']), last: Number(r['last']), created: Number.isNaN(created) ? null : created, arn: rowString(r, 'arn'), type: rowString(r, 'type'), accounts: list(r['accounts']), regions: list(r['regions']) });
  }
  return out;
}

/**
 * IAM Identity Center signs its users into member accounts through roles it owns, named
 * `AWSReservedSSO_<permission set>_<id>`, with the user's name as the role session name. A session of
 * such a role belongs to that Identity Center user, whether or not the sign-in is in the evidence.
 */
const IDENTITY_CENTER_SESSION = /:assumed-role\/AWSReservedSSO_[^/]+\/([^/]+)$/;

function identityCenterUser(s: Session): string | null {
  const arn = s.use?.arn ?? s.issue?.assumedArn ?? null;
  const m = arn === null ? null : IDENTITY_CENTER_SESSION.exec(arn);
  return m?.[1] ?? null;
}

function rootOf(s: Session, sessions: ReadonlyMap<string, Session>, seen: Set<string> = new Set()): void {
  if (s.depth >= 0) return;
  const issue = s.issue;
  const icUser = identityCenterUser(s);
  if (icUser !== null && !issue?.callerKey?.startsWith('ASIA')) {
    // Signed in through Identity Center (its console sign-in, its SAML federation, or not in the evidence).
    s.depth = 0;
    s.rootKind = 'IdentityCenterUser';
    s.rootActor = `identity-center:${icUser}`;
    return;
  }
  if (!issue) {
    s.depth = 0;
    s.rootKind = 'unknown';
    return;
  }
  const parent = issue.callerKey?.startsWith('ASIA') ? sessions.get(issue.callerKey) : undefined;
  if (parent && !seen.has(parent.key) && seen.size < MAX_DEPTH) {
    seen.add(s.key);
    rootOf(parent, sessions, seen);
    s.parent = parent;
    s.depth = parent.depth + 1;
    s.rootActor = parent.rootActor;
    s.rootKind = parent.rootKind;
    return;
  }
  s.depth = 0;
  switch (issue.callerType) {
    case 'SAMLUser':
    case 'WebIdentityUser':
      s.rootKind = issue.callerType;
      s.rootActor = `${issue.callerType === 'SAMLUser' ? 'saml' : 'web-identity'}:${issue.callerUser ?? issue.callerArn ?? '?'}`;
      return;
    case 'AWSService':
      s.rootKind = 'AWSService';
      s.rootActor = issue.callerInvokedBy ?? issue.callerArn;
      return;
    default:
      s.rootKind = issue.callerType ?? 'unknown';
      s.rootActor = issue.callerArn ?? issue.callerKey;
  }
}

/** Console sessions: a key with no issuing call, used by an IAM user or root, after their ConsoleLogin. */
function linkConsoleSessions(store: Store, sessions: Map<string, Session>): void {
  const logins = store.all(
    `SELECT e.id, e.t, a.value AS arn, ty.value AS type, ip.value AS ip, ua.value AS ua FROM ev e
     JOIN strings n ON n.id = e.name AND n.value = 'ConsoleLogin' LEFT JOIN strings a ON a.id = e.ui_arn
     LEFT JOIN strings ty ON ty.id = e.ui_type LEFT JOIN strings ip ON ip.id = e.ip LEFT JOIN strings ua ON ua.id = e.ua
     WHERE e.error_code IS NULL AND cairn_json(e.blk, e.off, e.len, e.fmt, 'responseElements') NOT LIKE '%Failure%' ORDER BY e.t`,
  );
  const byArn = new Map<string, Record<string, unknown>[]>();
  for (const l of logins) {
    const arn = rowString(l, 'arn');
    if (arn) byArn.set(arn, [...(byArn.get(arn) ?? []), l]);
  }
  for (const s of sessions.values()) {
    if (s.issue || !s.use?.arn) continue;
    const use = s.use;
    // A console session's credentials are issued at its sign-in: when the events record the issue
    // time, it must match the login (another session of the same principal, e.g. a CLI one, does not).
    const candidates = (byArn.get(use.arn ?? '') ?? []).filter((l) => {
      const t = Number(l['t']);
      if (t > use.first || use.first - t > CONSOLE_WINDOW_MS) return false;
      return use.created === null || Math.abs(use.created - t) <= CONSOLE_ISSUE_SLACK_MS;
    });
    const login = candidates[candidates.length - 1];
    if (!login) continue;
    s.issue = {
      ev: Number(login['id']), t: Number(login['t']), call: 'ConsoleLogin', callerArn: s.use.arn, callerType: rowString(login, 'type'), callerKey: null, callerUser: null, callerInvokedBy: null,
      ip: rowString(login, 'ip'), ua: rowString(login, 'ua'), roleArn: null, sessionName: null, sourceIdentity: null, assumedArn: s.use.arn, account: null,
    };
  }
}

/** Rebuilds `sessions` and `created` from the events (run after every import). */
export function buildCorrelation(store: Store): { sessions: number; unknownIssuer: number } {
  const db = store.db;
  db.run(CORRELATION_DDL.replaceAll('{s}', store.hot));
  const issues = issuingCalls(store);
  const uses = keyUses(store);
  const sessions = new Map<string, Session>();
  for (const key of new Set([...issues.keys(), ...uses.keys()])) {
    sessions.set(key, { key, issue: issues.get(key) ?? null, use: uses.get(key) ?? null, parent: null, depth: -1, rootActor: null, rootKind: 'unknown' });
  }
  linkConsoleSessions(store, sessions);
  for (const s of sessions.values()) rootOf(s, sessions);
  const ids = new Map<string, number>();
  let id = 1;
  for (const key of sessions.keys()) ids.set(key, id++);
  const ins = db.prepare(`INSERT INTO sessions VALUES (${Array(24).fill('?').join(',')})`);
  let unknown = 0;
  try {
    for (const s of sessions.values()) {
      const i = s.issue;
      const u = s.use;
      if (!i) unknown++;
      ins.run([
        ids.get(s.key) as number, s.key, i?.ev ?? null, i?.call ?? null, i?.t ?? null,
        i?.callerArn ?? null, i?.callerType ?? null, i?.callerKey ?? null, s.parent ? (ids.get(s.parent.key) as number) : null, s.depth,
        s.rootActor, s.rootKind, i?.roleArn ?? null, i?.sessionName ?? null, i?.sourceIdentity ?? null, i?.ip ?? null, i?.ua ?? null,
        u?.arn ?? i?.assumedArn ?? null, u?.accounts[0] ?? i?.account ?? null,
        u?.events ?? 0, u?.first ?? null, u?.last ?? null, JSON.stringify(u?.accounts ?? []), JSON.stringify(u?.regions ?? []),
      ]);
    }
  } finally {
    ins.free();
  }
  buildCreated(store);
  db.run(`CREATE INDEX IF NOT EXISTS ${store.hot}.sessions_parent ON sessions(parent_id)`);
  db.run(`CREATE INDEX IF NOT EXISTS ${store.hot}.sessions_issuer_key ON sessions(issuer_key)`);
  return { sessions: sessions.size, unknownIssuer: unknown };
}

/** Long-term keys, users and login profiles created in the evidence, with who created them. */
function buildCreated(store: Store): void {
  const rows = store.all(
    `SELECT e.id, e.t, n.value AS name, a.value AS arn, k.value AS key, cairn_json(e.blk, e.off, e.len, e.fmt, 'requestParameters') AS req,
            cairn_json(e.blk, e.off, e.len, e.fmt, 'responseElements') AS resp
     FROM ev e JOIN strings n ON n.id = e.name AND n.value IN ('CreateAccessKey', 'CreateUser', 'CreateLoginProfile')
     LEFT JOIN strings a ON a.id = e.ui_arn LEFT JOIN strings k ON k.id = e.ui_key WHERE e.error_code IS NULL`,
  );
  const ins = store.db.prepare('INSERT INTO created (kind, subject, user_name, ev, creator_arn, creator_key, t) VALUES (?,?,?,?,?,?,?)');
  try {
    for (const r of rows) {
      const parse = (v: unknown): Obj | undefined => {
        try {
          return obj(typeof v === 'string' ? JSON.parse(v) : undefined);
        } catch {
          return undefined;
        }
      };
      const req = parse(r['req']);
      const resp = parse(r['resp']);
      const name = rowString(r, 'name');
      let kind: string;
      let subject: string | null;
      let user: string | null = str(req?.['userName']);
      if (name === 'CreateAccessKey') {
        const k = obj(resp?.['accessKey']);
        kind = 'access-key';
        subject = str(k?.['accessKeyId']);
        user = str(k?.['userName']) ?? user;
      } else if (name === 'CreateUser') {
        kind = 'user';
        subject = str(obj(resp?.['user'])?.['arn']) ?? user;
      } else {
        kind = 'login-profile';
        subject = user;
      }
      if (subject) ins.run([kind, subject, user, Number(r['id']), rowString(r, 'arn'), rowString(r, 'key'), Number(r['t'])]);
    }
  } finally {
    ins.free();
  }
}
