/**
 * Worker-side encoding: a local string dictionary, column batches of events, and raw record bytes.
 * A record that lies inside the current file's own block (a gzip file's deflate stream, see
 * gzipBlock.ts) points into it; any other record is copied into a block deflated here. Blocks are
 * posted before the events that refer to them, and strings before their first use.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { FileBlock } from './gzipBlock';
import { EMIT_MAX, type FieldReader, type FieldRecords, type Interner, newFieldReader } from '../wasm/fields';
import type { Normalized } from './normalize';
import { TextPacker } from '../store/packedTexts';
import { type FromWorker, NDICT, NNUM, NTXT, NUM } from './protocol';

export const BLOCK_BYTES = 128 * 1024;
const BATCH_ROWS_MAX = 4096;

/** A batch's texts: the event and request ids take 72 bytes a row, and a shared event id 36 more (64 a row made each batch's buffer grow twice). */
const newTexts = (): TextPacker => new TextPacker(BATCH_ROWS_MAX * NTXT, BATCH_ROWS_MAX * 112);
const newStrings = (): TextPacker => new TextPacker(1 << 10, 1 << 15);

export type Post = (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

/**
 * Each string gets a local id the first time this worker sends it, and goes to the coordinator as
 * UTF-8 bytes, which it interns by their bytes (StoreWriter.internStrings). The WebAssembly reader
 * sends each string's bytes once (its own table knows them after); strings of the JavaScript path are
 * looked up here. A string that came both ways is sent twice, under two local ids, which the
 * coordinator maps to one id: a Map of every string here cost more than that (about a tenth of a
 * CPU-second per parse worker at a million events, perf).
 */
export class Encoder implements Interner {
  private readonly dictionary = new Map<string, number>();
  private nextLocal = 1;
  private newStrings = newStrings();
  private block: Buffer = Buffer.allocUnsafe(BLOCK_BYTES);
  private blockLen = 0;
  /** Local id of the block being filled, -1 while it is empty. */
  private copyId = -1;
  private nextBlockId = 0;
  /** The current file's own block; `id` is -1 until a record is found in it (then it is posted). */
  private file: { readonly block: FileBlock; id: number } | null = null;
  private rows = 0;
  private dict = new Int32Array(BATCH_ROWS_MAX * NDICT);
  private nums = new Float64Array(BATCH_ROWS_MAX * NNUM);
  /** The batch's TXT slots, NTXT per row, as UTF-8. */
  private texts = newTexts();
  private resources: number[] = [];

  constructor(private readonly post: Post) {}

  private intern(s: string | null): number {
    return s === null ? 0 : this.string(s);
  }

  string(s: string): number {
    let id = this.dictionary.get(s);
    if (id === undefined) {
      id = this.nextLocal++;
      this.dictionary.set(s, id);
      this.newStrings.push(s);
    }
    return id;
  }

  bytes(text: Uint8Array, start: number, length: number): number {
    this.newStrings.pushBytes(text, start, length);
    return this.nextLocal++;
  }

  /** Records of the file read next may point into `block` (null: none may). */
  setFile(block: FileBlock | null): void {
    this.file = block ? { block, id: -1 } : null;
  }

  /** Where a record's bytes are kept: in the file's own block when they lie inside it, else copied. */
  private place(raw: Uint8Array): { blk: number; off: number } {
    const file = this.file;
    if (file) {
      const text = file.block.text;
      const off = raw.byteOffset - text.byteOffset;
      if (raw.buffer === text.buffer && off >= 0 && off + raw.length <= text.length) return { blk: this.fileBlockId(file), off };
    }
    if (this.blockLen + raw.length > this.block.length) {
      if (this.blockLen > 0) this.flush();
      if (raw.length > this.block.length) this.block = Buffer.allocUnsafe(raw.length);
    }
    if (this.copyId < 0) this.copyId = this.nextBlockId++;
    const off = this.blockLen;
    this.block.set(raw, off);
    this.blockLen += raw.length;
    return { blk: this.copyId, off };
  }

  /** The WebAssembly reader of trail files, which shares this encoder's dictionary (null without WebAssembly). */
  private reader: FieldReader | null | undefined;

  /** A `{"Records": [...]}` text read by the WebAssembly reader, or null (see FieldReader.read). */
  readRecords(text: Buffer): FieldRecords | null {
    const reader = this.textHome();
    return reader ? reader.read(text, this) : null;
  }

  /** The WebAssembly reader, where a file's text can be inflated for it to read in place (FieldReader.textView). */
  textHome(): FieldReader | null {
    if (this.reader === undefined) this.reader = newFieldReader();
    return this.reader;
  }

  /** The current file's block id, posting the block the first time a record points into it. */
  private fileBlockId(file: { readonly block: FileBlock; id: number }): number {
    if (file.id < 0) {
      file.id = this.nextBlockId++;
      const data = file.block.data;
      this.post({ type: 'block', id: file.id, usize: file.block.text.length, data }, [data.buffer as ArrayBuffer]);
    }
    return file.id;
  }

  /** Adds one event: its normalised fields and its original bytes. */
  add(n: Normalized, raw: Uint8Array, sourceId: number, sourceIndex: number): void {
    const { blk, off } = this.place(raw);
    const r = this.row(blk, off, raw.length, sourceId, sourceIndex, n.t, n.readOnly, n.management);
    if (n.eventId === null || n.eventId === '') this.syntheticId(raw, 0, raw.length, r);
    else this.texts.push(n.eventId);
    this.texts.push(n.requestId);
    this.texts.push(n.sharedEventId);
    const d = r * NDICT;
    for (let i = 0; i < NDICT; i++) this.dict[d + i] = this.intern(n.dict[i] ?? null);
    for (const [type, arn] of n.resources) this.resources.push(r, this.intern(type), this.intern(arn));
    this.endRow();
  }

  /** Adds record `i` of a file the WebAssembly reader read (fieldReader); `text` is the file's text. */
  addRead(f: FieldRecords, i: number, text: Buffer, sourceId: number, sourceIndex: number): void {
    const start = f.start(i);
    const end = f.end(i);
    const file = this.file;
    // Records of a gzip file lie in its own block (the usual case): no Buffer is made for them.
    const { blk, off } = file && file.block.text === text ? { blk: this.fileBlockId(file), off: start } : this.place(text.subarray(start, end));
    const r = this.row(blk, off, end - start, sourceId, sourceIndex, f.time(i), f.readOnly(i), f.management(i));
    if (!f.textInto(i, 0, this.texts)) this.syntheticId(text, start, end, r);
    f.textInto(i, 1, this.texts);
    f.textInto(i, 2, this.texts);
    f.dictInto(i, this.dict, r * NDICT);
    f.resourcesInto(i, r, this.resources);
    this.endRow();
  }

  /**
   * Adds every record of a file the WebAssembly reader read, `text` being the file's text, when they
   * all lie in the file's own block and all are emittable (FieldRecords.emittable): the reader
   * writes the rows, and they are copied in a few pieces. False, having added nothing, otherwise.
   */
  addReads(f: FieldRecords, text: Buffer, sourceId: number, sourceIndex: number): boolean {
    const file = this.file;
    if (!file || file.block.text !== text || !f.emittable()) return false;
    if (f.count === 0) return true;
    const blk = this.fileBlockId(file);
    for (let from = 0; from < f.count; ) {
      const n = Math.min(f.count - from, BATCH_ROWS_MAX - this.rows, EMIT_MAX);
      f.emitInto(from, n, sourceId, sourceIndex + from, blk, this.dict, this.nums, this.rows, this.texts, this.resources);
      this.rows += n;
      from += n;
      this.endRow();
    }
    return true;
  }

  /** Starts a row: its numbers (its texts follow, NTXT of them). Its bytes are kept at (blk, off). */
  private row(blk: number, off: number, len: number, sourceId: number, sourceIndex: number, t: number, readOnly: number, management: number): number {
    const r = this.rows++;
    const o = r * NNUM;
    const nums = this.nums;
    nums[o + NUM.t] = t;
    nums[o + NUM.readOnly] = readOnly;
    nums[o + NUM.management] = management;
    nums[o + NUM.sourceId] = sourceId;
    nums[o + NUM.sourceIndex] = sourceIndex;
    nums[o + NUM.blk] = blk;
    nums[o + NUM.off] = off;
    nums[o + NUM.len] = len;
    nums[o + NUM.synthetic] = 0;
    return r;
  }

  /** The eventID of row `r`, which has none: a stable id from its bytes `bytes[start, end)`. */
  private syntheticId(bytes: Uint8Array, start: number, end: number, r: number): void {
    this.texts.push(`cairn:${crypto.createHash('sha256').update(bytes.subarray(start, end)).digest('hex').slice(0, 32)}`);
    this.nums[r * NNUM + NUM.synthetic] = 1;
  }

  private endRow(): void {
    if (this.rows === BATCH_ROWS_MAX) this.flush();
  }

  /** Sends the current block and the events that point into it. */
  flush(): void {
    if (this.newStrings.count > 0) {
      const texts = this.newStrings.all();
      this.post({ type: 'strings', texts }, [texts.bytes.buffer as ArrayBuffer, texts.starts.buffer as ArrayBuffer, texts.lengths.buffer as ArrayBuffer]);
      this.newStrings = newStrings();
    }
    if (this.blockLen > 0) {
      const data = zlib.deflateSync(this.block.subarray(0, this.blockLen), { level: 1 });
      const copy = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      this.post({ type: 'block', id: this.copyId, usize: this.blockLen, data: copy }, [copy.buffer]);
      this.copyId = -1;
      this.blockLen = 0;
    }
    if (this.rows > 0) {
      const count = this.rows;
      const dict = this.dict.slice(0, count * NDICT);
      const nums = this.nums.slice(0, count * NNUM);
      const resources = Int32Array.from(this.resources);
      const texts = this.texts.all();
      this.post({ type: 'events', count, dict, nums, texts, resources }, [dict.buffer, nums.buffer, resources.buffer, texts.bytes.buffer as ArrayBuffer, texts.starts.buffer as ArrayBuffer, texts.lengths.buffer as ArrayBuffer]);
      this.rows = 0;
      this.texts = newTexts();
      this.resources = [];
    }
    if (this.block.length > BLOCK_BYTES) this.block = Buffer.allocUnsafe(BLOCK_BYTES);
  }
}
