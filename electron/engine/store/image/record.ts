/**
 * SQLite's record format, written from JS: a header of serial types (varints) followed by the
 * values, big-endian (https://www.sqlite.org/fileformat2.html#record_format). Used to build database
 * images directly (see pages.ts), so a bulk import does not bind millions of rows one value at a time.
 *
 * Text is written as UTF-8 (a lone surrogate becomes U+FFFD, as TextEncoder does).
 */

/** Bytes a varint of `v` takes (0 ≤ v < 2^53). */
export function varintLength(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 4;
  let rest = Math.floor(v / 0x10000000);
  while (rest > 0 && n < 9) {
    n++;
    rest = Math.floor(rest / 128);
  }
  return n;
}

/** Writes the varint of `v` (0 ≤ v < 2^53) at `at`; returns the position after it. */
export function putVarint(out: Uint8Array, at: number, v: number): number {
  if (v < 0x80) {
    out[at] = v;
    return at + 1;
  }
  const n = varintLength(v);
  // Values below 2^53 never need the 9-byte form (it starts at 2^56), so every byte holds 7 bits.
  let rest = v;
  for (let i = n - 1; i >= 0; i--) {
    const low = rest % 128;
    out[at + i] = i === n - 1 ? low : low | 0x80;
    rest = Math.floor(rest / 128);
  }
  return at + n;
}

/** Bytes of the value of each integer serial type (8 and 9 are the constants 0 and 1). */
export const INT_BYTES = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];

/** Serial type of an integer: the smallest width that holds it (8 and 9 are the constants 0 and 1). */
export function intSerialType(v: number): number {
  if (v === 0) return 8;
  if (v === 1) return 9;
  if (v >= -128 && v <= 127) return 1;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -8388608 && v <= 8388607) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  if (v >= -140737488355328 && v <= 140737488355327) return 5;
  return 6;
}

const TWO32 = 4294967296;

/** Writes `v` as a big-endian two's-complement integer of `bytes` bytes. */
export function putInt(out: Uint8Array, at: number, v: number, bytes: number): void {
  if (bytes <= 4) {
    let x = v | 0;
    for (let i = bytes - 1; i >= 0; i--) {
      out[at + i] = x & 0xff;
      x >>= 8;
    }
    return;
  }
  let hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  out[at + bytes - 4] = lo >>> 24;
  out[at + bytes - 3] = (lo >>> 16) & 0xff;
  out[at + bytes - 2] = (lo >>> 8) & 0xff;
  out[at + bytes - 1] = lo & 0xff;
  for (let i = bytes - 5; i >= 0; i--) {
    out[at + i] = hi & 0xff;
    hi >>= 8;
  }
}

const encoder = new TextEncoder();
/** Longest text RecordWriter.text copies by hand when it is ASCII. */
const SHORT_TEXT = 64;

/**
 * Copies `s` into `out` at `at` while its characters are ASCII (their UTF-8 is themselves); returns
 * how many it copied (s.length when all). For short texts, cheaper than encodeInto's call and view.
 */
export function putAscii(s: string, out: Uint8Array, at: number): number {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) break;
    out[at + i] = c;
  }
  return i;
}

const f64 = new DataView(new ArrayBuffer(8));

/** Writes `v` as SQLite stores a REAL (serial type 7): a big-endian IEEE double, at `at`. */
export function putReal(out: Uint8Array, at: number, v: number): void {
  f64.setFloat64(0, v);
  for (let i = 0; i < 8; i++) out[at + i] = f64.getUint8(i);
}

/** Copies `src[start, start + length)` to `out` at `at`: by hand when short (a subarray's view costs more than the copy). */
export function copyBytes(out: Uint8Array, at: number, src: Uint8Array, start: number, length: number): void {
  if (length <= SHORT_TEXT) for (let i = 0; i < length; i++) out[at + i] = src[start + i] as number;
  else out.set(src.subarray(start, start + length), at);
}

/** Whether `a[aStart, aStart + length)` and `b[bStart, bStart + length)` hold the same bytes. */
export function equalBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * Encodes the record (text, integer) — or (text, integer, integer) when `w` is given — into `out`
 * when the text is ASCII and short enough for `out`; returns its length, or 0 when the text needs
 * the general writer.
 */
export function putAsciiTextIntRecord(out: Uint8Array, s: string, v: number, w?: number): number {
  const n = s.length;
  if (n + 32 > out.length) return 0; // header at most 8 bytes, integers at most 8 each
  const textType = 13 + 2 * n;
  const tlen = varintLength(textType);
  const vtype = intSerialType(v);
  const wtype = w === undefined ? -1 : intSerialType(w);
  const hsize = 1 + tlen + (wtype < 0 ? 1 : 2);
  out[0] = hsize;
  putVarint(out, 1, textType);
  out[1 + tlen] = vtype;
  if (wtype >= 0) out[2 + tlen] = wtype;
  if (putAscii(s, out, hsize) < n) return 0;
  let at = hsize + n;
  const vbytes = INT_BYTES[vtype] as number;
  if (vbytes > 0) putInt(out, at, v, vbytes);
  at += vbytes;
  if (w === undefined) return at;
  const wbytes = INT_BYTES[wtype] as number;
  if (wbytes > 0) putInt(out, at, w, wbytes);
  return at + wbytes;
}

