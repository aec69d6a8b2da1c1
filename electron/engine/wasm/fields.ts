/**
 * The record reader of `{"Records": [...]}` files in WebAssembly (assembly/fields.ts): one pass over
 * the file's bytes validates the JSON, cuts out each record and takes out the fields the store
 * indexes, as dictionary ids. No JavaScript object is built for a record, and JavaScript decodes only
 * the strings the module has not seen before and the three ids each event keeps as text.
 *
 * It reads exactly what `normalize(JSON.parse(record))` reads, or declines: a record it cannot read
 * exactly (see the module) is marked for the JavaScript path, and a file that is not one valid
 * envelope is declined whole. Tests hold it to normalize on fuzzed and real records.
 *
 * A reader's dictionary ids are its caller's: each Encoder (one per parse worker) makes its own.
 */
import { DICT_COLUMNS, NDICT, NNUM, NTXT } from '../import/protocol';
import type { TextPacker } from '../store/packedTexts';
import { FIELDS_WASM } from './fieldsWasm';

interface Exports {
  readonly memory: WebAssembly.Memory;
  textBuffer(n: number): number;
  adler32(n: number): number;
  extract(n: number): number;
  records(): number;
  resourcePairs(): number;
  pendingStrings(): number;
  pendingTotal(): number;
  abandon(): void;
  emittable(count: number): number;
  emit(from: number, n: number, sourceId: number, sourceIndex: number, blk: number): number;
  emitResources(): number;
  emitRegion(which: number): number;
}

/** The module's dictionary fields, in its order (its F numbers). */
const FIELD_COLUMNS = [
  'version', 'source', 'name', 'type', 'category', 'region', 'ip', 'ua', 'error_code', 'error_message', 'account', 'vpce', 'api_version',
  'ui_type', 'ui_principal_id', 'ui_arn', 'ui_account', 'ui_key', 'ui_user', 'ui_invoked_by', 'si_type', 'si_arn', 'si_user', 'mfa', 'created',
  'source_identity', 'issued_key',
];
/** DICT_COLUMNS slot of each of the module's fields. */
const SLOT = Int32Array.from(FIELD_COLUMNS, (c) => {
  const i = DICT_COLUMNS.indexOf(c);
  if (i < 0) throw new Error(`unknown dictionary column ${c}`);
  return i;
});
const NF = FIELD_COLUMNS.length;
/** The module writes batch rows itself (emit) only where its fields are DICT_COLUMNS, in their order. */
const EMITS = NF === NDICT && SLOT.every((slot, f) => slot === f);
/** Records the module's emit writes per call at most. */
export const EMIT_MAX = 256;

// The module's record layout, in 32-bit words (assembly/fields.ts).
const STRIDE = 48;
const W_STATUS = 0;
const W_START = 1;
const W_END = 2;
const W_DICT = 3;
const W_READ_ONLY = 30;
const W_MANAGEMENT = 31;
const W_TEXTS = 32;
const W_RES_START = 41;
const W_RES_COUNT = 42;
const W_TIME = 44;
const OK = 1;

/** String flags (assembly/fields.ts): present and nothing else is plain ASCII without escapes. */
const PLAIN = 1;
const NON_ASCII = 2;
const ESCAPED = 4;
const UNRESOLVED = -0x80000000;
/** The largest text the module is given, and the largest written into its memory by textView. */
const FIELDS_MAX_TEXT = 256 * 1024 * 1024;
const IN_PLACE_MAX = 32 * 1024 * 1024;

/** A string of the text, as JSON.parse of the whole text would give it. */
function decode(text: Buffer, start: number, length: number, flags: number): string {
  if (flags & ESCAPED) return JSON.parse(text.toString('utf8', start - 1, start + length + 1)) as string;
  return text.toString(flags & NON_ASCII ? 'utf8' : 'latin1', start, start + length);
}

/** The records of one file, read; valid until the next read(). */
export class FieldRecords {
  constructor(
    private readonly x: Exports,
    private readonly text: Buffer,
    readonly count: number,
    private readonly words: Int32Array,
    private readonly times: Float64Array,
    private readonly pairs: Int32Array,
    /** JavaScript dictionary id of each string pending in this read (0 where no record read uses it). */
    private readonly ids: Int32Array,
  ) {}

  /** Were the record's fields read (else it takes the JavaScript path)? */
  ok(i: number): boolean {
    return this.words[i * STRIDE + W_STATUS] === OK;
  }
  start(i: number): number {
    return this.words[i * STRIDE + W_START] as number;
  }
  end(i: number): number {
    return this.words[i * STRIDE + W_END] as number;
  }
  time(i: number): number {
    return this.times[(i * STRIDE + W_TIME) / 2] as number;
  }
  readOnly(i: number): number {
    return this.words[i * STRIDE + W_READ_ONLY] as number;
  }
  management(i: number): number {
    return this.words[i * STRIDE + W_MANAGEMENT] as number;
  }

