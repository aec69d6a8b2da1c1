/**
 * The chain drawn as SVG React elements: labels are <text> children (never innerHTML), each node is
 * a focusable button with its full value in a <title>. Positions come from layout.ts.
 */
import type { KeyboardEvent } from 'react';
import { NODE_H, NODE_W, type Layout, type PlacedNode } from './layout';

export interface ChainGraphProps {
  readonly layout: Layout;
  readonly selectedId: string | null;
  onSelect(node: PlacedNode): void;
}

/** Fits `text` into `max` characters; ARN-like text keeps its end, the most specific part. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.includes('/') ? `…${text.slice(text.length - max + 1)}` : `${text.slice(0, max - 1)}…`;
}

const KIND_TITLE: Readonly<Record<PlacedNode['kind'], string>> = {
  actor: 'Actor',
  unknown: 'Unknown',
  key: 'Access key',
  session: 'Session',
  role: 'Role',
  account: 'Account',
  created: 'Created',
};

export function ChainGraph({ layout, selectedId, onSelect }: ChainGraphProps) {
  const onKey = (e: KeyboardEvent<SVGGElement>, n: PlacedNode): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(n);
    }
  };
  return (
    <svg className="chain-svg" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label="Credential chain" data-testid="chain-graph">
      <defs>
        <marker id="chain-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" className="chain-arrowhead" />
        </marker>
        {/* Node text stops at the box's edge, whatever the characters (log values are arbitrary). */}
        <clipPath id="chain-node-clip">
          <rect x={0} y={0} width={NODE_W - 10} height={NODE_H} />
        </clipPath>
      </defs>
      {layout.edges.map((e) => (
        <g key={e.id} className={`chain-edge${e.unknown ? ' unknown' : ''}`} data-testid="chain-edge">
          <path d={e.d} markerEnd="url(#chain-arrow)" />
          <text x={e.labelX} y={e.labelY - 4} textAnchor="middle" className="chain-edge-label">{e.label}</text>
        </g>
      ))}
      {layout.nodes.map((n) => (
        <g
          key={n.id}
          transform={`translate(${n.x},${n.y})`}
          className={`chain-node kind-${n.kind}${n.id === selectedId ? ' selected' : ''}${n.asked ? ' asked' : ''}`}
          role="button"
          tabIndex={0}
          aria-label={`${KIND_TITLE[n.kind]} ${n.value ?? n.label}`}
          aria-pressed={n.id === selectedId}
          data-node-id={n.id}
          onClick={() => onSelect(n)}
          onKeyDown={(e) => onKey(e, n)}
        >
          <title>{`${KIND_TITLE[n.kind]}: ${n.value ?? n.label}`}</title>
          <rect width={NODE_W} height={NODE_H} rx={6} />
          <g clipPath="url(#chain-node-clip)">
            <text x={10} y={19} className="chain-node-label">{clip(n.label, 26)}</text>
            <text x={10} y={36} className="chain-node-sub">{clip(n.sub, 30)}</text>
          </g>
        </g>
      ))}
    </svg>
  );
}
