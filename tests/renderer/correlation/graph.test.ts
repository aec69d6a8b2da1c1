import { describe, expect, it } from 'vitest';
import type { Correlation, SessionView } from '../../../shared/correlation';
import { arnAccount, arnTail, buildGraph } from '../../../renderer/panels/correlation/graph';
import { GAP_X, NODE_H, NODE_W, PAD, layoutGraph } from '../../../renderer/panels/correlation/layout';
import { histogramBars, histogramWindow } from '../../../renderer/panels/correlation/histogram';
import { chainRequest, guessTarget, targetFilter } from '../../../renderer/panels/correlation/target';
import { clip } from '../../../renderer/panels/correlation/ChainGraph';

const A = '111111111111';
const B = '222222222222';
const ALICE = `arn:aws:iam::${A}:user/alice`;

function session(over: Partial<SessionView> & Pick<SessionView, 'id' | 'accessKey'>): SessionView {
  return {
    issueCall: 'AssumeRole', issuedAt: '2025-06-01T10:00:00.000Z', issuerArn: ALICE, issuerKey: 'AKIAALICE', parentId: null, depth: 0,
    rootActor: ALICE, rootKind: 'IAMUser', roleArn: `arn:aws:iam::${A}:role/Hop`, sessionName: 's', principalArn: `arn:aws:sts::${A}:assumed-role/Hop/s`,
    sourceIp: '203.0.113.9', userAgent: 'aws-cli', events: 2, firstSeen: '2025-06-01T10:00:00.000Z', lastSeen: '2025-06-01T10:05:00.000Z', accounts: [A], regions: ['us-east-1'],
    ...over,
  };
}

function correlation(sessions: SessionView[], over: Partial<Correlation> = {}): Correlation {
  return { roots: [], sessions, created: [], accessKeys: [], accounts: [], ips: [], eventNames: [], events: 0, firsts: { ip: [], userAgent: [], region: [], eventName: [] }, ...over };
}

const chained = correlation([
  session({ id: 1, accessKey: 'ASIAHOP1' }),
  session({ id: 2, accessKey: 'ASIAT2', parentId: 1, depth: 1, issuerArn: `arn:aws:sts::${A}:assumed-role/Hop/s`, issuerKey: 'ASIAHOP1', roleArn: `arn:aws:iam::${B}:role/Target`, accounts: [B] }),
  session({ id: 3, accessKey: 'ASIAORPHAN', issueCall: null, issuedAt: null, issuerArn: null, issuerKey: null, rootActor: null, rootKind: 'unknown', roleArn: `arn:aws:iam::${A}:role/Ghost` }),
  session({ id: 4, accessKey: 'ASIABOB', issueCall: 'ConsoleLogin', issuerKey: null, issuerArn: `arn:aws:iam::${A}:user/bob`, rootActor: `arn:aws:iam::${A}:user/bob`, roleArn: null, accounts: [A] }),
], { created: [{ kind: 'access-key', subject: 'AKIABACKDOOR', creatorArn: ALICE, at: '2025-06-01T10:30:00.000Z' }] });

