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
  /** Layout column before compaction: 0 actors, 1 keys, 2 + depth sessions, then roles, accounts. */
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
  const who = s.principalArn ? arnTail(s.principalArn) : (s.sessionName ?? 'session');
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

function addTargets(b: Builder, s: SessionView, maxDepth: number, asked: string | null): void {
  const sid = `session:${s.id}`;
  if (s.roleArn) {
    const r = b.node({ id: `role:${s.roleArn}`, kind: 'role', label: arnTail(s.roleArn), sub: 'role', value: s.roleArn, column: 3 + maxDepth, asked: s.roleArn === asked });
    b.edge(sid, r, 'as');
    const acct = arnAccount(s.roleArn);
    if (acct) b.edge(r, b.node({ id: `account:${acct}`, kind: 'account', label: acct, sub: 'account', value: acct, column: 4 + maxDepth }), 'in');
    return;
  }
  for (const acct of s.accounts) b.edge(sid, b.node({ id: `account:${acct}`, kind: 'account', label: acct, sub: 'account', value: acct, column: 4 + maxDepth }), 'in');
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
    addTargets(b, s, maxDepth, asked);
  }
  addCreated(b, c, c.sessions, asked);
  // A long-term key asked about that opened no session still appears, alone, rather than an empty graph.
  if (asked && /^(AKIA|ASIA)/.test(asked) && !b.nodes.has(`key:${asked}`) && ![...b.nodes.values()].some((n) => n.value === asked)) {
    b.node({ id: `key:${asked}`, kind: 'key', label: asked, sub: 'no session opened in the evidence', value: asked, column: 1, asked: true });
  }
  return { nodes: [...b.nodes.values()], edges: [...b.edges.values()] };
}
