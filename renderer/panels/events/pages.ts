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
