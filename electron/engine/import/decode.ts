/**
 * From stored bytes to text bytes: gzip layers (several members, double compression, truncation)
 * decided by magic bytes, never by file name, under a cap on the inflated size. Archives are only
 * recognised here; the coordinator reads them.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export const GZIP_MAGIC = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
export const ZIP_MAGIC = (b: Uint8Array): boolean =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 0x03 && b[3] === 0x04) || (b[2] === 0x05 && b[3] === 0x06));
export const TAR_MAGIC = (b: Uint8Array): boolean => b.length >= 262 && Buffer.from(b.buffer, b.byteOffset + 257, 5).toString('latin1') === 'ustar';

/**
 * Compressed prefixes inflated, shortest first, to find what a gzip file starts with. One KiB
 * almost always gives the 262 bytes a tar header needs; the longer ones serve a long gzip header.
 */
const PEEK_INPUT = [1024, 8 * 1024, 64 * 1024];

/**
 * The first inflated bytes of a gzip file (at least 262 when the file has them), from a prefix of its
 * stored bytes; null when not even that inflates. Only a prefix is inflated: inflating all of the
 * first 64 KiB, as this did for every gzip file, cost as much as reading the file.
 */
function gunzipStart(head: Buffer): Buffer | null {
  for (const n of PEEK_INPUT) {
    const input = head.subarray(0, n);
    let out: Buffer;
    try {
      out = zlib.gunzipSync(input, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
    if (out.length >= 262 || input.length === head.length) return out;
  }
  return null;
}

/**
 * Recognises an archive from a file's first bytes (64 KiB is enough to see a tar header under gzip).
 * `underGzip: false` does not look under gzip: for a file read whole, which is decoded next anyway.
 */
export function archiveKind(head: Buffer, underGzip = true): 'zip' | 'tar' | 'tgz' | null {
  if (ZIP_MAGIC(head)) return 'zip';
  if (TAR_MAGIC(head)) return 'tar';
  if (underGzip && GZIP_MAGIC(head)) {
    const start = gunzipStart(head);
    // null: not even its start inflates; the worker reports the damage
    if (start && TAR_MAGIC(start)) return 'tgz';
  }
  return null;
}

export interface DecodeLimits {
  /** Inflated bytes allowed per file. */
  readonly maxInflated: number;
  /** Inflated/compressed ratio above which (once past 64 MiB) a file is treated as a bomb. */
  readonly maxRatio: number;
}

export const DEFAULT_LIMITS: DecodeLimits = { maxInflated: 8 * 1024 ** 3, maxRatio: 1000 };

export interface Decoded {
  /** The text bytes, or undefined when nothing could be decoded. */
  readonly bytes: Buffer | undefined;
  readonly note: string | null;
  readonly container?: 'zip' | 'tar';
}

function capFor(storedSize: number, limits: DecodeLimits): number {
  return Math.min(limits.maxInflated, Math.max(64 * 1024 * 1024, storedSize * limits.maxRatio));
}

/** Inflates one gzip layer, keeping whatever decodes before an error or the cap. */
async function gunzipTolerant(input: Buffer, cap: number): Promise<{ out: Buffer; note: string | null }> {
  try {
    return { out: zlib.gunzipSync(input, { maxOutputLength: cap }), note: null };
  } catch (e) {
    if (e instanceof RangeError) {
      return { out: Buffer.alloc(0), note: `inflated size exceeds the cap of ${cap} bytes (possible decompression bomb); not imported` };
    }
  }
  // Slow path: stream it, keeping every chunk produced before the failure.
  const chunks: Buffer[] = [];
  let total = 0;
  let note: string | null = null;
  const gz = zlib.createGunzip({ chunkSize: 256 * 1024 });
  Readable.from([input]).pipe(gz);
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > cap) {
        gz.destroy();
        return { out: Buffer.alloc(0), note: `inflated size exceeds the cap of ${cap} bytes (possible decompression bomb); not imported` };
      }
      chunks.push(chunk);
    }
  } catch (e) {
    note = `gzip stream damaged or truncated after ${total} bytes (${(e as Error).message}); kept what decoded`;
  }
  return { out: Buffer.concat(chunks), note };
}

/** Strips a UTF-8 BOM; converts UTF-16 (by BOM) to UTF-8. */
export function toUtf8(b: Buffer): Buffer {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return Buffer.from(new TextDecoder('utf-16le').decode(b.subarray(2)), 'utf8');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return Buffer.from(new TextDecoder('utf-16be').decode(b.subarray(2)), 'utf8');
  return b;
}

/** Decodes a whole stored file. */
export async function decodeStored(stored: Buffer, limits: DecodeLimits = DEFAULT_LIMITS): Promise<Decoded> {
  if (ZIP_MAGIC(stored)) return { bytes: undefined, note: null, container: 'zip' };
  let bytes = stored;
  const notes: string[] = [];
  for (let layer = 0; layer < 4 && GZIP_MAGIC(bytes); layer++) {
    const { out, note } = await gunzipTolerant(bytes, capFor(stored.length, limits));
    if (note) notes.push(layer > 0 ? `layer ${layer + 1}: ${note}` : note);
    bytes = out;
    if (out.length === 0) break;
  }
  if (TAR_MAGIC(bytes)) return { bytes: undefined, note: null, container: 'tar' };
  if (ZIP_MAGIC(bytes)) return { bytes: undefined, note: 'a zip inside gzip is not supported', container: undefined };
  return { bytes: toUtf8(bytes), note: notes.length > 0 ? notes.join('; ') : null };
}
