/**
 * Lays the chain graph out in columns (pure: nodes and edges in, positions out). Columns keep their
 * order but empty ones close up; inside a column nodes sit in the order of the nodes that lead to
 * them (barycentre of their predecessors), which keeps most edges from crossing; short columns are
 * centred against the tallest one.
 */
import type { GraphEdge, GraphNode } from './graph';

export const NODE_W = 200;
export const NODE_H = 46;
export const GAP_X = 120;
export const GAP_Y = 16;
export const PAD = 16;

export interface PlacedNode extends GraphNode {
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge extends GraphEdge {
  /** SVG path from the right side of `from` to the left side of `to`. */
  readonly d: string;
  readonly labelX: number;
  readonly labelY: number;
}

export interface Layout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

function columnsOf(nodes: readonly GraphNode[]): GraphNode[][] {
  const cols = [...new Set(nodes.map((n) => n.column))].sort((a, b) => a - b);
  return cols.map((c) => nodes.filter((n) => n.column === c));
}

/** Orders each column by the mean row of its nodes' predecessors, left to right. */
function orderColumns(columns: GraphNode[][], edges: readonly GraphEdge[]): GraphNode[][] {
  const row = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of edges) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  return columns.map((col) => {
    const keyed = col.map((n, i) => {
      const known = (preds.get(n.id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined);
      return { n, i, k: known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : Number.POSITIVE_INFINITY };
    });
    keyed.sort((a, b) => a.k - b.k || a.i - b.i);
    keyed.forEach((x, r) => row.set(x.n.id, r));
    return keyed.map((x) => x.n);
  });
}

function edgePath(a: PlacedNode, b: PlacedNode): { d: string; labelX: number; labelY: number } {
  const forward = b.x > a.x;
  const x1 = forward ? a.x + NODE_W : a.x + NODE_W / 2;
  const y1 = forward ? a.y + NODE_H / 2 : a.y + NODE_H;
  const x2 = forward ? b.x : b.x + NODE_W / 2;
  const y2 = forward ? b.y + NODE_H / 2 : b.y;
  const bend = forward ? Math.max(40, (x2 - x1) / 2) : 0;
  const d = forward ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` : `M${x1},${y1} L${x2},${y2}`;
  return { d, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 };
}

export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Layout {
  const columns = orderColumns(columnsOf(nodes), edges);
  const tallest = columns.reduce((m, c) => Math.max(m, c.length), 0);
  const pitch = NODE_H + GAP_Y;
  const placed = new Map<string, PlacedNode>();
  columns.forEach((col, ci) => {
    const offset = ((tallest - col.length) * pitch) / 2;
    col.forEach((n, ri) => placed.set(n.id, { ...n, x: PAD + ci * (NODE_W + GAP_X), y: PAD + offset + ri * pitch }));
  });
  const placedEdges: PlacedEdge[] = [];
  for (const e of edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (a && b) placedEdges.push({ ...e, ...edgePath(a, b) });
  }
  return {
    nodes: [...placed.values()],
    edges: placedEdges,
    width: columns.length === 0 ? 0 : PAD * 2 + columns.length * NODE_W + (columns.length - 1) * GAP_X,
    height: tallest === 0 ? 0 : PAD * 2 + tallest * pitch - GAP_Y,
  };
}
