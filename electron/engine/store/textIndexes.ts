/**
 * The text indexes of `ev` (event_id, and shared_event_id where it is not NULL) built from the
 * texts' UTF-8 bytes packed into one buffer, so that they can be built on a worker (offThread.ts)
 * and moved into the `ev` file like the integer ones. Packing is one pass here; sorting ten million
 * event ids and writing their entries took ~20 s of the main thread at ten million events, where
 * each string lives somewhere in a heap of gigabytes.
 *
 * Only entries that can never overflow a page may move (see image/movedIndex.ts): when a text is
 * longer than MAX_PACKED_BYTES (a hostile eventID), `movable` says no and the index is written on
 * the main thread as before (bulkImage.ts).
 */
import { insertionSort, orderByNumber } from './image/order';
import { indexStat } from './image/image';
import { type BuiltTree, builtTree } from './image/movedIndex';
import { IndexBuilder, PageFile } from './image/pages';
import { INT_BYTES, equalBytes, intSerialType, putInt, putVarint, varintLength } from './image/record';
import type { PackedTexts } from './packedTexts';
import { reassigned } from './reassigned';
import { UUID_LENGTH, type UuidRows, orderUuids, uuidEntries, uuidRows } from './uuidTexts';

export { MAX_PACKED_BYTES, type PackedTexts, packTexts } from './packedTexts';

/** Rows whose text positions are read ahead together (see buildTextIndex). */
const GATHER = 256;

/** Runs longer than this are split by a radix sort on their next six bytes; shorter ones are compared. */
const RADIX_RUN = 2048;

/**
 * Rows with a text, ordered by BINARY collation (bytes, shorter first), ties by row. A radix sort
 * on six bytes at a time splits long runs of texts that agree so far (MSD), skipping first the bytes
 * all texts of the run share; short runs are sorted by a multikey quicksort from where they may
 * differ (RunSorter.compare). A dictionary's texts share long prefixes (at a million events, 178,000 of its 258,000
 * strings begin `arn:aws:s3:::`): a radix sort of the first six bytes and a comparison sort of each
 * tie took 400–520 ms on them, and the engine's string comparison on the strings 250–300 ms
 * (timing script).
 */
export function orderPacked(p: PackedTexts): Uint32Array {
  const out = rowsWithText(p);
  const s = new RunSorter(p, out);
  // Runs [from, to) whose texts agree on their first `at` bytes. Each step is a function of its own:
  // a loop that first runs for hundreds of thousands of rows is optimised while it runs (OSR), and
  // in one function, the steps reached only after that deoptimised it again (19 compiles of this
  // function per million-event import, ~190 ms of the compiler's time, --trace-opt).
  const runs: number[] = [0, out.length, 0];
  while (runs.length > 0) {
    const at = runs.pop() as number;
    const to = runs.pop() as number;
    const from = runs.pop() as number;
    if (to - from <= RADIX_RUN) s.compare(from, to, at);
    else s.radix(from, to, at, runs);
  }
  return out;
}

/** The rows of `p` that have a text (length >= 0), in row order. */
function rowsWithText(p: PackedTexts): Uint32Array {
  const lengths = p.lengths;
  let n = 0;
  for (let r = 0; r < p.count; r++) if ((lengths[r] as number) >= 0) n++;
  const out = new Uint32Array(n);
  n = 0;
  for (let r = 0; r < p.count; r++) if ((lengths[r] as number) >= 0) out[n++] = r;
  return out;
}

/** The steps of orderPacked over its rows `out`, sorted in place run by run. */
class RunSorter {
  private readonly bytes: Uint8Array;
  private readonly starts: Uint32Array;
  private readonly lengths: Int32Array;
  /** Bytes before `depth` are equal in the run being compared. */
  private depth = 0;
  private readonly cmp: (a: number, b: number) => number;
  // Scratch for the longest run (the first: every row).
  private keys = new Float64Array(0);
  private scratch = new Uint32Array(0);
  private sortedKeys = new Float64Array(0);
  /** Runs still to sort by compare: (from, to, depth) triples. */
  private readonly stack: number[] = [];

