/** Paging arithmetic for the virtualised table: which pages cover a range of rows. */
export const PAGE_SIZE = 200;

export function pagesFor(first: number, last: number, total: number | null, pageSize = PAGE_SIZE): number[] {
  if (last < first) return [];
  const max = total === null ? Infinity : Math.max(0, Math.ceil(total / pageSize) - 1);
  const out: number[] = [];
  for (let p = Math.max(0, Math.floor(first / pageSize)); p <= Math.floor(last / pageSize) && p <= max; p++) out.push(p);
  return out;
}

export function rangeText(first: number, last: number, total: number): string {
  if (total === 0) return '0 of 0';
  const a = Math.min(first + 1, total);
  const b = Math.min(last + 1, total);
  return `${a.toLocaleString('en-US')}–${b.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}

/**
 * Browsers cap an element's height (~33 M px in Chromium), so a table of millions of rows cannot be one
 * scrollable block. The table shows a window of at most WINDOW_ROWS rows starting at `base` and slides
 * it by WINDOW_STEP when the viewport nears either edge; the caption counts rows in the whole result.
 */
export const WINDOW_ROWS = 200_000;
export const WINDOW_STEP = 100_000;
const EDGE_ROWS = 2_000;

/** The window start after the viewport (window-local `first`..`last`) moved; unchanged when not near an edge. */
export function slideWindow(base: number, total: number, first: number, last: number, rows = WINDOW_ROWS, step = WINDOW_STEP, edge = EDGE_ROWS): number {
  const count = Math.min(rows, Math.max(0, total - base));
  if (last >= count - edge && base + count < total) return Math.min(base + step, Math.max(0, total - rows));
  if (first <= edge && base > 0) return Math.max(0, base - step);
  return base;
}

/** A window start that contains `index` (global), keeping the current one when it already does. */
export function windowFor(base: number, index: number, total: number, rows = WINDOW_ROWS): number {
  if (index >= base && index < base + rows) return base;
  return Math.max(0, Math.min(index - Math.floor(rows / 2), total - rows));
}
