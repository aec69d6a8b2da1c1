/**
 * The chain of a correlation as a graph: root actors → long-term access keys → sessions (by depth) →
 * roles → accounts, plus the credentials created inside the chain. Edges carry the call that made
 * them. A session whose issuing call is not in the evidence hangs from its own "issuer unknown" node:
 * nothing is invented, and two unknown issuers are never merged into one.
 */
import type { Correlation, SessionView } from '../../../shared/correlation';

export type NodeKind = 'actor' | 'unknown' | 'key' | 'session' | 'role' | 'account' | 'created';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly sub: string;
  /** The full value the node stands for (ARN, key, account), for the title and the details. */
  readonly value: string | null;
  /** Layout column before compaction: 0 actors, 1 keys, 2 + depth sessions, a role one right of its session, an account one right of its role. */
  readonly column: number;
  readonly sessionId?: number;
  /** The node is what the user asked about. */
  readonly asked?: boolean;
}

export interface GraphEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly unknown?: boolean;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const CREATE_CALL: Readonly<Record<string, string>> = { 'access-key': 'CreateAccessKey', user: 'CreateUser', 'login-profile': 'CreateLoginProfile' };

/** `arn:aws:sts::1111:assumed-role/Ops/alice` → `assumed-role/Ops/alice`; other text unchanged. */
export function arnTail(v: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(v);
  return m?.[1] ?? v;
}

export function arnAccount(v: string): string | null {
  return /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(v)?.[1] ?? null;
}

class Builder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  node(n: GraphNode): string {
    const had = this.nodes.get(n.id);
    if (!had) this.nodes.set(n.id, n);
    else if (n.asked && !had.asked) this.nodes.set(n.id, { ...had, asked: true });
    return n.id;
  }
  edge(from: string, to: string, label: string, unknown = false): void {
    const id = `${from}->${to}`;
    if (!this.edges.has(id)) this.edges.set(id, { id, from, to, label, ...(unknown ? { unknown } : {}) });
  }
}

function actorNode(arn: string, kind: string, asked: string | null): GraphNode {
  return { id: `actor:${arn}`, kind: 'actor', label: arnTail(arn), sub: kind, value: arn, column: 0, asked: arn === asked };
}

