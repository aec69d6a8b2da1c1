/**
 * Answers "who is behind this, and what else did they do?" over the `sessions` table: from an access
 * key, a principal, an IP or a session, the chain from the root actor through every session to the
 * events, and the sets of keys, accounts, IPs and event names involved.
 */
import type { CorrelateBy, Correlation, SessionView } from '../../../shared/correlation';
import type { Store } from '../store/store';

export type { CorrelateBy, Correlation, SessionView };

const iso = (v: unknown): string | null => (typeof v === 'number' ? new Date(v).toISOString() : null);
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function view(r: Record<string, unknown>): SessionView {
  return {
    id: Number(r['id']),
    accessKey: String(r['access_key']),
    issueCall: s(r['issue_call']),
    issuedAt: iso(r['issued_ms']),
    issuerArn: s(r['issuer_arn']),
    issuerKey: s(r['issuer_key']),
    parentId: typeof r['parent_id'] === 'number' ? r['parent_id'] : null,
    depth: Number(r['depth']),
    rootActor: s(r['root_actor']),
    rootKind: String(r['root_kind']),
    roleArn: s(r['role_arn']),
    sessionName: s(r['session_name']),
    principalArn: s(r['principal_arn']),
    sourceIp: s(r['source_ip']),
    userAgent: s(r['user_agent']),
    events: Number(r['events']),
    firstSeen: iso(r['first_ms']),
    lastSeen: iso(r['last_ms']),
    accounts: JSON.parse(String(r['accounts'])) as string[],
    regions: JSON.parse(String(r['regions'])) as string[],
  };
}

/** Sessions matching the question, before following chains. */
function seeds(store: Store, by: CorrelateBy): { sessionIds: number[]; keys: string[]; principals: string[]; ips: string[] } {
  const ids = (sql: string, p: (string | number)[]): number[] => store.all(sql, p).map((r) => Number(r['id']));
  if ('session' in by) return { sessionIds: ids('SELECT id FROM sessions WHERE id = ?', [by.session]), keys: [], principals: [], ips: [] };
  if ('accessKey' in by) {
    // A temporary key is a session; a long-term key is the root of the sessions it opened.
    return { sessionIds: ids('SELECT id FROM sessions WHERE access_key = ? OR issuer_key = ?', [by.accessKey, by.accessKey]), keys: [by.accessKey], principals: [], ips: [] };
  }
  if ('principal' in by) {
    const p = by.principal;
    return { sessionIds: ids('SELECT id FROM sessions WHERE principal_arn = ? OR issuer_arn = ? OR root_actor = ? OR role_arn = ?', [p, p, p, p]), keys: [], principals: [p], ips: [] };
  }
  return { sessionIds: ids('SELECT id FROM sessions WHERE source_ip = ? OR access_key IN (SELECT k.value FROM ev e JOIN strings k ON k.id = e.ui_key WHERE e.ip = (SELECT id FROM strings WHERE value = ?))', [by.ip, by.ip]), keys: [], principals: [], ips: [by.ip] };
}

export function correlate(store: Store, by: CorrelateBy): Correlation {
  const seed = seeds(store, by);
  // Up to the roots, then down to every session they opened.
  const all = new Map<number, SessionView>();
  const load = (id: number): SessionView | undefined => {
    if (all.has(id)) return all.get(id);
    const r = store.get('SELECT * FROM sessions WHERE id = ?', [id]);
    if (!r) return undefined;
    const v = view(r);
    all.set(id, v);
    return v;
  };
  const tops: number[] = [];
  for (const id of seed.sessionIds) {
    let cur = load(id);
    for (let guard = 0; cur && cur.parentId !== null && guard < 64; guard++) cur = load(cur.parentId) ?? cur;
    if (cur) tops.push(cur.id);
  }
  const queue = [...new Set(tops)];
  while (queue.length > 0) {
    const id = queue.shift() as number;
    load(id);
    for (const child of store.all('SELECT id FROM sessions WHERE parent_id = ?', [id])) {
      const c = Number(child['id']);
      if (!all.has(c)) queue.push(c);
    }
  }
  const sessions = [...all.values()].sort((a, b) => a.depth - b.depth || a.id - b.id);
  const keys = new Set([...seed.keys, ...sessions.map((x) => x.accessKey), ...sessions.map((x) => x.issuerKey).filter((k): k is string => k !== null)]);
  // Events: every event signed by these keys, plus those of the principals or IPs asked about.
  const keyIds = [...keys].map((k) => store.stringId(k)).filter((x): x is number => x !== undefined);
  const extra: string[] = [];
  const params: number[] = [...keyIds];
  for (const p of seed.principals) {
    const id = store.stringId(p);
    if (id !== undefined) {
      extra.push('e.ui_arn = ?');
      params.push(id);
    }
  }
  for (const ip of seed.ips) {
    const id = store.stringId(ip);
    if (id !== undefined) {
      extra.push('e.ip = ?');
      params.push(id);
    }
  }
  const where = [keyIds.length > 0 ? `e.ui_key IN (${keyIds.map(() => '?').join(',')})` : '', ...extra].filter(Boolean).join(' OR ') || '0';
  const eventNames = store
    .all(`SELECT n.value AS name, count(*) AS c FROM ev e LEFT JOIN strings n ON n.id = e.name WHERE ${where} GROUP BY e.name ORDER BY c DESC`, params)
    .map((r) => ({ name: String(r['name'] ?? '(none)'), count: Number(r['c']) }));
  const distinct = (col: string): string[] =>
    store.all(`SELECT DISTINCT d.value AS v FROM ev e JOIN strings d ON d.id = e.${col} WHERE ${where} ORDER BY 1`, params).map((r) => String(r['v']));
  const accounts = new Set([...distinct('account'), ...sessions.flatMap((x) => x.accounts)]);
  for (const k of distinct('ui_key')) keys.add(k);
  const rootKeys = new Set(sessions.filter((x) => x.depth === 0).map((x) => `${x.rootKind}|${x.rootActor ?? ''}`));
  const roots = [...rootKeys].map((k) => {
    const [kind, actor] = k.split('|') as [string, string];
    return { kind, actor: actor === '' ? null : actor };
  });
  const subjects = [...keys, ...sessions.map((x) => x.rootActor).filter((a): a is string => a !== null)];
  const created = subjects.length === 0 ? [] : store
    .all(`SELECT kind, subject, creator_arn, t FROM created WHERE subject IN (${subjects.map(() => '?').join(',')}) OR creator_key IN (${subjects.map(() => '?').join(',')}) ORDER BY t`, [...subjects, ...subjects])
    .map((r) => ({ kind: String(r['kind']), subject: String(r['subject']), creatorArn: s(r['creator_arn']), at: iso(r['t']) ?? '' }));
  const firstsOf = (col: string): { value: string; first: string; events: number }[] =>
    store
      .all(`SELECT d.value AS v, min(e.t) AS t, count(*) AS n FROM ev e JOIN strings d ON d.id = e.${col} WHERE ${where} GROUP BY e.${col} ORDER BY t LIMIT 500`, params)
      .map((r) => ({ value: String(r['v']), first: iso(r['t']) ?? '', events: Number(r['n']) }));
  return {
    firsts: { ip: firstsOf('ip'), userAgent: firstsOf('ua'), region: firstsOf('region'), eventName: firstsOf('name') },
    roots,
    sessions,
    created,
    accessKeys: [...keys].sort(),
    accounts: [...accounts].sort(),
    ips: distinct('ip'),
    eventNames,
    events: eventNames.reduce((n, x) => n + x.count, 0),
  };
}
