/**
 * Lays the chain graph out in columns (pure: nodes and edges in, positions out). Columns keep their
 * order but empty ones close up; inside a column each node sits level with the nodes that lead to
 * it where it can (the mean of their rows), so a chain reads as a straight line and few edges cross.
 * Rows may be fractional: a node fed by rows 0 and 1 sits between them.
 */
import type { GraphEdge, GraphNode } from './graph';

export const NODE_W = 190;
export const NODE_H = 46;
export const GAP_X = 104;
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

/**
 * Rows for one column: each node wants the mean row of its already placed predecessors, nodes are
 * taken in that order and pushed down just enough not to overlap; nodes with no placed predecessor
 * follow the others, in input order.
 */
function placeColumn(col: readonly GraphNode[], preds: ReadonlyMap<string, readonly string[]>, rows: Map<string, number>): void {
  const wanted = col.map((n, i) => {
    const known = (preds.get(n.id) ?? []).map((p) => rows.get(p)).filter((r): r is number => r !== undefined);
    return { n, i, want: known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : Number.POSITIVE_INFINITY };
  });
  wanted.sort((a, b) => a.want - b.want || a.i - b.i);
  let next = 0;
  for (const w of wanted) {
    const row = Number.isFinite(w.want) ? Math.max(next, w.want) : next;
    rows.set(w.n.id, row);
    next = row + 1;
  }
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
  const columns = columnsOf(nodes);
  const preds = new Map<string, string[]>();
  for (const e of edges) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  const rows = new Map<string, number>();
  for (const col of columns) placeColumn(col, preds, rows);
  const pitch = NODE_H + GAP_Y;
  const placed = new Map<string, PlacedNode>();
  columns.forEach((col, ci) => {
    for (const n of col) placed.set(n.id, { ...n, x: PAD + ci * (NODE_W + GAP_X), y: PAD + (rows.get(n.id) ?? 0) * pitch });
  });
  const placedEdges: PlacedEdge[] = [];
  for (const e of edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (a && b) placedEdges.push({ ...e, ...edgePath(a, b) });
  }
  const lastRow = Math.max(-1, ...rows.values());
  return {
    nodes: [...placed.values()],
    edges: placedEdges,
    width: columns.length === 0 ? 0 : PAD * 2 + columns.length * NODE_W + (columns.length - 1) * GAP_X,
    height: lastRow < 0 ? 0 : PAD * 2 + (lastRow + 1) * pitch - GAP_Y,
  };
}