  constructor(
    p: PackedTexts,
    private readonly out: Uint32Array,
  ) {
    const { bytes, starts, lengths } = p;
    this.bytes = bytes;
    this.starts = starts;
    this.lengths = lengths;
    this.cmp = (a, b) => {
      const sa = starts[a] as number;
      const sb = starts[b] as number;
      const la = lengths[a] as number;
      const lb = lengths[b] as number;
      const m = la < lb ? la : lb;
      for (let k = this.depth; k < m; k++) {
        const d = (bytes[sa + k] as number) - (bytes[sb + k] as number);
        if (d !== 0) return d;
      }
      return la - lb || a - b;
    };
    reassigned(this, ['keys', 'scratch', 'sortedKeys']);
  }

  /**
   * Sorts rows [from, to), whose texts agree on their first `depth` bytes: a multikey quicksort
   * (Bentley and Sedgewick), which partitions the rows three ways on one byte and goes on to the
   * next byte only with the rows equal on it, so no byte of a shared prefix is compared twice; runs
   * of up to 16 rows are sorted by comparing whole texts. Equal texts come out by row. A dictionary's
   * texts share long prefixes: sorting each run by comparing texts (TypedArray sort with this
   * comparator) was half of its sort (profile of the dictionary's job alone).
   */
  compare(from: number, to: number, depth: number): void {
    const { out, bytes, starts, lengths } = this;
    const stack = this.stack;
    stack.push(from, to, depth);
    while (stack.length > 0) {
      const d = stack.pop() as number;
      const hi = stack.pop() as number;
      const lo = stack.pop() as number;
      if (hi - lo <= 16) {
        this.depth = d;
        insertionSort(out, lo, hi, this.cmp);
        continue;
      }
      const pivot = median3(this.byteAt(out[lo] as number, d), this.byteAt(out[(lo + hi) >>> 1] as number, d), this.byteAt(out[hi - 1] as number, d));
      let lt = lo;
      let gt = hi;
      let i = lo;
      while (i < gt) {
        const r = out[i] as number;
        const c = d < (lengths[r] as number) ? (bytes[(starts[r] as number) + d] as number) : -1;
        if (c < pivot) {
          out[i++] = out[lt] as number;
          out[lt++] = r;
        } else if (c > pivot) {
          out[i] = out[--gt] as number;
          out[gt] = r;
        } else i++;
      }
      if (lt - lo > 1) stack.push(lo, lt, d);
      if (hi - gt > 1) stack.push(gt, hi, d);
      // Rows whose texts end at d are equal: by row. Others go on to the next byte.
      if (pivot < 0) out.subarray(lt, gt).sort();
      else if (gt - lt > 1) stack.push(lt, gt, d + 1);
    }
  }

  /** Byte `d` of row r's text, -1 past its end. */
  private byteAt(r: number, d: number): number {
    return d < (this.lengths[r] as number) ? (this.bytes[(this.starts[r] as number) + d] as number) : -1;
  }

  /**
   * Orders rows [from, to), whose texts agree on their first `at` bytes, by the six bytes after
   * those all of them share, and pushes onto `runs` each run of equal keys to split further.
   */
  radix(from: number, to: number, at: number, runs: number[]): void {
    const d = at + this.sharedBytes(from, to, at);
    const len = to - from;
    if (this.keys.length < len) {
      this.keys = new Float64Array(len);
      this.scratch = new Uint32Array(len);
      this.sortedKeys = new Float64Array(len);
    }
    this.keysAt(from, len, d);
    const order = orderByNumber(len, this.keys);
    this.gather(from, len, order);
    this.out.set(this.scratch.subarray(0, len), from);
    this.splitRuns(from, len, d, runs);
  }

