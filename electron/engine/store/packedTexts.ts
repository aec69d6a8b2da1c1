/**
 * Texts as UTF-8 in one buffer, row by row: how an import keeps and moves its event ids (to the
 * coordinator, and to the worker that builds their index) instead of as strings.
 */
import { copyBytes, putAscii } from './image/record';
import { reassigned } from './reassigned';

/** Longest text whose index can be built on a worker: its entry (header, text, rowid) stays under 128 bytes. */
export const MAX_PACKED_BYTES = 100;

/** Whether no text of `p` is longer than MAX_PACKED_BYTES (its index can then be built on a worker). */
export function movable(p: PackedTexts): boolean {
  for (let r = 0; r < p.count; r++) if ((p.lengths[r] as number) > MAX_PACKED_BYTES) return false;
  return true;
}

/** Texts of rows 0..count-1 as UTF-8 bytes: row r is bytes[starts[r], starts[r] + lengths[r]), or NULL when its length is -1. */
export interface PackedTexts {
  readonly count: number;
  readonly bytes: Uint8Array;
  readonly starts: Uint32Array;
  readonly lengths: Int32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Texts packed as UTF-8 one row at a time, as rows arrive: an import keeps its event ids this way
 * instead of as strings (ten million strings on the main thread's heap, packed in one serial pass
 * at the finish).
 */
export class TextPacker {
  count = 0;
  private bytes: Uint8Array;
  private used = 0;
  private starts: Uint32Array;
  private lengths: Int32Array;

  constructor(rows = 1 << 12, bytes = 1 << 16) {
    this.bytes = new Uint8Array(bytes);
    this.starts = new Uint32Array(rows);
    this.lengths = new Int32Array(rows);
    reassigned(this, ['bytes', 'starts', 'lengths']);
  }

  /** Adds `src[start, start + length)`, which must be UTF-8. */
  pushBytes(src: Uint8Array, start: number, length: number): void {
    const r = this.count++;
    if (r === this.starts.length) this.growRows();
    this.starts[r] = this.used;
    if (this.used + length > this.bytes.length) this.growBytes(length);
    copyBytes(this.bytes, this.used, src, start, length);
    this.lengths[r] = length;
    this.used += length;
  }

  /** Adds texts packed elsewhere: text k is `bytes[starts[k], starts[k] + lengths[k])`, UTF-8 (length -1: NULL). */
  pushPacked(bytes: Uint8Array, starts: Uint32Array, lengths: Int32Array): void {
    const n = lengths.length;
    if (this.count + n > this.starts.length) this.growRows(this.count + n);
    if (this.used + bytes.length > this.bytes.length) this.growBytes(bytes.length);
    this.bytes.set(bytes, this.used);
    const at = this.count;
    const base = this.used;
    for (let k = 0; k < n; k++) {
      this.starts[at + k] = base + (starts[k] as number);
      this.lengths[at + k] = lengths[k] as number;
    }
    this.count += n;
    this.used += bytes.length;
  }

  push(s: string | null | undefined): void {
    const r = this.count++;
    if (r === this.starts.length) this.growRows();
    this.starts[r] = this.used;
    if (s === null || s === undefined) {
      this.lengths[r] = -1;
      return;
    }
    if (this.used + 3 * s.length > this.bytes.length) this.growBytes(3 * s.length);
    const bytes = this.bytes;
    const at = this.used;
    let n = putAscii(s, bytes, at);
    if (n < s.length) n = encoder.encodeInto(s, bytes.subarray(at, at + 3 * s.length)).written;
    this.lengths[r] = n;
    this.used += n;
  }

  /** The texts, however long. */
  all(): PackedTexts {
    return { count: this.count, bytes: this.bytes.subarray(0, this.used), starts: this.starts.subarray(0, this.count), lengths: this.lengths.subarray(0, this.count) };
  }

  /** Text of row `r` (a lone surrogate comes back as U+FFFD, as SQLite stores it). */
  text(r: number): string | null {
    return packedText(this.all(), r);
  }

  /** Releases the memory. */
  clear(): void {
    this.bytes = new Uint8Array(0);
    this.starts = new Uint32Array(0);
    this.lengths = new Int32Array(0);
    this.count = 0;
    this.used = 0;
  }

  /** Room for at least `min` rows (a cleared packer has none). */
  private growRows(min = this.count + 1): void {
    const size = Math.max(min, Math.ceil(this.starts.length * 1.5));
    const starts = new Uint32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const lengths = new Int32Array(size);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }

  private growBytes(need: number): void {
    if (this.used + need > 0xffffffff) throw new Error('event ids over 4 GiB: more than this import can index');
    const grown = new Uint8Array(Math.min(0xffffffff, Math.max(Math.ceil(this.bytes.length * 1.5), this.used + need)));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}

/** Text of row `r` of packed texts, decoded. */
export function packedText(p: PackedTexts, r: number): string | null {
  const n = p.lengths[r] as number;
  if (n < 0) return null;
  const at = p.starts[r] as number;
  return decoder.decode(p.bytes.subarray(at, at + n));
}

/** Packs `texts[0..count)`; null when one is longer than MAX_PACKED_BYTES in UTF-8. */
export function packTexts(texts: readonly (string | null | undefined)[], count: number): PackedTexts | null {
  const p = new TextPacker();
  for (let r = 0; r < count; r++) p.push(texts[r]);
  const all = p.all();
  return movable(all) ? all : null;
}