describe('the chain graph', () => {
  it('runs root actor → key → sessions by depth → role → account, edges named by the call', () => {
    const g = buildGraph(chained, 'ASIAT2');
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
    expect(edge(`actor:${ALICE}`, 'key:AKIAALICE')?.label).toBe('signs with');
    expect(edge('key:AKIAALICE', 'session:1')?.label).toBe('AssumeRole');
    expect(edge('session:1', 'session:2')?.label).toBe('AssumeRole');
    expect(edge('session:2', `role:arn:aws:iam::${B}:role/Target`)?.label).toBe('as');
    expect(edge(`role:arn:aws:iam::${B}:role/Target`, `account:${B}`)?.label).toBe('in');
    expect(edge(`actor:arn:aws:iam::${A}:user/bob`, 'session:4')?.label).toBe('ConsoleLogin');
    expect(edge('session:4', `account:${A}`)).toBeDefined();
    expect(edge(`actor:${ALICE}`, 'key:AKIABACKDOOR')?.label).toBe('CreateAccessKey');
    const cols = Object.fromEntries(g.nodes.map((n) => [n.id, n.column]));
    expect([cols[`actor:${ALICE}`], cols['key:AKIAALICE'], cols['session:1'], cols['session:2'], cols[`role:arn:aws:iam::${B}:role/Target`], cols[`account:${B}`]]).toEqual([0, 1, 2, 3, 4, 5]);
    // A role sits right of the session that used it, its account right of the role.
    expect([cols[`role:arn:aws:iam::${A}:role/Hop`], cols[`account:${A}`]]).toEqual([3, 4]);
    expect(g.nodes.filter((n) => n.asked).map((n) => n.id)).toEqual(['session:2']);
  });

  it('says "issuer unknown" for a session whose issuing call is missing, and invents no actor', () => {
    const g = buildGraph(chained, null);
    const u = g.nodes.find((n) => n.id === 'unknown:3');
    expect(u).toMatchObject({ kind: 'unknown', label: 'issuer unknown', value: null });
    expect(g.edges.find((e) => e.to === 'session:3')).toMatchObject({ from: 'unknown:3', label: 'issuer unknown', unknown: true });
    expect(g.nodes.filter((n) => n.kind === 'actor').map((n) => n.value)).toEqual([ALICE, `arn:aws:iam::${A}:user/bob`]);
  });

  it('keeps two unknown issuers apart and shows an asked key that opened nothing', () => {
    const two = correlation([session({ id: 7, accessKey: 'ASIAX', issueCall: null, issuerArn: null, issuerKey: null, rootActor: null, rootKind: 'unknown' }), session({ id: 8, accessKey: 'ASIAY', issueCall: null, issuerArn: null, issuerKey: null, rootActor: null, rootKind: 'unknown' })]);
    expect(buildGraph(two, null).nodes.filter((n) => n.kind === 'unknown')).toHaveLength(2);
    expect(buildGraph(correlation([]), 'AKIALONELY').nodes).toEqual([expect.objectContaining({ id: 'key:AKIALONELY', asked: true, sub: 'no session opened in the evidence' })]);
    expect(buildGraph(correlation([]), '203.0.113.1').nodes).toEqual([]);
    // A principal that opened no session: itself and the keys that signed its events.
    const lone = buildGraph(correlation([], { accessKeys: ['AKIAALICE', 'AKIAOLD'] }), ALICE);
    expect(lone.nodes.map((n) => [n.id, n.asked === true])).toEqual([[`actor:${ALICE}`, true], ['key:AKIAALICE', false], ['key:AKIAOLD', false]]);
    expect(lone.edges.map((e) => e.label)).toEqual(['signs with', 'signs with']);
    // ... but not keys that a session already stands for.
    expect(buildGraph(chained, `arn:aws:iam::${A}:user/bob`).nodes.filter((n) => n.asked).map((n) => n.id)).toEqual([`actor:arn:aws:iam::${A}:user/bob`]);
  });

  it('reads ARNs', () => {
    expect(arnTail(`arn:aws:sts::${A}:assumed-role/Hop/s`)).toBe('assumed-role/Hop/s');
    expect(arnTail('AKIA1')).toBe('AKIA1');
    expect(arnAccount(`arn:aws:iam::${B}:role/Target`)).toBe(B);
    expect(clip('assumed-role/VeryLongRoleName/session-name-here', 20)).toBe('…e/session-name-here');
    expect(clip('AKIAVERYLONGKEYVALUE', 10)).toBe('AKIAVERYL…');
    expect(clip('short', 20)).toBe('short');
  });
});

