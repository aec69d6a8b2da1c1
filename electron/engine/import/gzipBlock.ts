/**
 * A single-member gzip file already holds its text as one deflate stream. Re-wrapped with a zlib
 * header and an Adler-32 trailer, that stream IS a raw block (what `sqlar_uncompress` and the block
 * reader inflate): the original records are kept without compressing them a second time (deflating
 * every record again cost more than the checksums that replace it). The gzip CRC-32 and length are checked, so damaged files are never
 * taken this way: anything unusual (several members, trailing bytes, a bad checksum, a file too large
 * for one block) returns null and the caller decodes the file the general way.
 */
import zlib from 'node:zlib';
import { textScanner } from '../wasm/scan';

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

export interface FileBlock {
  /** The inflated file. */
  readonly text: Buffer;
  /** The same bytes as a zlib stream: the file's own deflate data between a zlib header and trailer. */
  readonly data: Uint8Array;
}

/**
 * The file as a raw block, or null when it is not a clean single-member gzip of at most `maxBytes`
 * (or when there is no WebAssembly to compute its Adler-32 with).
 */
export function gzipAsBlock(stored: Buffer, maxBytes: number): FileBlock | null {
  const head = gzipHeaderLength(stored);
  const scanner = textScanner();
  if (head === null || !scanner) return null;
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
  new DataView(data.buffer).setUint32(2 + used, scanner.adler32(text), false);
  return { text, data };
}
