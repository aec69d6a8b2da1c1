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
 * radix sort on 16-bit digits of (key - min), two passes or three; anything else falls back to a
 * comparison sort. Each pass carries the key's words along with the row, so that every pass reads
 * its input in sequence: reading each row's key through the order instead (a cache miss per row
 * and pass once the keys outgrow the cache) took 1.4 s for ten million times, against 60 ms for a
 * million (timing script). The digits' counts are all taken in one pass first. The keys come as an
 * array, not a function, and each loop is a function of its own: one caller's key function made
 * the optimised code wrong for the next caller, and code optimised while its first loop ran
 * (on-stack replacement) was thrown away at each later part it had not yet seen (26 and 54
 * deoptimisations per million-event import, --trace-deopt). With `sorted`, the keys are also written
 * there in that order (worked out from the words the last pass carries, not read again row by row).
 */
export function orderByNumber(n: number, keys: Float64Array, arena?: Arena, sorted?: Float64Array): Uint32Array {
  if (n === 0) return new Uint32Array(0);
  const min = minKey(keys, n);
  const max = maxKey(keys, n);
  if (!integral(keys, n) || max - min >= 2 ** 48) {
    const order = identity(n).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
    if (sorted) for (let i = 0; i < n; i++) sorted[i] = keys[order[i] as number] as number;
    return order;
  }
  const wide = max - min >= 4294967296;
  const count = u32(arena, 3 * 65536);
  countDigits(keys, n, min, count);
  const lo = u32(arena, n);
  const hi = wide ? u32(arena, n) : null;
  const order = u32(arena, n);
  firstPass(keys, n, min, count, lo, hi, order);
  const next = u32(arena, n);
  if (!hi) {
    lastLowPass(lo, order, n, count, next, min, sorted);
    return next;
  }
  const nextHi = u32(arena, n);
  const nextLo = sorted ? u32(arena, n) : null;
  middlePass(lo, hi, order, n, count, nextHi, next, nextLo);
  highPass(nextHi, next, n, count, order, min, nextLo, sorted);
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

/**
 * Counts each 16-bit digit of (key - min), digit d's in count[d · 65536, (d + 1) · 65536), then
 * turns each count into where the digit's run starts.
 */
function countDigits(keys: Float64Array, n: number, min: number, count: Uint32Array): void {
  for (let r = 0; r < n; r++) {
    const d = (keys[r] as number) - min;
    const lo = d >>> 0;
    (count[lo & 0xffff] as number)++;
    (count[65536 + (lo >>> 16)] as number)++;
    (count[131072 + (Math.floor(d / 4294967296) & 0xffff)] as number)++;
  }
  for (let base = 0; base < 3 * 65536; base += 65536) {
    let at = 0;
    for (let k = base; k < base + 65536; k++) {
      const c = count[k] as number;
      count[k] = at;
      at += c;
    }
  }
}

/** Rows in row order, by the lowest digit, into (lo, hi, order): each row's words go with it. */
function firstPass(keys: Float64Array, n: number, min: number, count: Uint32Array, lo: Uint32Array, hi: Uint32Array | null, order: Uint32Array): void {
  for (let r = 0; r < n; r++) {
    const d = (keys[r] as number) - min;
    const low = d >>> 0;
    const at = count[low & 0xffff] as number;
    count[low & 0xffff] = at + 1;
    lo[at] = low;
    if (hi) hi[at] = Math.floor(d / 4294967296);
    order[at] = r;
  }
}

/** The second digit, when it is the last: the rows go on (and their keys, into `sorted`). */
function lastLowPass(lo: Uint32Array, order: Uint32Array, n: number, count: Uint32Array, out: Uint32Array, min: number, sorted: Float64Array | undefined): void {
  for (let i = 0; i < n; i++) {
    const low = lo[i] as number;
    const k = 65536 + (low >>> 16);
    const at = count[k] as number;
    count[k] = at + 1;
    out[at] = order[i] as number;
    if (sorted) sorted[at] = min + low;
  }
}

/** The second digit, before the third: the high words go on with the rows (and the low ones, for `sorted`). */
function middlePass(lo: Uint32Array, hi: Uint32Array, order: Uint32Array, n: number, count: Uint32Array, outHi: Uint32Array, out: Uint32Array, outLo: Uint32Array | null): void {
  for (let i = 0; i < n; i++) {
    const low = lo[i] as number;
    const k = 65536 + (low >>> 16);
    const at = count[k] as number;
    count[k] = at + 1;
    outHi[at] = hi[i] as number;
    out[at] = order[i] as number;
    if (outLo) outLo[at] = low;
  }
}

/** The third digit: the low 16 bits of the high word. */
function highPass(hi: Uint32Array, order: Uint32Array, n: number, count: Uint32Array, out: Uint32Array, min: number, lo: Uint32Array | null, sorted: Float64Array | undefined): void {
  for (let i = 0; i < n; i++) {
    const high = hi[i] as number;
    const k = 131072 + (high & 0xffff);
    const at = count[k] as number;
    count[k] = at + 1;
    out[at] = order[i] as number;
    if (sorted && lo) sorted[at] = min + high * 4294967296 + (lo[i] as number);
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
