/** The chain card: who is at the root, the graph of keys and sessions, and the selected node. */
import { useMemo, useState } from 'react';
import type { EntityKind } from '../../../shared/api';
import type { Correlation } from '../../../shared/correlation';
import { formatCount } from '../../format';
import { ChainGraph } from './ChainGraph';
import { arnTail, buildGraph } from './graph';
import { layoutGraph } from './layout';
import { NodeDetails } from './NodeDetails';

export interface ChainViewProps {
  readonly chain: Correlation;
  /** The value asked about (a key, an ARN, an IP), highlighted in the graph. */
  readonly asked: string | null;
  readonly stale: boolean;
  onPivot(kind: EntityKind, value: string): void;
  onFollowSession(id: number): void;
  onShowEvents(accessKey: string): void;
}

/**
 * A graph of thousands of sessions is unreadable and slow to draw: the first ones are drawn (parents
 * come before children, so every drawn session's parent is drawn too) and the rest are counted.
 */
export const MAX_GRAPH_SESSIONS = 150;

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function rootText(r: Correlation['roots'][number]): string {
  return r.actor === null ? `issuer unknown (${r.kind})` : `${arnTail(r.actor)} (${r.kind})`;
}

export function ChainView(p: ChainViewProps) {
  const { chain } = p;
  const layout = useMemo(() => {
    const drawn = chain.sessions.length > MAX_GRAPH_SESSIONS ? { ...chain, sessions: chain.sessions.slice(0, MAX_GRAPH_SESSIONS) } : chain;
    const g = buildGraph(drawn, p.asked);
    return layoutGraph(g.nodes, g.edges);
  }, [chain, p.asked]);
  const hidden = Math.max(0, chain.sessions.length - MAX_GRAPH_SESSIONS);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = layout.nodes.find((n) => n.id === selectedId) ?? null;
  const session = selected?.sessionId !== undefined ? (chain.sessions.find((s) => s.id === selected.sessionId) ?? null) : null;

  return (
    <section className={`corr-card chain-card${p.stale ? ' is-stale' : ''}`} aria-label="Credential chain" data-testid="chain">
      <h2>
        Chain <span className="muted">root actor{chain.roots.length === 1 ? '' : 's'}: </span>
        <span data-testid="chain-roots">{chain.roots.length === 0 ? <span className="muted">none found</span> : chain.roots.map(rootText).join(' · ')}</span>
      </h2>
      <div className="chain-stats muted">
        {[
          plural(chain.sessions.length, 'session'),
          plural(chain.accessKeys.length, 'access key'),
          plural(chain.accounts.length, 'account'),
          plural(chain.ips.length, 'IP'),
          plural(chain.events, 'event'),
          ...(chain.created.length > 0 ? [`${plural(chain.created.length, 'credential')} created`] : []),
        ].join(' · ')}
      </div>
      {hidden > 0 ? <div className="notice">The graph draws the first {formatCount(MAX_GRAPH_SESSIONS)} sessions; {formatCount(hidden)} more are in the chain (query the sessions table in the Query panel to see them all).</div> : null}
      <div className="chain-body">
        <div className="chain-scroll">
          {layout.nodes.length === 0 ? (
            <div className="muted chain-empty">No credential chain: no session, key or creation in the evidence links this to anything else.</div>
          ) : (
            <ChainGraph layout={layout} selectedId={selectedId} onSelect={(n) => setSelectedId(n.id)} />
          )}
        </div>
        {selected ? (
          <NodeDetails node={selected} session={session} onPivot={p.onPivot} onFollowSession={p.onFollowSession} onShowEvents={p.onShowEvents} />
        ) : layout.nodes.length === 0 ? null : (
          <div className="node-details node-hint muted">Select a node to see its details: issue time, IP, user agent, events, accounts, regions.</div>
        )}
      </div>
    </section>
  );
}
