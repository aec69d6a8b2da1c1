/**
 * Orders rows the way SQLite's index b-trees do, without a comparison sort where the keys allow:
 * time by radix sort, dictionary ids by counting sort (stable, so ties keep the order they came in),
 * text by BINARY collation (UTF-8 byte order).
 */

import { type Arena, f64, u32 } from './arena';

function identity(n: number, arena?: Arena): Uint32Array {
  const a = u32(arena, n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Row numbers 0..n-1 ordered by `keys[row]` ascending, ties by row number. Integer keys use an LSD
 * radix sort on 16-bit digits of (key - min); anything else falls back to a comparison sort. The
 * keys come as an array, not a function, and each loop is a function of its own: one caller's key
 * function made the optimised code wrong for the next caller, and code optimised while its first
 * loop ran (on-stack replacement) was thrown away at each later part it had not yet seen (26 and
 * 54 deoptimisations per million-event import, --trace-deopt).
 */
export function orderByNumber(n: number, keys: Float64Array, arena?: Arena): Uint32Array {
  if (n === 0) return new Uint32Array(0);
  const min = minKey(keys, n);
  const max = maxKey(keys, n);
  if (!integral(keys, n) || max - min >= 2 ** 48) {
    return identity(n).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  }
  const lo = u32(arena, n);
  const hi = u32(arena, n);
  splitWords(keys, n, min, lo, hi);
  let order = identity(n, arena);
  let tmp = u32(arena, n);
  const count = u32(arena, 65537);
  radixPass(lo, 0, order, tmp, n, count);
  [order, tmp] = [tmp, order];
  radixPass(lo, 16, order, tmp, n, count);
  [order, tmp] = [tmp, order];
  if (max - min >= 4294967296) {
    radixPass(hi, 0, order, tmp, n, count);
    [order, tmp] = [tmp, order];
  }
  return order;
}

function minKey(keys: Float64Array, n: number): number {
  let min = Infinity;
  for (let r = 0; r < n; r++) min = Math.min(min, keys[r] as number);
  return min;
}

function maxKey(keys: Float64Array, n: number): number {
  let max = -Infinity;
  for (let r = 0; r < n; r++) max = Math.max(max, keys[r] as number);
  return max;
}

function integral(keys: Float64Array, n: number): boolean {
  for (let r = 0; r < n; r++) if (!Number.isInteger(keys[r])) return false;
  return true;
}

/** (key - min) as two 32-bit words, low and high. */
function splitWords(keys: Float64Array, n: number, min: number, lo: Uint32Array, hi: Uint32Array): void {
  for (let r = 0; r < n; r++) {
    const d = (keys[r] as number) - min;
    hi[r] = Math.floor(d / 4294967296);
    lo[r] = d >>> 0;
  }
}

/** One stable counting pass: `order` sorted by the 16 bits of `words` at `shift`, into `out`. */
function radixPass(words: Uint32Array, shift: number, order: Uint32Array, out: Uint32Array, n: number, count: Uint32Array): void {
  count.fill(0);
  for (let i = 0; i < n; i++) (count[(((words[order[i] as number] as number) >>> shift) & 0xffff) + 1] as number)++;
  for (let d = 0; d < 65536; d++) count[d + 1] = (count[d + 1] as number) + (count[d] as number);
  for (let i = 0; i < n; i++) {
    const r = order[i] as number;
    const d = ((words[r] as number) >>> shift) & 0xffff;
    out[count[d] as number] = r;
    count[d] = (count[d] as number) + 1;
  }
}

/**
 * A stable counting sort of `rows` by a small non-negative integer key (a dictionary id; the
 * caller maps NULL to 0 so it sorts first). Rows whose key is negative are left out.
 */
export function orderById(rows: Uint32Array, key: (row: number) => number, maxKey: number, arena?: Arena): Uint32Array {
  const count = u32(arena, maxKey + 2);
  let kept = 0;
  for (let i = 0; i < rows.length; i++) {
    const k = key(rows[i] as number);
    if (k < 0) continue;
    (count[k + 1] as number)++;
    kept++;
  }
  for (let k = 0; k <= maxKey; k++) count[k + 1] = (count[k + 1] as number) + (count[k] as number);
  const out = u32(arena, kept);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const k = key(r);
    if (k < 0) continue;
    out[count[k] as number] = r;
    count[k] = (count[k] as number) + 1;
  }
  return out;
}

function utf8Rank(c: number): number {
  if (c < 0xd800) return c;
  return c < 0xe000 ? c + 0x2000 : c - 0x800;
}

/** BINARY collation (memcmp of UTF-8) of two JS strings. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

/** Sorts the short run a[from..to) in place (most runs of equal prefixes have two or three rows). */
/** Sorts `a[from, to)` by `cmp` in place: for short runs, cheaper than a sort's call. */
export function insertionSort(a: Uint32Array, from: number, to: number, cmp: (x: number, y: number) => number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= from && cmp(a[j] as number, v) > 0) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

/** Order-preserving number of a string's first six code units, or -1 when one of them is not a byte. */
function prefixKey(s: string): number {
  let key = 0;
  for (let i = 0; i < 6; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0;
    if (c > 0xff) return -1;
    key = key * 256 + c;
  }
  return key;
}

/**
 * Rows from..to-1 ordered by `text(row)` in BINARY collation, ties by row; rows whose text is null
 * are left out. A radix sort on the first six characters does most of the work (event ids are
 * random, so their prefixes rarely tie); runs of equal prefixes are then sorted by comparison. Text
 * with a character above U+00FF in its first six takes the comparison sort throughout. Each string
 * is read once here, apart from ties: at ten million rows, touching every string again is seconds.
 */
export function orderByText(from: number, to: number, text: (row: number) => string | null, arena?: Arena): Uint32Array {
  const kept = u32(arena, Math.max(0, to - from));
  const keys = f64(arena, kept.length);
  let n = 0;
  let bytes = true;
  for (let r = from; r < to; r++) {
    const s = text(r);
    if (s === null) continue;
    const key = prefixKey(s);
    if (key < 0) bytes = false;
    kept[n] = r;
    keys[n++] = key;
  }
  const rows = kept.subarray(0, n);
  const cmp = (a: number, b: number): number => compareUtf8(text(a) as string, text(b) as string) || a - b;
  if (!bytes) return Uint32Array.from(Array.from(rows).sort(cmp));
  const byPrefix = orderByNumber(n, keys, arena);
  const out = u32(arena, n);
  for (let i = 0; i < n; i++) out[i] = rows[byPrefix[i] as number] as number;
  // Where no text of a run has a code unit from U+D800 up, UTF-16 order is UTF-8 order, and the
  // engine's own string comparison (a third of the cost of compareUtf8's loop) orders the run.
  const native = (a: number, b: number): number => {
    const x = text(a) as string;
    const y = text(b) as string;
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  for (let i = 0; i < n; ) {
    const key = keys[byPrefix[i] as number];
    let j = i + 1;
    while (j < n && keys[byPrefix[j] as number] === key) j++;
    if (j - i > 1) {
      const c = narrow(out, i, j, text) ? native : cmp;
      if (j - i > 16) out.subarray(i, j).sort(c);
      else insertionSort(out, i, j, c);
    }
    i = j;
  }
  return out;
}

const WIDE = /[\ud800-\uffff]/;

function narrow(rows: Uint32Array, from: number, to: number, text: (row: number) => string | null): boolean {
  for (let k = from; k < to; k++) if (WIDE.test(text(rows[k] as number) as string)) return false;
  return true;
}
