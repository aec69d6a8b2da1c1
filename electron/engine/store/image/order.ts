/**
 * Orders rows the way SQLite's index b-trees do, without a comparison sort where the keys allow:
 * time by radix sort, dictionary ids by counting sort (stable, so ties keep the order they came in),
 * text by BINARY collation (UTF-8 byte order).
 */

/**
 * Row numbers 0..n-1 ordered by `key(row)` ascending, ties by row number. Integer keys use an LSD
 * radix sort on 16-bit digits of (key - min); anything else falls back to a comparison sort.
 */
export function orderByNumber(n: number, key: (row: number) => number): Uint32Array {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let r = 0; r < n; r++) {
    const k = key(r);
    if (k < min) min = k;
    if (k > max) max = k;
    if (integral && !Number.isInteger(k)) integral = false;
  }
  if (n === 0) return new Uint32Array(0);
  if (!integral || max - min >= 2 ** 48) {
    return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
  }
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const d = key(r) - min;
    hi[r] = Math.floor(d / 4294967296);
    lo[r] = d >>> 0;
  }
  let order = Uint32Array.from({ length: n }, (_, i) => i);
  let tmp = new Uint32Array(n);
  const count = new Uint32Array(65537);
  const passes: [Uint32Array, number][] = [[lo, 0], [lo, 16], [hi, 0]];
  for (const [words, shift] of passes) {
    if (words === hi && max - min < 4294967296) break;
    count.fill(0);
    for (let i = 0; i < n; i++) (count[(((words[order[i] as number] as number) >>> shift) & 0xffff) + 1] as number)++;
    for (let d = 0; d < 65536; d++) count[d + 1] = (count[d + 1] as number) + (count[d] as number);
    for (let i = 0; i < n; i++) {
      const r = order[i] as number;
      const d = ((words[r] as number) >>> shift) & 0xffff;
      tmp[count[d] as number] = r;
      count[d] = (count[d] as number) + 1;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

/**
 * A stable counting sort of `rows` by a small non-negative integer key (a dictionary id; the
 * caller maps NULL to 0 so it sorts first). Rows whose key is negative are left out.
 */
export function orderById(rows: Uint32Array, key: (row: number) => number, maxKey: number): Uint32Array {
  const count = new Uint32Array(maxKey + 2);
  let kept = 0;
  for (let i = 0; i < rows.length; i++) {
    const k = key(rows[i] as number);
    if (k < 0) continue;
    (count[k + 1] as number)++;
    kept++;
  }
  for (let k = 0; k <= maxKey; k++) count[k + 1] = (count[k + 1] as number) + (count[k] as number);
  const out = new Uint32Array(kept);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const k = key(r);
    if (k < 0) continue;
    out[count[k] as number] = r;
    count[k] = (count[k] as number) + 1;
  }
  return out;
}

/** UTF-16 code units order strings like UTF-8 bytes do, except surrogates against U+E000–U+FFFF. */
const OUTSIDE_UTF16_ORDER = /[\uD800-\uFFFF]/;

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
 * Rows (given in ascending order) ordered by `text(row)` in BINARY collation, ties by row; rows
 * whose text is null are left out. A radix sort on the first six characters does most of the work
 * (event ids are random, so their prefixes rarely tie); runs of equal prefixes are then sorted by
 * comparison. Text with a character above U+00FF in its first six takes the comparison sort throughout.
 */
export function orderByText(rows: Iterable<number>, text: (row: number) => string | null): ArrayLike<number> {
  const kept: number[] = [];
  let slow = false;
  let bytes = true;
  for (const r of rows) {
    const s = text(r);
    if (s === null) continue;
    kept.push(r);
    if (!slow && OUTSIDE_UTF16_ORDER.test(s)) slow = true;
  }
  const cmp = slow
    ? (a: number, b: number): number => compareUtf8(text(a) as string, text(b) as string) || a - b
    : (a: number, b: number): number => {
        const x = text(a) as string;
        const y = text(b) as string;
        return x < y ? -1 : x > y ? 1 : a - b;
      };
  const keys = new Float64Array(kept.length);
  for (let i = 0; i < kept.length && bytes; i++) {
    keys[i] = prefixKey(text(kept[i] as number) as string);
    if ((keys[i] as number) < 0) bytes = false;
  }
  if (!bytes) return kept.sort(cmp);
  const byPrefix = orderByNumber(kept.length, (i) => keys[i] as number);
  const out = new Uint32Array(kept.length);
  for (let i = 0; i < kept.length; i++) out[i] = kept[byPrefix[i] as number] as number;
  for (let i = 0; i < out.length; ) {
    const key = keys[byPrefix[i] as number];
    let j = i + 1;
    while (j < out.length && keys[byPrefix[j] as number] === key) j++;
    if (j - i > 1) out.subarray(i, j).sort(cmp);
    i = j;
  }
  return out;
}
