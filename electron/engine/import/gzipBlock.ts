/**
 * A single-member gzip file already holds its text as one deflate stream. Re-wrapped with a zlib
 * header and an Adler-32 trailer, that stream IS a raw block (what `sqlar_uncompress` and the block
 * reader inflate): the original records are kept without compressing them a second time (deflating
 * every record again cost more than the checksums that replace it). The gzip CRC-32 and length are checked, so damaged files are never
 * taken this way: anything unusual (several members, trailing bytes, a bad checksum, a file too large
 * for one block) returns null and the caller decodes the file the general way.
 */
import zlib from 'node:zlib';

const FTEXT_MASK = 0xe0; // reserved flag bits must be zero
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Length of a gzip member's header, or null when the bytes do not start with a valid one. */
export function gzipHeaderLength(b: Uint8Array): number | null {
  if (b.length < 18 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return null;
  const flags = b[3] as number;
  if ((flags & FTEXT_MASK) !== 0) return null;
  let p = 10;
  if (flags & FEXTRA) {
    if (p + 2 > b.length) return null;
    p += 2 + ((b[p] as number) | ((b[p + 1] as number) << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    while (p < b.length && b[p] !== 0) p++;
    p++;
  }
  if (flags & FHCRC) p += 2;
  return p + 8 <= b.length ? p : null;
}

const ADLER_MOD = 65521;
/** Words summed before the sums are reduced (zlib reduces every 5552 bytes; doubles allow more). */
const ADLER_WORDS = 1380;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Adler-32, four bytes at a time where the buffer is aligned (a third faster than byte by byte): for
 * bytes b0..b3, `a` grows by their sum and `s` by 4a + 4b0 + 3b1 + 2b2 + b3.
 */
export function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  let i = 0;
  const n = b.length;
  const byte = (end: number): void => {
    for (; i < end; i++) {
      a = (a + (b[i] as number)) % ADLER_MOD;
      s = (s + a) % ADLER_MOD;
    }
  };
  if (!LITTLE_ENDIAN) {
    byte(n);
    return ((s << 16) | a) >>> 0;
  }
  byte(Math.min(n, (4 - (b.byteOffset % 4)) % 4));
  const words = new Uint32Array(b.buffer, b.byteOffset + i, (n - i) >> 2);
  let w = 0;
  while (w < words.length) {
    const end = Math.min(w + ADLER_WORDS, words.length);
    for (; w < end; w++) {
      const x = words[w] as number;
      const b0 = x & 255;
      const b1 = (x >>> 8) & 255;
      const b2 = (x >>> 16) & 255;
      const b3 = x >>> 24;
      s += 4 * a + 4 * b0 + 3 * b1 + 2 * b2 + b3;
      a += b0 + b1 + b2 + b3;
    }
    a %= ADLER_MOD;
    s %= ADLER_MOD;
  }
  i += words.length * 4;
  byte(n);
  return ((s << 16) | a) >>> 0;
}

export interface FileBlock {
  /** The inflated file. */
  readonly text: Buffer;
  /** The same bytes as a zlib stream: the file's own deflate data between a zlib header and trailer. */
  readonly data: Uint8Array;
}

/** The file as a raw block, or null when it is not a clean single-member gzip of at most `maxBytes`. */
export function gzipAsBlock(stored: Buffer, maxBytes: number): FileBlock | null {
  const head = gzipHeaderLength(stored);
  if (head === null) return null;
  const size = stored.readUInt32LE(stored.length - 4);
  if (size > maxBytes) return null;
  let text: Buffer;
  let used: number;
  try {
    // Output in one chunk of the size the trailer gives (a quarter faster than 16 KiB chunks joined at
    // the end, by a timing script); a trailer that lies only costs more chunks, and fails the check below.
    const chunkSize = Math.max(16 * 1024, size + 1);
    const r = zlib.inflateRawSync(stored.subarray(head), { info: true, maxOutputLength: maxBytes, chunkSize }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    text = r.buffer;
    used = r.engine.bytesWritten;
  } catch {
    return null; // damaged, truncated or too large: the general decoder reports it
  }
  if (head + used + 8 !== stored.length) return null;
  if (stored.readUInt32LE(stored.length - 8) !== zlib.crc32(text) >>> 0) return null;
  if (size !== text.length % 2 ** 32) return null;
  const data = new Uint8Array(2 + used + 4);
  data[0] = 0x78; // deflate, 32 KiB window
  data[1] = 0x01; // no dictionary; (0x78 << 8 | 0x01) % 31 === 0
  data.set(stored.subarray(head, head + used), 2);
  new DataView(data.buffer).setUint32(2 + used, adler32(text), false);
  return { text, data };
}