describe('the column layout', () => {
  const g = buildGraph(chained, null);
  const l = layoutGraph(g.nodes, g.edges);
  const at = (id: string) => l.nodes.find((n) => n.id === id);

  it('puts each column at its own x, closing empty columns', () => {
    const xs = [...new Set(l.nodes.map((n) => n.x))].sort((a, b) => a - b);
    expect(xs).toEqual(xs.map((_, i) => PAD + i * (NODE_W + GAP_X)));
    expect(at('session:2')?.x).toBe(PAD + 3 * (NODE_W + GAP_X));
    expect(l.width).toBe(PAD * 2 + xs.length * NODE_W + (xs.length - 1) * GAP_X);
  });

  it('never overlaps two nodes and keeps everything inside the canvas', () => {
    for (const a of l.nodes) {
      expect(a.x + NODE_W).toBeLessThanOrEqual(l.width);
      expect(a.y + NODE_H).toBeLessThanOrEqual(l.height);
      for (const b of l.nodes) if (a !== b && a.x === b.x) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(NODE_H);
    }
  });

  it('orders a column by its predecessors, so the chain reads straight', () => {
    // alice's key sits level with alice; the sessions follow the order of what leads to them.
    expect(at('key:AKIAALICE')?.y).toBe(at(`actor:${ALICE}`)?.y);
    const sessionsCol = l.nodes.filter((n) => n.x === at('session:1')?.x).sort((a, b) => a.y - b.y).map((n) => n.id);
    expect(sessionsCol.indexOf('session:1')).toBeLessThan(sessionsCol.indexOf('session:3'));
  });

  it('draws each edge from the right side of its source to the left side of its target', () => {
    const e = l.edges.find((x) => x.from === 'session:1' && x.to === 'session:2');
    const a = at('session:1');
    const b = at('session:2');
    if (!e || !a || !b) throw new Error('missing');
    expect(e.d.startsWith(`M${a.x + NODE_W},${a.y + NODE_H / 2} `)).toBe(true);
    expect(e.d.endsWith(` ${b.x},${b.y + NODE_H / 2}`)).toBe(true);
    expect(e.labelX).toBe((a.x + NODE_W + b.x) / 2);
    expect(l.edges).toHaveLength(g.edges.length);
  });

  it('is empty for an empty graph', () => {
    expect(layoutGraph([], [])).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });
});

describe('targets and the histogram', () => {
  it('guesses what was typed', () => {
    expect(guessTarget(' AKIAIOSFODNN7EXAMPLE ')).toEqual({ kind: 'accessKey', value: 'AKIAIOSFODNN7EXAMPLE' });
    expect(guessTarget(ALICE)).toEqual({ kind: 'principal', value: ALICE });
    expect(guessTarget(`arn:aws:iam::${A}:role/Ops`)).toEqual({ kind: 'sessionIssuer', value: `arn:aws:iam::${A}:role/Ops` });
    expect(guessTarget('203.0.113.7')).toEqual({ kind: 'ip', value: '203.0.113.7' });
    expect(guessTarget('2001:db8::1')).toEqual({ kind: 'ip', value: '2001:db8::1' });
    expect(guessTarget('42')).toEqual({ kind: 'session', value: '42' });
    expect(guessTarget('hello world')).toBeNull();
  });

  it('maps targets to chain requests and filters', () => {
    expect(chainRequest({ kind: 'sessionIssuer', value: 'arn:r' })).toEqual({ principal: 'arn:r' });
    expect(chainRequest({ kind: 'session', value: '0' })).toBeNull();
    expect(chainRequest({ kind: 'userAgent', value: 'x' })).toBeNull();
    expect(targetFilter({ kind: 'ip', value: '1.2.3.4' }, null)?.clauses[0]).toMatchObject({ field: 'sourceIPAddress', values: ['1.2.3.4'], negate: false, enabled: true });
    expect(targetFilter({ kind: 'session', value: '3' }, 'ASIA3')?.clauses[0]).toMatchObject({ field: 'userIdentity_accessKeyId', values: ['ASIA3'] });
    expect(targetFilter({ kind: 'session', value: '3' }, null)).toBeNull();
  });

  it('covers the span with about 60 aligned buckets and scales bars to the tallest', () => {
    const w = histogramWindow(Date.UTC(2025, 0, 1, 10, 7), Date.UTC(2025, 0, 1, 14, 2));
    expect(w.bucketMs).toBe(300_000);
    expect(w.fromMs % w.bucketMs).toBe(0);
    expect(w.toMs).toBeGreaterThan(Date.UTC(2025, 0, 1, 14, 2));
    const bars = histogramBars([{ t: w.fromMs, counts: [4, 0] }, { t: w.fromMs + 2 * w.bucketMs, counts: [1, 1] }], w, 600, 60);
    expect(bars[0]?.segments).toEqual([{ series: 0, y: 0, h: 60, count: 4 }]);
    expect(bars[1]?.segments.map((s) => s.h)).toEqual([15, 15]);
    expect(bars[1]?.x).toBeGreaterThan(bars[0]?.x ?? 0);
    expect(histogramBars([], w, 600, 60)).toEqual([]);
  });
});