  /** How many bytes from `at` on every text of rows [from, to) shares. */
  private sharedBytes(from: number, to: number, at: number): number {
    const { out, bytes, starts, lengths } = this;
    const f = out[from] as number;
    const fs = starts[f] as number;
    let shared = (lengths[f] as number) - at;
    for (let i = from + 1; i < to && shared > 0; i++) {
      const r = out[i] as number;
      const rs = starts[r] as number;
      const m = Math.min(shared, (lengths[r] as number) - at);
      let k = 0;
      while (k < m && bytes[fs + at + k] === bytes[rs + at + k]) k++;
      shared = k;
    }
    return Math.max(0, shared);
  }

  /** keys[i]: the six bytes from `d` of row out[from + i]'s text as a number, zero past its end. */
  private keysAt(from: number, len: number, d: number): void {
    const { out, bytes, starts, lengths, keys } = this;
    for (let i = 0; i < len; i++) {
      const r = out[from + i] as number;
      const s = (starts[r] as number) + d;
      const left = (lengths[r] as number) - d;
      let key = 0;
      for (let k = 0; k < 6; k++) key = key * 256 + (k < left ? (bytes[s + k] as number) : 0);
      keys[i] = key;
    }
  }

  /** The rows and their keys in `order`, into scratch and sortedKeys. */
  private gather(from: number, len: number, order: Uint32Array): void {
    const { out, keys, scratch, sortedKeys } = this;
    for (let i = 0; i < len; i++) {
      const o = order[i] as number;
      scratch[i] = out[from + o] as number;
      sortedKeys[i] = keys[o] as number;
    }
  }

  /**
   * Each run of equal keys is split further when all its texts go on past these six bytes, and
   * compared when one ends within them (it ties with a text that has zero bytes there).
   */
  private splitRuns(from: number, len: number, d: number, runs: number[]): void {
    const { lengths, scratch, sortedKeys } = this;
    for (let i = 0; i < len; ) {
      const key = sortedKeys[i] as number;
      let j = i + 1;
      let ends = (lengths[scratch[i] as number] as number) < d + 6;
      while (j < len && sortedKeys[j] === key) {
        if ((lengths[scratch[j] as number] as number) < d + 6) ends = true;
        j++;
      }
      if (j - i > 1) {
        if (!ends) runs.push(from + i, from + j, d + 6);
        else this.compare(from + i, from + j, d);
      }
      i = j;
    }
  }
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/**
 * Where the texts of rows `order[from..from + GATHER)` are, and their first bytes. Entries come in
 * text order and rows in any order, so each entry's reads miss the cache; reading them for a batch
 * in a loop with nothing else in it lets the memory system fetch many at once (a third off
 * buildTextIndex, timing script, 1M event ids).
 */
class Gathered {
  readonly starts = new Uint32Array(GATHER);
  readonly lengths = new Int32Array(GATHER);
  readonly first = new Uint8Array(GATHER);