/**
 * Encodes the record (NULL, text) of the text's UTF-8 `src[start, start + n)` into `out` (a
 * dictionary row: its id is the rowid); returns its length, or 0 when `out` is too short for it.
 */
export function putNullTextRecord(out: Uint8Array, src: Uint8Array, start: number, n: number): number {
  if (n + 8 > out.length) return 0;
  const textType = 13 + 2 * n;
  out[0] = 2 + varintLength(textType);
  out[1] = 0;
  const at = putVarint(out, 2, textType);
  copyBytes(out, at, src, start, n);
  return at + n;
}

/** Bytes of the record of the first `n` integers of `values` (NaN for NULL). */
export function intRecordSize(values: Float64Array, n: number): number {
  let size = 1 + n;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v === v) size += INT_BYTES[intSerialType(v)] as number;
  }
  return size;
}

/**
 * Encodes a record of `n` integers (NaN for NULL) from `values` into `out` at `start` (room for
 * 1 + 10n bytes); returns where it ends. The index entries of integer keys take this path.
 */
export function putIntRecord(out: Uint8Array, values: Float64Array, n: number, start = 0): number {
  out[start] = n + 1;
  let at = start + n + 1;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) {
      out[start + i + 1] = 0;
      continue;
    }
    const type = intSerialType(v);
    out[start + i + 1] = type;
    const bytes = INT_BYTES[type] as number;
    if (bytes > 0) putInt(out, at, v, bytes);
    at += bytes;
  }
  return at;
}

/**
 * Builds one record at a time into a reusable buffer: call the value methods in column order, then
 * `finish()`, which returns the record (a view valid until the next record is finished).
 */
export class RecordWriter {
  private types = new Int32Array(64);
  private ncols = 0;
  private body = new Uint8Array(1024);
  private blen = 0;
  private bytes = new Uint8Array(1024);

  private col(type: number, extra: number): number {
    if (this.ncols === this.types.length) {
      const t = new Int32Array(this.ncols * 2);
      t.set(this.types);
      this.types = t;
    }
    this.types[this.ncols++] = type;
    if (this.blen + extra > this.body.length) {
      const b = new Uint8Array(Math.max(this.body.length * 2, this.blen + extra));
      b.set(this.body.subarray(0, this.blen));
      this.body = b;
    }
    return this.blen;
  }

  null(): void {
    this.col(0, 0);
  }

  int(v: number): void {
    const type = intSerialType(v);
    const n = INT_BYTES[type] as number;
    const at = this.col(type, n);
    if (n > 0) putInt(this.body, at, v, n);
    this.blen += n;
  }

  real(v: number): void {
    putReal(this.body, this.col(7, 8), v);
    this.blen += 8;
  }

  /** A number as SQLite would store it in an INTEGER-affinity column. */
  num(v: number): void {
    if (Number.isSafeInteger(v)) this.int(v);
    else this.real(v);
  }

  text(s: string): void {
    const max = s.length * 3;
    const at = this.col(0, max);
    // Short ASCII texts (event and request ids) are copied by hand: encodeInto's call and the view
    // it needs cost more than the copy.
    if (s.length <= SHORT_TEXT && putAscii(s, this.body, at) === s.length) {
      this.types[this.ncols - 1] = 13 + 2 * s.length;
      this.blen += s.length;
      return;
    }
    const { written } = encoder.encodeInto(s, this.body.subarray(this.blen, this.blen + max));
    this.types[this.ncols - 1] = 13 + 2 * written;
    this.blen += written;
  }

  /** A text given as its UTF-8 bytes, `b[start, start + length)`. */
  utf8(b: Uint8Array, start: number, length: number): void {
    const at = this.col(13 + 2 * length, length);
    copyBytes(this.body, at, b, start, length);
    this.blen += length;
  }

  blob(b: Uint8Array): void {
    const at = this.col(12 + 2 * b.length, b.length);
    this.body.set(b, at);
    this.blen += b.length;
  }

  /** Assembles header and body; resets for the next record. */
  finish(): Uint8Array {
    let hlen = 0;
    for (let i = 0; i < this.ncols; i++) hlen += varintLength(this.types[i] as number);
    let hsize = hlen + 1;
    if (varintLength(hsize) > 1) hsize = hlen + varintLength(hlen + 2);
    const total = hsize + this.blen;
    if (total > this.bytes.length) this.bytes = new Uint8Array(Math.max(total, this.bytes.length * 2));
    const out = this.bytes;
    let at = putVarint(out, 0, hsize);
    for (let i = 0; i < this.ncols; i++) at = putVarint(out, at, this.types[i] as number);
    out.set(this.body.subarray(0, this.blen), at);
    this.ncols = 0;
    this.blen = 0;
    return out.subarray(0, total);
  }
}