  private id(v: number): number {
    return v >= 0 ? v : (this.ids[-v - 1] as number);
  }

  /** The record's dictionary ids into `dst` at `at`, in DICT_COLUMNS order (0: null). */
  dictInto(i: number, dst: Int32Array, at: number): void {
    const w = this.words;
    const base = i * STRIDE + W_DICT;
    for (let f = 0; f < NF; f++) dst[at + (SLOT[f] as number)] = this.id(w[base + f] as number);
  }

  /**
   * Adds eventID (0), requestID (1) or sharedEventID (2) to `out` as UTF-8 (null when absent or
   * null), the bytes themselves when they are plain ASCII. Returns false, adding nothing, for an
   * eventID that is absent, null or empty (the caller gives it one).
   */
  textInto(i: number, which: 0 | 1 | 2, out: TextPacker): boolean {
    const w = this.words;
    const at = i * STRIDE + W_TEXTS + which * 3;
    const flags = w[at + 2] as number;
    if (which === 0 && (flags === 0 || w[at + 1] === 0)) return false;
    if (flags === 0) out.push(null);
    else if (flags === PLAIN) out.pushBytes(this.text, w[at] as number, w[at + 1] as number);
    else out.push(decode(this.text, w[at] as number, w[at + 1] as number, flags)); // as JSON.parse reads it, then UTF-8
    return true;
  }

  /**
   * Whether emitInto can add every record: all read in WebAssembly, their texts absent or plain
   * ASCII without escapes, each with an eventID.
   */
  emittable(): boolean {
    return EMITS && this.x.emittable(this.count) !== 0;
  }

  /**
   * Adds records [from, from + n) (n at most EMIT_MAX; all emittable) to a batch as rows `row`
   * on: their dictionary ids into `dict`, their numbers into `nums` (source index `sourceIndex` on,
   * raw bytes at their offset in block `blk`), their texts to `texts`, their resources to
   * `resources` as (row, type id, ARN id). The module writes the rows; each region is copied whole.
   */
  emitInto(from: number, n: number, sourceId: number, sourceIndex: number, blk: number, dict: Int32Array, nums: Float64Array, row: number, texts: TextPacker, resources: number[]): void {
    const x = this.x;
    const bytes = x.emit(from, n, sourceId, sourceIndex, blk);
    const buf = x.memory.buffer;
    dict.set(new Int32Array(buf, x.emitRegion(0), n * NDICT), row * NDICT);
    nums.set(new Float64Array(buf, x.emitRegion(1), n * NNUM), row * NNUM);
    texts.pushPacked(new Uint8Array(buf, x.emitRegion(4), bytes), new Uint32Array(buf, x.emitRegion(2), n * NTXT), new Int32Array(buf, x.emitRegion(3), n * NTXT));
    const count = x.emitResources();
    if (count === 0) return;
    const res = new Int32Array(buf, x.emitRegion(5), 3 * count);
    for (let k = 0; k < res.length; k += 3) resources.push(row + (res[k] as number), res[k + 1] as number, res[k + 2] as number);
  }

  /** The record's resources as (row, type id, ARN id) triples appended to `out`. */
  resourcesInto(i: number, row: number, out: number[]): void {
    const w = this.words;
    const first = w[i * STRIDE + W_RES_START] as number;
    const n = w[i * STRIDE + W_RES_COUNT] as number;
    for (let k = first; k < first + n; k++) out.push(row, this.id(this.pairs[2 * k] as number), this.id(this.pairs[2 * k + 1] as number));
  }
}

/**
 * The caller's dictionary, which gives each string the reader meets for the first time an id (> 0).
 * A string of plain ASCII without escapes comes as its bytes in the text, which are its UTF-8 as
 * they are: no string is made of it. Any other comes decoded, as JSON.parse reads it.
 */
export interface Interner {
  string(s: string): number;
  bytes(text: Uint8Array, start: number, length: number): number;
}

export class FieldReader {
  /** Where the last textView is in the module's memory (-1: none, or no longer valid). */
  private viewAt = -1;

  constructor(private readonly x: Exports) {}

  /**
   * Room in the module's memory for a text of at most `room` bytes, which `read` then reads where it
   * is (an inflated file is written here, gzipBlock.ts, and not copied in: copying each file's text
   * into this module, and again into the one that took its Adler-32, was most of a parse worker's
   * memmove in `perf`). The view stays valid until the next textView, or a read of a text from
   * elsewhere: the module grows its memory only then. Null for a text over IN_PLACE_MAX bytes.
   */
  textView(room: number): Buffer | null {
    if (room > IN_PLACE_MAX) return null;
    this.viewAt = this.x.textBuffer(room);
    return Buffer.from(this.x.memory.buffer, this.viewAt, room);
  }

