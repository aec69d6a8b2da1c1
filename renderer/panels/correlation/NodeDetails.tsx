/** What a selected node of the chain stands for; for a session, everything the engine knows of it. */
import type { EntityKind } from '../../../shared/api';
import type { SessionView } from '../../../shared/correlation';
import type { GraphNode } from './graph';

export interface NodeDetailsProps {
  readonly node: GraphNode;
  readonly session: SessionView | null;
  onPivot(kind: EntityKind, value: string): void;
  onFollowSession(id: number): void;
  onShowEvents(accessKey: string): void;
}

const PIVOT_KIND: Partial<Record<GraphNode['kind'], EntityKind>> = { actor: 'principal', key: 'accessKey', role: 'sessionIssuer' };

function time(iso: string | null): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}

function Row({ label, value, mono = false }: { readonly label: string; readonly value: string | null; readonly mono?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : ''} title={value ?? ''}>{value ?? '—'}</dd>
    </div>
  );
}

function SessionRows({ s }: { readonly s: SessionView }) {
  return (
    <>
      <Row label="Access key" value={s.accessKey} mono />
      <Row label="Issued by" value={s.issueCall ?? 'issuer unknown (the issuing call is not in the evidence)'} />
      <Row label="Issued at" value={s.issuedAt ? time(s.issuedAt) : null} />
      <Row label="Issuer" value={s.issuerArn} mono />
      <Row label="Issuer key" value={s.issuerKey} mono />
      <Row label="Root actor" value={s.rootActor ? `${s.rootActor} (${s.rootKind})` : `unknown (${s.rootKind})`} mono />
      <Row label="Principal" value={s.principalArn} mono />
      <Row label="Role" value={s.roleArn} mono />
      <Row label="Session name" value={s.sessionName} />
      <Row label="Source IP" value={s.sourceIp} mono />
      <Row label="User agent" value={s.userAgent} />
      <Row label="Events" value={s.events.toLocaleString('en-US')} />
      <Row label="First seen" value={time(s.firstSeen)} />
      <Row label="Last seen" value={time(s.lastSeen)} />
      <Row label="Accounts" value={s.accounts.join(', ') || null} mono />
      <Row label="Regions" value={s.regions.join(', ') || null} />
      <Row label="Chain depth" value={String(s.depth)} />
    </>
  );
}

export function NodeDetails(p: NodeDetailsProps) {
  const { node, session } = p;
  const pivot = PIVOT_KIND[node.kind];
  return (
    <section className="corr-card node-details" aria-label="Selected node" data-testid="node-details">
      <h2>{node.kind === 'unknown' ? node.label : `${node.kind === 'session' ? 'Session' : node.kind[0]?.toUpperCase() + node.kind.slice(1)}`}</h2>
      <dl className="kv">
        {session ? <SessionRows s={session} /> : <Row label="Value" value={node.value ?? node.sub} mono />}
        {!session && node.kind !== 'unknown' ? <Row label="Note" value={node.sub} /> : null}
      </dl>
      <div className="button-row">
        {session ? (
          <>
            <button type="button" className="btn" onClick={() => p.onFollowSession(session.id)}>Follow this session</button>
            <button type="button" className="btn" onClick={() => p.onShowEvents(session.accessKey)}>Its events</button>
          </>
        ) : null}
        {pivot && node.value ? (
          <button type="button" className="btn" onClick={() => p.onPivot(pivot, node.value ?? '')}>Correlate this</button>
        ) : null}
      </div>
    </section>
  );
}
