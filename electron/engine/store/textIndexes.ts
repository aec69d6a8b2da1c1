/**
 * The text indexes of `ev` (event_id, and shared_event_id where it is not NULL) built from the
 * texts' UTF-8 bytes packed into one buffer, so that they can be built on a worker (offThread.ts)
 * and moved into the `ev` file like the integer ones. Packing is one pass here; sorting ten million
 * event ids and writing their entries took ~20 s of the main thread at ten million events, where
 * each string lives somewhere in a heap of gigabytes.
 *
 * Only entries that can never overflow a page may move (see image/movedIndex.ts): when a text is
 * longer than MAX_PACKED_BYTES (a hostile eventID), packTexts declines and the index is written
 * on the main thread as before.
 */
import { orderByNumber } from './image/order';
import { indexStat } from './image/image';
import { type BuiltTree, builtTree } from './image/movedIndex';
import { IndexBuilder, PageFile } from './image/pages';
import { INT_BYTES, equalBytes, intSerialType, putInt, putVarint, varintLength } from './image/record';
import type { PackedTexts } from './packedTexts';

export { MAX_PACKED_BYTES, type PackedTexts, packTexts } from './packedTexts';

/** Rows whose text positions are read ahead together (see buildTextIndex). */
const GATHER = 256;

/** Rows with a text, ordered by BINARY collation (bytes, shorter first), ties by row. */
export function orderPacked(p: PackedTexts): Uint32Array {
  const { bytes, starts, lengths } = p;
  let n = 0;
  for (let r = 0; r < p.count; r++) if ((lengths[r] as number) >= 0) n++;
  const rows = new Uint32Array(n);
  n = 0;
  for (let r = 0; r < p.count; r++) if ((lengths[r] as number) >= 0) rows[n++] = r;
  // The first six bytes as a number (zero-padded: a tie on it is settled by the full comparison).
  const keys = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const s = starts[r] as number;
    const n = lengths[r] as number;
    let key = 0;
    for (let k = 0; k < 6; k++) key = key * 256 + (k < n ? (bytes[s + k] as number) : 0);
    keys[i] = key;
  });
  const byKey = orderByNumber(rows.length, (i) => keys[i] as number);
  const out = new Uint32Array(rows.length);
  for (let i = 0; i < out.length; i++) out[i] = rows[byKey[i] as number] as number;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const cmp = (a: number, b: number): number => {
    const sa = starts[a] as number;
    const sb = starts[b] as number;
    return buf.compare(buf, sb, sb + (lengths[b] as number), sa, sa + (lengths[a] as number)) || a - b;
  };
  for (let i = 0; i < out.length; ) {
    const key = keys[byKey[i] as number];
    let j = i + 1;
    while (j < out.length && keys[byKey[j] as number] === key) j++;
    if (j - i > 1) out.subarray(i, j).sort(cmp);
    i = j;
  }
  return out;
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

/** The index (text, rowid) of `p`, rowid = row + 1, in a file of its own. */
export function buildTextIndex(p: PackedTexts, pageSize: number): BuiltTree & { readonly stat: string | null } {
  const file = new PageFile(pageSize);
  const b = new IndexBuilder(file);
  const order = orderPacked(p);
  const distinct = packedEntries(b, p, order);
  return { stat: indexStat(order.length, [distinct]), ...builtTree(file, b.finish()) };
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
