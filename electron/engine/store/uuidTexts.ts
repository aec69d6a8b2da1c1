/**
 * Text index entries for texts that are canonical UUIDs (8-4-4-4-12 lowercase hex digits, as
 * CloudTrail writes its eventIDs), ordered and written from their 128 bits instead of their bytes.
 *
 * Such a text's BINARY order is the order of its four 32-bit words (digits sort below letters in
 * ASCII, and the dashes stand at the same places in every one), so a radix sort on the first word
 * orders them, and their entries are written back from the words, read in index order from one
 * cache line each. Sorting the texts' bytes and gathering them in index order (textIndexes.ts) read
 * the start, the length and the bytes of each row from three places in memory, and most of the job
 * was those reads: at a million event ids, ~470 ms for the index, of which 187 ms gathering the texts
 * and 80 ms gathering sort keys (profile of the job alone, warm).
 *
 * Texts that are not canonical UUIDs (a synthetic id, upper case, a hostile eventID) are ordered
 * the general way and merged in: a UUID text never equals another text, so the merge only compares.
 */
import { orderByNumber } from './image/order';
import type { IndexBuilder } from './image/pages';
import { INT_BYTES, intSerialType, putInt } from './image/record';
import type { PackedTexts } from './packedTexts';

export const UUID_LENGTH = 36;

/** Value of a lowercase hex digit's byte, -1 for any other byte. */
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i;
/** The lowercase hex digit of each value 0–15, as a byte. */
const DIGIT = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;

/** The four hex digits at bytes[p, p + 4) as a 16-bit number, or -1. */
function hex4(bytes: Uint8Array, p: number): number {
  const a = HEX[bytes[p] as number] as number;
  const b = HEX[bytes[p + 1] as number] as number;
  const c = HEX[bytes[p + 2] as number] as number;
  const d = HEX[bytes[p + 3] as number] as number;
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/**
 * Reads the canonical UUID at bytes[s, s + 36) into words[at, at + 4) (most significant first);
 * false when the bytes are not one (words then hold garbage).
 */
export function readUuid(bytes: Uint8Array, s: number, words: Uint32Array, at: number): boolean {
  if (bytes[s + 8] !== DASH || bytes[s + 13] !== DASH || bytes[s + 18] !== DASH || bytes[s + 23] !== DASH) return false;
  const a = hex4(bytes, s);
  const b = hex4(bytes, s + 4);
  const c = hex4(bytes, s + 9);
  const d = hex4(bytes, s + 14);
  const e = hex4(bytes, s + 19);
  const f = hex4(bytes, s + 24);
  const g = hex4(bytes, s + 28);
  const h = hex4(bytes, s + 32);
  // Each is -1 or a 16-bit number: their OR is negative when any is not hex.
  if ((a | b | c | d | e | f | g | h) < 0) return false;
  words[at] = ((a << 16) | b) >>> 0;
  words[at + 1] = ((c << 16) | d) >>> 0;
  words[at + 2] = ((e << 16) | f) >>> 0;
  words[at + 3] = ((g << 16) | h) >>> 0;
  return true;
}

/** The two lowercase hex digits of each byte value: value v's at 2v and 2v + 1. */
const DIGITS2 = new Uint8Array(512);
for (let v = 0; v < 256; v++) {
  DIGITS2[2 * v] = DIGIT[v >>> 4] as number;
  DIGITS2[2 * v + 1] = DIGIT[v & 15] as number;
}

/** Writes the 8 hex digits of the 32-bit `v` at out[p, p + 8). */
function put8(out: Uint8Array, p: number, v: number): void {
  put2(out, p, v >>> 24);
  put2(out, p + 2, (v >>> 16) & 0xff);
  put2(out, p + 4, (v >>> 8) & 0xff);
  put2(out, p + 6, v & 0xff);
}

/** Writes the 4 hex digits of the 16-bit `v` at out[p, p + 4). */
function put4(out: Uint8Array, p: number, v: number): void {
  put2(out, p, v >>> 8);
  put2(out, p + 2, v & 0xff);
}

function put2(out: Uint8Array, p: number, byte: number): void {
  out[p] = DIGITS2[2 * byte] as number;
  out[p + 1] = DIGITS2[2 * byte + 1] as number;
}

/** Writes the canonical text of the UUID words[at, at + 4) at out[p, p + 36). */
export function putUuid(out: Uint8Array, p: number, words: Uint32Array, at: number): void {
  const w1 = words[at + 1] as number;
  const w2 = words[at + 2] as number;
  put8(out, p, words[at] as number);
  out[p + 8] = DASH;
  put4(out, p + 9, w1 >>> 16);
  out[p + 13] = DASH;
  put4(out, p + 14, w1 & 0xffff);
  out[p + 18] = DASH;
  put4(out, p + 19, w2 >>> 16);
  out[p + 23] = DASH;
  put4(out, p + 24, w2 & 0xffff);
  put8(out, p + 28, words[at + 3] as number);
}

/** The rows of `p` whose texts are canonical UUIDs, in row order, and their words (row k's at 4k). */
export interface UuidRows {
  readonly rows: Uint32Array;
  readonly words: Uint32Array;
  /** How many rows have another text (NULL rows are neither). */
  readonly others: number;
}

export function uuidRows(p: PackedTexts): UuidRows {
  const { bytes, starts, lengths } = p;
  let n = 0;
  for (let r = 0; r < p.count; r++) if (lengths[r] === UUID_LENGTH) n++;
  const rows = new Uint32Array(n);
  const words = new Uint32Array(4 * n);
  let k = 0;
  let others = 0;
  for (let r = 0; r < p.count; r++) {
    const len = lengths[r] as number;
    if (len < 0) continue;
    if (len === UUID_LENGTH && readUuid(bytes, starts[r] as number, words, 4 * k)) rows[k++] = r;
    else others++;
  }
  return { rows: rows.subarray(0, k), words: words.subarray(0, 4 * k), others };
}

/**
 * The order of the UUID rows (positions k into `u.rows`) by their words, ties by row: the radix
 * sort of numbers (orderByNumber) on the first word, then the few runs whose first words tie sorted
 * on the other three.
 */
export function orderUuids(u: UuidRows): Uint32Array {
  const n = u.rows.length;
  const { words } = u;
  const first = new Float64Array(n);
  for (let k = 0; k < n; k++) first[k] = words[4 * k] as number;
  const sorted = new Float64Array(n);
  const order = orderByNumber(n, first, undefined, sorted);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    if (j - i > 1) sortTies(order, i, j, words);
    i = j;
  }
  return order;
}