  /**
   * The Adler-32 of `text` (a gzip file's text, for the zlib trailer of its raw block, gzipBlock.ts):
   * where it is when it begins the last textView, else copied in first (the text then begins it).
   */
  adler32(text: Uint8Array): number {
    if (!this.inPlace(text)) this.copyIn(text);
    return this.x.adler32(text.length) >>> 0;
  }

  /** Copies `text` into the module's text buffer, which the last textView then is. */
  private copyIn(text: Uint8Array): void {
    const x = this.x;
    // Copying a part of the module's memory in would write over the bytes the caller reads the records from.
    if (text.buffer === x.memory.buffer) throw new Error('a text in the record reader\'s memory is read only where textView put it');
    const at = x.textBuffer(text.length); // first: it may grow the memory, detaching its buffer
    new Uint8Array(x.memory.buffer, at, text.length).set(text);
    this.viewAt = at;
  }

  private inPlace(text: Uint8Array): boolean {
    return this.viewAt >= 0 && text.buffer === this.x.memory.buffer && text.byteOffset === this.viewAt;
  }

  /**
   * Reads a `{"Records": [...]}` text, interning the strings it has not met before into `dict`.
   * Null when the text is not exactly one valid envelope, or too large for one read: the caller then
   * takes its general path, and no string has been interned.
   */
  read(text: Buffer, dict: Interner): FieldRecords | null {
    const x = this.x;
    if (text.length > FIELDS_MAX_TEXT) return null;
    if (!this.inPlace(text)) this.copyIn(text);
    const count = x.extract(text.length);
    if (count < 0) {
      x.abandon();
      return null;
    }
    const buf = x.memory.buffer;
    const words = new Int32Array(buf, x.records(), count * STRIDE);
    const times = new Float64Array(buf, x.records(), (count * STRIDE) / 2);
    const pending = new Uint32Array(buf, x.pendingStrings(), x.pendingTotal() * 4);
    // Only strings that a record read uses join the caller's dictionary (a declined record's strings
    // may be ones normalize never produces, such as the first of two duplicate keys). Each step is a
    // function of its own: in one, the loops made `read` a large function that V8 compiled eight
    // times per import (~150 ms of its compiler, --trace-opt), each time a branch first ran.
    const used = new Uint8Array(pending.length / 4);
    const pairs = new Int32Array(buf, x.resourcePairs(), markUsed(words, count, used) * 2);
    markPairs(pairs, used);
    const ids = resolve(text, pending, used, new Int32Array(buf), dict);
    return new FieldRecords(x, text, count, words, times, pairs, ids);
  }
}

/**
 * Marks in `used` the pending strings the records read refer to; returns how many resource pairs
 * they hold (the pairs of all records come first to last).
 */
function markUsed(words: Int32Array, count: number, used: Uint8Array): number {
  let pairCount = 0;
  for (let i = 0; i < count; i++) {
    const r = i * STRIDE;
    if (words[r + W_STATUS] !== OK) continue;
    for (let f = 0; f < NF; f++) {
      const v = words[r + W_DICT + f] as number;
      if (v < 0) used[-v - 1] = 1;
    }
    pairCount = Math.max(pairCount, (words[r + W_RES_START] as number) + (words[r + W_RES_COUNT] as number));
  }
  return pairCount;
}

/** Marks in `used` the pending strings the resource pairs refer to. */
function markPairs(pairs: Int32Array, used: Uint8Array): void {
  for (let k = 0; k < pairs.length; k++) {
    const v = pairs[k] as number;
    if (v < 0) used[-v - 1] = 1;
  }
}

/**
 * The caller's id of each pending string used (0 for the others), each also written into the
 * module's dictionary entry (`all`: its memory), where a string not used is marked UNRESOLVED.
 */
function resolve(text: Buffer, pending: Uint32Array, used: Uint8Array, all: Int32Array, dict: Interner): Int32Array {
  const ids = new Int32Array(used.length);
  for (let k = 0; k < used.length; k++) {
    const entry = (pending[4 * k + 3] as number) / 4 + 3;
    if (used[k]) {
      const start = pending[4 * k] as number;
      const length = pending[4 * k + 1] as number;
      const flags = pending[4 * k + 2] as number;
      const id = flags === PLAIN ? dict.bytes(text, start, length) : dict.string(decode(text, start, length, flags));
      ids[k] = id;
      all[entry] = id;
    } else {
      all[entry] = UNRESOLVED;
    }
  }
  return ids;
}

/** A reader with a dictionary of its own (ids belong to one caller's dictionary); null without WebAssembly SIMD. */
export function newFieldReader(): FieldReader | null {
  try {
    const module = new WebAssembly.Module(Buffer.from(FIELDS_WASM, 'base64'));
    return new FieldReader(new WebAssembly.Instance(module, {}).exports as unknown as Exports);
  } catch {
    return null; // no WebAssembly SIMD here: callers take their JavaScript path
  }
}