  read(p: PackedTexts, order: Uint32Array, from: number): void {
    for (let k = 0; k < GATHER && from + k < order.length; k++) {
      const row = order[from + k] as number;
      const at = p.starts[row] as number;
      this.starts[k] = at;
      this.lengths[k] = p.lengths[row] as number;
      this.first[k] = p.bytes[at] as number;
    }
  }
}

/**
 * The index (text, rowid) of `p`, rowid = row + 1, in a file of its own. Texts that are canonical
 * UUIDs (event ids) are ordered and written from their bits (uuidTexts.ts), the others as packed
 * bytes, and the two merged.
 */
export function buildTextIndex(p: PackedTexts, pageSize: number): BuiltTree & { readonly stat: string | null } {
  const file = new PageFile(pageSize);
  const b = new IndexBuilder(file);
  const u = uuidRows(p);
  let entries: number;
  let distinct: number;
  if (u.rows.length === 0) {
    const order = orderPacked(p);
    entries = order.length;
    distinct = packedEntries(b, p, order);
  } else {
    const order = orderUuids(u);
    const others = u.others > 0 ? orderPacked(withoutRows(p, u.rows)) : new Uint32Array(0);
    entries = order.length + others.length;
    distinct = mergedEntries(b, p, u, order, others);
  }
  return { stat: indexStat(entries, [distinct]), ...builtTree(file, b.finish()) };
}

/** `p` with the texts of `rows` left out (NULL). */
function withoutRows(p: PackedTexts, rows: Uint32Array): PackedTexts {
  const lengths = p.lengths.slice(0, p.count);
  for (let i = 0; i < rows.length; i++) lengths[rows[i] as number] = -1;
  return { count: p.count, bytes: p.bytes, starts: p.starts, lengths };
}

/**
 * Writes the UUID rows in `order` and the other rows in `others` (each in index order) merged, into
 * `b`; returns how many distinct texts they hold. Each other text goes before the first UUID text
 * above it, found by binary search (a UUID text never equals another text); other texts that go to
 * the same place are written together, so equal ones are counted once.
 */
function mergedEntries(b: IndexBuilder, p: PackedTexts, u: UuidRows, order: Uint32Array, others: Uint32Array): number {
  const { bytes, starts, lengths } = p;
  const spare = new Uint8Array(64);
  /** Whether the UUID text at order[i] sorts above the text of row r. */
  const above = (i: number, r: number): boolean => {
    const us = starts[u.rows[order[i] as number] as number] as number;
    const rs = starts[r] as number;
    const rl = lengths[r] as number;
    const m = Math.min(rl, UUID_LENGTH);
    for (let k = 0; k < m; k++) {
      const d = (bytes[us + k] as number) - (bytes[rs + k] as number);
      if (d !== 0) return d > 0;
    }
    return UUID_LENGTH > rl;
  };
  let distinct = 0;
  let done = 0;
  for (let j = 0; j < others.length; ) {
    const r = others[j] as number;
    let lo = done;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (above(mid, r)) hi = mid;
      else lo = mid + 1;
    }
    distinct += uuidEntries(b, u, order, done, lo, spare);
    done = lo;
    let k = j + 1;
    while (k < others.length && (done === order.length || above(done, others[k] as number))) k++;
    distinct += packedEntries(b, p, others.subarray(j, k));
    j = k;
  }
  return distinct + uuidEntries(b, u, order, done, order.length, spare);
}

/**
 * Writes the entries (text, rowid = row + 1) of the rows of `p` in `order` (text order) into `b`;
 * returns how many distinct texts they hold.
 */
export function packedEntries(b: IndexBuilder, p: PackedTexts, order: Uint32Array): number {
  let spare = new Uint8Array(128);
  const bytes = p.bytes;
  const g = new Gathered();
  let distinct = 0;
  let prevStart = 0;
  let prevLength = -1;
  for (let i = 0; i < order.length; i++) {
    const j = i % GATHER;
    if (j === 0) g.read(p, order, i);
    const n = g.lengths[j] as number;
    const s = g.starts[j] as number;
    if (n !== prevLength || !equalBytes(bytes, s, bytes, prevStart, n)) distinct++;
    prevStart = s;
    prevLength = n;
    const rowid = (order[i] as number) + 1;
    const textType = 13 + 2 * n;
    const itype = intSerialType(rowid);
    const width = INT_BYTES[itype] as number;
    const hsize = 1 + varintLength(textType) + 1;
    const size = hsize + n + width;
    // Straight into the leaf page when it has room (most entries), else through `add`.
    const direct = b.reserve(size);
    if (direct < 0 && size > spare.length) spare = new Uint8Array(size);
    const out = direct < 0 ? spare : b.leafBytes;
    const start = direct < 0 ? 0 : direct;
    out[start] = hsize;
    let at = putVarint(out, start + 1, textType);
    out[at++] = itype;
    if (n > 0) out[at] = g.first[j] as number;
    for (let k = 1; k < n; k++) out[at + k] = bytes[s + k] as number;
    at += n;
    if (width > 0) putInt(out, at, rowid, width);
    if (direct < 0) b.add(spare, size);
  }
  return distinct;
}