/** Whether UUID k sorts after UUID m (words 1–3, then k > m: rows are in row order). */
function after(words: Uint32Array, k: number, m: number): boolean {
  for (let w = 1; w < 4; w++) {
    const a = words[4 * k + w] as number;
    const b = words[4 * m + w] as number;
    if (a !== b) return a > b;
  }
  return k > m;
}

/** Insertion sort of order[from, to), whose first words are equal (a run is two or three long). */
function sortTies(order: Uint32Array, from: number, to: number, words: Uint32Array): void {
  for (let i = from + 1; i < to; i++) {
    const k = order[i] as number;
    let j = i - 1;
    while (j >= from && after(words, order[j] as number, k)) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = k;
  }
}

/** UUID rows read ahead together: their words and rows, in index order (see uuidEntries). */
const GATHER = 256;

/**
 * Writes the entries (text, rowid = row + 1) of UUID rows order[from, to) (positions into u.rows)
 * into `b`; returns how many distinct texts they hold. `spare` holds an entry that starts a leaf
 * (64 bytes will do). The words and rows of GATHER entries are read in a loop of their own first:
 * in index order they are read from all over memory, and a loop with nothing else in it lets the
 * processor fetch many at once (as textIndexes.ts's Gathered does).
 */
export function uuidEntries(b: IndexBuilder, u: UuidRows, order: Uint32Array, from: number, to: number, spare: Uint8Array): number {
  const { rows, words } = u;
  const gw = new Uint32Array(4 * GATHER + 4);
  const gr = new Uint32Array(GATHER);
  let distinct = 0;
  for (let i = from; i < to; i += GATHER) {
    const n = Math.min(GATHER, to - i);
    for (let j = 0; j < n; j++) {
      const k = order[i + j] as number;
      gw[4 * j + 4] = words[4 * k] as number;
      gw[4 * j + 5] = words[4 * k + 1] as number;
      gw[4 * j + 6] = words[4 * k + 2] as number;
      gw[4 * j + 7] = words[4 * k + 3] as number;
      gr[j] = rows[k] as number;
    }
    for (let j = 0; j < n; j++) {
      // gw[0, 4) holds the entry before (the last of the previous batch).
      const w = 4 * j + 4;
      if ((i === from && j === 0) || gw[w] !== gw[w - 4] || gw[w + 1] !== gw[w - 3] || gw[w + 2] !== gw[w - 2] || gw[w + 3] !== gw[w - 1]) distinct++;
      const rowid = (gr[j] as number) + 1;
      const itype = intSerialType(rowid);
      const width = INT_BYTES[itype] as number;
      // Header: its size (3), the text's type (13 + 2 · 36 = 85, one byte), the rowid's type.
      const size = 3 + UUID_LENGTH + width;
      const direct = b.reserve(size);
      const out = direct < 0 ? spare : b.leafBytes;
      const at = direct < 0 ? 0 : direct;
      out[at] = 3;
      out[at + 1] = 13 + 2 * UUID_LENGTH;
      out[at + 2] = itype;
      putUuid(out, at + 3, gw, w);
      if (width > 0) putInt(out, at + 3 + UUID_LENGTH, rowid, width);
      if (direct < 0) b.add(spare, size);
    }
    gw.copyWithin(0, 4 * n, 4 * n + 4);
  }
  return distinct;
}
