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
  /** The inflated file (with a BlockInflater: a view of its buffer, valid until its next use). */
  readonly text: Buffer;
  /** The same bytes as a zlib stream: the file's own deflate data between a zlib header and trailer. */
  readonly data: Uint8Array;
}

/** zlib's native inflate handle, as node:zlib's own sync functions drive it (not in Node's typings). */
interface NativeInflate {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number) => void;
}

/** An inflate stream's native handle and its [output left, input left] after a write. */
interface Native {
  readonly stream: zlib.InflateRaw | zlib.Inflate;
  readonly handle: NativeInflate;
  readonly state: Uint32Array;
}

/**
 * Inflates raw deflate streams into one buffer that it keeps, through the native handle that
 * `zlib.inflateRawSync` drives: that function gives every file a new buffer, and those buffers
 * (about 1.4 GB per million events) made V8 collect each parse worker's heap whenever another
 * 64 MB of them had been allocated (--trace-gc at ten million events: ~90 full collections and
 * 350 scavenges per worker, ~4.5 s of its time). Where Node's internals are not as expected, each
 * call falls back to `zlib.inflateRawSync`.
 */
export class BlockInflater {
  private out: Buffer = Buffer.allocUnsafe(1 << 20);
  private native: Native | null | undefined;
  private failed = false;
  /** Why the last call returned null, as zlib says it (null when it did not, or when zlib said nothing). */
  lastError: string | null = null;

  /**
   * `format`: raw deflate streams (a gzip file's), or zlib streams, whose header is checked and whose
   * Adler-32 is checked once the output reaches their end (the store's raw blocks).
   */
  constructor(
    private readonly useNative = true,
    private readonly format: 'raw' | 'zlib' = 'raw',
  ) {}

  /**
   * The stream's inflated bytes, at most `room` (a view of `into` when it has that room, else of this
   * inflater's buffer, valid until its next call), and how many input bytes it took; null when the
   * stream is damaged or cut short.
   * Output that fills `room` may have been cut there: callers size `room` one byte over what they expect.
   */
  inflate(input: Uint8Array, room: number, into?: Buffer | null): { text: Buffer; used: number } | null {
    const native = this.useNative ? this.handle() : null;
    this.lastError = null;
    if (!native) return this.alone(input, room);
    if (!(into && into.length >= room) && this.out.length < room) this.out = Buffer.allocUnsafe(Math.max(room, 2 * this.out.length));
    const out = into && into.length >= room ? into : this.out;
    native.stream.reset();
    this.failed = false;
    native.handle.writeSync(zlib.constants.Z_FINISH, input, 0, input.length, out, 0, room);
    // The scanner keeps the text it copied last, known by its buffer: this one's bytes just changed.
    textScanner()?.forget();
    if (this.failed) return null;
    return { text: out.subarray(0, room - (native.state[0] as number)), used: input.length - (native.state[1] as number) };
  }

  private alone(input: Uint8Array, room: number): { text: Buffer; used: number } | null {
    if (this.format === 'raw') return inflateAlone(input, room);
    try {
      const r = zlib.inflateSync(input, { info: true, maxOutputLength: room, chunkSize: Math.max(16 * 1024, room) }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      return { text: r.buffer, used: r.engine.bytesWritten };
    } catch (e) {
      this.lastError = (e as Error).message;
      return null;
    }
  }

  private handle(): Native | null {
    if (this.native !== undefined) return this.native;
    this.native = null;
    try {
      const stream = this.format === 'raw' ? new zlib.InflateRaw() : new zlib.Inflate();
      const internals = stream as unknown as { _handle?: Partial<NativeInflate>; _writeState?: unknown };
      const handle = internals._handle;
      if (handle && typeof handle.writeSync === 'function' && internals._writeState instanceof Uint32Array) {
        handle.onerror = (message: string) => {
          this.failed = true;
          this.lastError = message;
        };
        this.native = { stream, handle: handle as NativeInflate, state: internals._writeState };
      }
    } catch {
      // no such internals here: inflateAlone
    }
    return this.native;
  }
}

/** One stream inflated into a buffer of its own (the output chunk sized `room`, so one chunk). */
function inflateAlone(input: Uint8Array, room: number): { text: Buffer; used: number } | null {
  try {
    // Output in one chunk of the size the trailer gives (a quarter faster than 16 KiB chunks joined at
    // the end, by a timing script); a trailer that lies only costs more chunks, and fails the caller's check.
    const chunkSize = Math.max(16 * 1024, room);
    const r = zlib.inflateRawSync(input, { info: true, maxOutputLength: room, chunkSize }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { text: r.buffer, used: r.engine.bytesWritten };
  } catch {
    return null;
  }
}

/**
 * Where an inflated text is written and its Adler-32 taken: the memory of the WebAssembly record
 * reader that reads it next (wasm/fields.ts), so that the text is not copied. `textView` may give
 * no room; `adler32` takes the text wherever it is.
 */
export interface TextHome {
  textView(room: number): Buffer | null;
  adler32(text: Uint8Array): number;
}

/**
 * The file as a raw block, or null when it is not a clean single-member gzip of at most `maxBytes`
 * (or when there is no `home`, no WebAssembly, to compute its Adler-32 with). With `inflater`, the
 * block's text is a view of `home`'s view or of the inflater's buffer, valid until its next use.
 */
export function gzipAsBlock(stored: Buffer, maxBytes: number, home: TextHome | null, inflater?: BlockInflater): FileBlock | null {
  const head = gzipHeaderLength(stored);
  if (head === null || !home) return null;
  const size = stored.readUInt32LE(stored.length - 4);
  if (size > maxBytes) return null;
  // One byte of room over the trailer's length: a trailer that lies is caught by the checks below.
  const room = size + 1;
  const inflated = inflater ? inflater.inflate(stored.subarray(head), room, home.textView(room)) : inflateAlone(stored.subarray(head), room);
  if (!inflated) return null; // damaged, truncated or too large: the general decoder reports it
  const { text, used } = inflated;
  if (head + used + 8 !== stored.length) return null;
  if (stored.readUInt32LE(stored.length - 8) !== zlib.crc32(text) >>> 0) return null;
  if (size !== text.length % 2 ** 32) return null;
  const data = new Uint8Array(2 + used + 4);
  data[0] = 0x78; // deflate, 32 KiB window
  data[1] = 0x01; // no dictionary; (0x78 << 8 | 0x01) % 31 === 0
  data.set(stored.subarray(head, head + used), 2);
  new DataView(data.buffer).setUint32(2 + used, home.adler32(text), false);
  return { text, data };
}