function sessionNode(s: SessionView, maxDepth: number, asked: string | null): GraphNode {
  const who = s.principalArn ? arnTail(s.principalArn).replace(/^assumed-role\//, '') : (s.sessionName ?? 'session');
  return { id: `session:${s.id}`, kind: 'session', label: s.accessKey, sub: `${who} · ${s.events} ev`, value: s.accessKey, column: 2 + Math.min(s.depth, maxDepth), sessionId: s.id, asked: s.accessKey === asked };
}

/** Where a depth-0 session comes from: its root actor and the long-term key that called, if known. */
function addOrigin(b: Builder, s: SessionView, asked: string | null): void {
  const sid = `session:${s.id}`;
  const actor = s.rootActor ?? (s.issueCall ? s.issuerArn : null);
  if (!s.issueCall && !actor) {
    const u = b.node({ id: `unknown:${s.id}`, kind: 'unknown', label: 'issuer unknown', sub: 'issuing call not in the evidence', value: null, column: 0 });
    b.edge(u, sid, 'issuer unknown', true);
    return;
  }
  const from = actor ? b.node(actorNode(actor, s.rootKind, asked)) : b.node({ id: `unknown:${s.id}`, kind: 'unknown', label: 'issuer unknown', sub: s.rootKind, value: null, column: 0 });
  if (s.issuerKey) {
    const k = b.node({ id: `key:${s.issuerKey}`, kind: 'key', label: s.issuerKey, sub: s.issuerKey.startsWith('ASIA') ? 'temporary key' : 'long-term key', value: s.issuerKey, column: 1, asked: s.issuerKey === asked });
    b.edge(from, k, 'signs with');
    b.edge(k, sid, s.issueCall ?? 'issuer unknown', !s.issueCall);
  } else {
    b.edge(from, sid, s.issueCall ?? 'issuer unknown', !s.issueCall);
  }
}

/**
 * Roles sit one column right of the deepest session that used them, accounts one right of their
 * role (or session): the chain reads as a tree and no role edge runs behind a deeper session.
 */
function addTargets(b: Builder, sessions: readonly SessionView[], asked: string | null): void {
  const col = (id: string): number => b.nodes.get(id)?.column ?? 0;
  const roleCol = new Map<string, number>();
  for (const s of sessions) if (s.roleArn) roleCol.set(s.roleArn, Math.max(roleCol.get(s.roleArn) ?? 0, col(`session:${s.id}`) + 1));
  const links: [string, string, string][] = [];
  for (const s of sessions) {
    const sid = `session:${s.id}`;
    const acct = s.roleArn ? arnAccount(s.roleArn) : null;
    if (s.roleArn) {
      const r = b.node({ id: `role:${s.roleArn}`, kind: 'role', label: arnTail(s.roleArn), sub: 'role', value: s.roleArn, column: roleCol.get(s.roleArn) ?? 0, asked: s.roleArn === asked });
      b.edge(sid, r, 'as');
      if (acct) links.push([r, acct, 'in']);
    } else {
      for (const a of s.accounts) links.push([sid, a, 'in']);
    }
  }
  const acctCol = new Map<string, number>();
  for (const [from, a] of links) acctCol.set(a, Math.max(acctCol.get(a) ?? 0, col(from) + 1));
  for (const [from, a, label] of links) b.edge(from, b.node({ id: `account:${a}`, kind: 'account', label: a, sub: 'account', value: a, column: acctCol.get(a) ?? 0 }), label);
}

function addCreated(b: Builder, c: Correlation, sessions: readonly SessionView[], asked: string | null): void {
  for (const cr of c.created) {
    const bySession = sessions.find((s) => cr.creatorArn !== null && s.principalArn === cr.creatorArn);
    const creator = bySession
      ? `session:${bySession.id}`
      : cr.creatorArn
        ? b.node({ ...actorNode(cr.creatorArn, 'creator', asked), sub: 'creator' })
        : b.node({ id: `unknown:created:${cr.subject}`, kind: 'unknown', label: 'creator unknown', sub: 'not in the evidence', value: null, column: 0 });
    const col = (b.nodes.get(creator)?.column ?? 0) + 1;
    const id = cr.kind === 'access-key' ? `key:${cr.subject}` : cr.kind === 'user' ? `actor:${cr.subject}` : `created:${cr.kind}:${cr.subject}`;
    const target = b.node({ id, kind: cr.kind === 'access-key' ? 'key' : 'created', label: arnTail(cr.subject), sub: `created ${cr.at.slice(0, 16).replace('T', ' ')}`, value: cr.subject, column: col, asked: cr.subject === asked });
    b.edge(creator, target, CREATE_CALL[cr.kind] ?? cr.kind);
  }
}

export function buildGraph(c: Correlation, asked: string | null): Graph {
  const b = new Builder();
  const maxDepth = c.sessions.reduce((m, s) => Math.max(m, s.depth), 0);
  for (const s of c.sessions) b.node(sessionNode(s, maxDepth, asked));
  for (const s of c.sessions) {
    const parent = s.parentId !== null ? `session:${s.parentId}` : null;
    if (parent && b.nodes.has(parent)) b.edge(parent, `session:${s.id}`, s.issueCall ?? 'issuer unknown', !s.issueCall);
    else addOrigin(b, s, asked);
  }
  addTargets(b, c.sessions, asked);
  addCreated(b, c, c.sessions, asked);
  addAsked(b, c, asked);
  return { nodes: [...b.nodes.values()], edges: [...b.edges.values()] };
}

/**
 * What was asked about, when no session put it in the graph: a key alone; a principal with the
 * keys that signed its events (the chain's keys no session or creation accounts for).
 */
function addAsked(b: Builder, c: Correlation, asked: string | null): void {
  if (!asked || [...b.nodes.values()].some((n) => n.value === asked)) return;
  if (/^(AKIA|ASIA)/.test(asked)) {
    b.node({ id: `key:${asked}`, kind: 'key', label: asked, sub: 'no session opened in the evidence', value: asked, column: 1, asked: true });
    return;
  }
  if (!asked.startsWith('arn:')) return;
  const actor = b.node({ ...actorNode(asked, 'principal', asked), sub: 'principal' });
  const shown = new Set([...b.nodes.values()].map((n) => n.value));
  for (const k of c.accessKeys) {
    if (shown.has(k)) continue;
    b.edge(actor, b.node({ id: `key:${k}`, kind: 'key', label: k, sub: k.startsWith('ASIA') ? 'temporary key' : 'long-term key', value: k, column: 1 }), 'signs with');
  }
}
