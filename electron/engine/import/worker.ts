/**
 * Parse worker: takes one file at a time (a path it reads itself, or bytes from an archive), hashes
 * the stored bytes, decodes, splits, unwraps, normalises and encodes records, and reports the file.
 * One bad record never stops a file; a file that cannot be read is reported, never thrown.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceKind } from '../../../shared/domain';
import { type DecodeLimits, DEFAULT_LIMITS, type Decoded, GZIP_MAGIC, TAR_MAGIC, ZIP_MAGIC, archiveKind, decodeStored, toUtf8 } from './decode';
import { BlockInflater, type FileBlock, gzipAsBlock } from './gzipBlock';
import { Encoder } from './encoder';
import { envelopeRecords } from './envelope';
import { Outbox } from './outbox';
import { normalize } from './normalize';
import { CANCELLED_NOTE, type FromWorker, type Task, type ToWorker, type WorkerSetup } from './protocol';
import { Splitter } from './splitter';
import { type ItemKind, type Obj, unwrap } from './unwrap';

const EXCERPT_CHARS = 2048;
/** Largest file kept as one raw block: reading one record inflates its whole block. */
const FILE_BLOCK_MAX = 8 * 1024 * 1024;

const port = parentPort;
if (!port) throw new Error('the import worker must run in a worker thread');
const setup = workerData as Partial<WorkerSetup> | undefined;
const limits: DecodeLimits = { ...DEFAULT_LIMITS, ...(setup?.limits ?? {}) };
/** Set by the coordinator when the import is cancelled or has failed (see WorkerSetup). */
const stop = setup?.stop;

const outbox = new Outbox(port);
/** Every gzip file is inflated into this one's buffer: a file's text is done with before the next is read. */
const inflater = new BlockInflater();
const post = (msg: FromWorker, transfer?: ArrayBuffer[]): void => outbox.post(msg, transfer);
const encoder = new Encoder(post);

function excerpt(b: Buffer): string {
  return b.subarray(0, EXCERPT_CHARS * 2).toString('utf8').slice(0, EXCERPT_CHARS);
}

const KIND_OF: Record<ItemKind, SourceKind> = {
  trail: 'cloudtrail-log',
  records: 'json-records',
  insights: 'cloudtrail-insights',
  'lookup-events': 'lookup-events',
  eventbridge: 'eventbridge',
  'cloudwatch-logs': 'cloudwatch-logs',
  digest: 'digest',
};

function nonJsonKind(text: Buffer, displayPath: string): { kind: SourceKind; note: string } {
  const base = displayPath.split(/[\\/]/).pop() ?? displayPath;
  if (base === 'ConfigWritabilityCheckFile') return { kind: 'config-check', note: 'AWS Config writability check file (not a log)' };
  const head = text.subarray(0, 256).toString('utf8').trim();
  if (text.length === 0 || head.length === 0) return { kind: 'empty', note: 'empty file' };
  if (head.startsWith('Permission Check Successful')) return { kind: 'logs-write-test', note: 'CloudWatch Logs export write test (not a log)' };
  if (head.startsWith('PAR1')) return { kind: 'unsupported', note: 'Parquet is not supported yet' };
  if (/^[^{[\n]*,[^\n]*\n/.test(head)) return { kind: 'not-json', note: 'CSV exports are summaries, not records; not imported' };
  return { kind: 'not-json', note: 'not JSON (no object or array found)' };
}

/**
 * Reads a file synchronously (this is a worker thread: blocking is fine, and it saves the thread-pool
 * round trips that dominate when evidence is many small files). An archive larger than what is read
 * first is not read here: its size and kind go back to the coordinator, which streams it.
 */
function readEvidence(file: string): { bytes: Buffer } | { archive: 'zip' | 'tar' | 'tgz'; size: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.allocUnsafe(Math.min(size, 64 * 1024));
    const got = fs.readSync(fd, head, 0, head.length, 0);
    // A file read whole is decoded next, which finds a tar under its gzip (decodeStored): looking
    // under the gzip here too inflated the start of every log file a second time.
    const archive = archiveKind(head.subarray(0, got), got < size);
    if (archive) return { archive, size };
    if (got === size) return { bytes: head.subarray(0, got) };
    const bytes = Buffer.allocUnsafe(size);
    head.copy(bytes, 0, 0, got);
    let off = got;
    while (off < size) {
      const n = fs.readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: bytes.subarray(0, off) };
  } finally {
    fs.closeSync(fd);
  }
}

async function processTask(task: Task): Promise<void> {
  if (stop && Atomics.load(stop, 0) !== 0) {
    post({ type: 'unit', sourceId: task.sourceId, size: 0, sha256: null, kind: 'unreadable', records: 0, rejects: 0, note: CANCELLED_NOTE, bytesRead: 0 });
    return;
  }
  let stored: Buffer;
  try {
    if ('path' in task) {
      const r = readEvidence(task.path);
      if ('archive' in r) {
        post({ type: 'unit', sourceId: task.sourceId, size: r.size, sha256: null, kind: r.archive === 'zip' ? 'zip' : 'tar', records: 0, rejects: 0, note: null, container: r.archive, bytesRead: 0 });
        return;
      }
      stored = r.bytes;
    } else {
      stored = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
    }
  } catch (e) {
    post({ type: 'unit', sourceId: task.sourceId, size: 0, sha256: null, kind: 'unreadable', records: 0, rejects: 0, note: `cannot read: ${(e as Error).message}`, bytesRead: 0 });
    return;
  }
  const sha256 = crypto.createHash('sha256').update(stored).digest('hex');
  const base = { type: 'unit' as const, sourceId: task.sourceId, size: stored.length, sha256, bytesRead: stored.length };
  const block = fileBlock(stored);
  const decoded: Decoded = block ? { bytes: blockText(block), note: null } : await decodeStored(stored, limits);
  encoder.setFile(block);
  try {
    await parseDecoded(task, stored, base, decoded);
  } finally {
    encoder.setFile(null);
  }
}

/**
 * The block's text as UTF-8. Inflated into the record reader's memory (gzipBlock.ts), it is read
 * there only whole: a text after a BOM is copied out first, as the reader would otherwise copy it
 * over the bytes it lies in, which the records' bytes are taken from.
 */
function blockText(block: FileBlock): Buffer {
  const text = toUtf8(block.text);
  return text === block.text || text.buffer !== block.text.buffer ? text : Buffer.from(text);
}

/** A clean single-member gzip of JSON text, whose deflate stream can be kept as the raw block. */
function fileBlock(stored: Buffer): FileBlock | null {
  if (!GZIP_MAGIC(stored)) return null;
  const block = gzipAsBlock(stored, Math.min(FILE_BLOCK_MAX, limits.maxInflated), encoder.textHome(), inflater);
  if (!block) return null;
  const t = block.text;
  return GZIP_MAGIC(t) || ZIP_MAGIC(t) || TAR_MAGIC(t) ? null : block;
}

/** An item the splitter cut out of a file, or a stretch it could not read (`bad`: why). */
interface Piece {
  readonly bytes: Buffer;
  readonly ctx: string;
  readonly bad: string | null;
}

/** Largest text parsed in one call (its objects all live at once); larger files parse per item. */
const WHOLE_PARSE_MAX = 32 * 1024 * 1024;

/**
 * The records of a file that is exactly one `{"Records": [...]}` envelope, parsed in one JSON.parse
 * (a third cheaper than one call per record), each equal to what parsing its own bytes gives; null
 * for anything else, which is parsed item by item.
 */
function wholeRecords(text: Buffer, pieces: readonly Piece[]): unknown[] | null {
  if (pieces.length < 2 || text.length > WHOLE_PARSE_MAX || !pieces.every((p) => p.bad === null && p.ctx === 'Records')) return null;
  try {
    const doc = JSON.parse(text.toString('utf8')) as unknown;
    const recs = doc !== null && typeof doc === 'object' ? (doc as { Records?: unknown }).Records : undefined;
    return Array.isArray(recs) && recs.length === pieces.length ? recs : null;
  } catch {
    return null; // a bad record, a BOM, nesting too deep: each item then gets its own verdict
  }
}

interface Split {
  readonly pieces: Piece[];
  /** The records parsed in one call (wholeRecords), or null. */
  readonly whole: unknown[] | null;
  /** Why the Splitter stopped before the end, or null. */
  readonly stopped: Error | null;
  /** The text has a top-level `Records` array, even if empty. */
  readonly streamedRecords: boolean;
}

/** A `{"Records": [...]}` file, split by the WebAssembly scan; `whole` is null for anything else. */
function envelopePieces(text: Buffer): Split {
  const records = text.length <= WHOLE_PARSE_MAX ? envelopeRecords(text) : null;
  const pieces = records ? records.map((bytes) => ({ bytes, ctx: 'Records', bad: null })) : [];
  return { pieces, whole: records ? wholeRecords(text, pieces) : null, stopped: null, streamedRecords: true };
}

function splitPieces(text: Buffer): Split {
  const pieces: Piece[] = [];
  const splitter = new Splitter({
    item: (bytes, ctx) => void pieces.push({ bytes, ctx, bad: null }),
    bad: (bytes, reason) => void pieces.push({ bytes, ctx: '', bad: reason }),
  });
  let stopped: Error | null = null;
  try {
    splitter.push(text);
    splitter.end();
  } catch (e) {
    stopped = e as Error;
  }
  return { pieces, whole: stopped ? null : wholeRecords(text, pieces), stopped, streamedRecords: splitter.streamedKeys.has('Records') };
}

type UnitBase = { readonly type: 'unit'; readonly sourceId: number; readonly size: number; readonly sha256: string; readonly bytesRead: number };

async function parseDecoded(task: Task, stored: Buffer, base: UnitBase, decoded: Decoded): Promise<void> {
  if (decoded.container) {
    const copy = new Uint8Array(stored);
    post({ ...base, kind: decoded.container, records: 0, rejects: 0, note: null, container: decoded.container, containerBytes: copy }, [copy.buffer]);
    return;
  }
  const text = decoded.bytes;
  const firstByte = text ? text.findIndex((c) => c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) : -1;
  if (!text || firstByte < 0 || (text[firstByte] !== 0x7b && text[firstByte] !== 0x5b)) {
    const k = text ? nonJsonKind(text, task.displayPath) : { kind: 'unreadable' as SourceKind, note: decoded.note ?? 'nothing could be decoded' };
    post({ ...base, kind: k.kind, records: 0, rejects: 0, note: decoded.note ?? k.note });
    return;
  }

  let records = 0;
  let rejects = 0;
  let digests = 0;
  const kinds = new Set<ItemKind>();
  const reject = (reason: string, bytes: Buffer): void => {
    post({ type: 'reject', sourceId: task.sourceId, index: records, reason, excerpt: excerpt(bytes) });
    records++;
    rejects++;
  };
  const sink = {
    record(rec: Obj, bytes: Buffer, fallbackTime: unknown, kind: ItemKind): void {
      const n = normalize(rec, fallbackTime);
      if (typeof n === 'string') return reject(n, bytes);
      kinds.add(kind);
      encoder.add(n, bytes, task.sourceId, records);
      records++;
    },
    reject,
    digest(json: string): void {
      digests++;
      post({ type: 'digest', sourceId: task.sourceId, json });
    },
    ignore(): void {},
  };
  const item = (bytes: Buffer, ctx: string, whole: unknown): void => {
    let parsed = whole;
    if (parsed === undefined) {
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch (e) {
        return reject(`invalid JSON: ${(e as Error).message}`, bytes);
      }
    }
    const kind: ItemKind = ctx === 'Records' ? 'trail' : ctx === 'Events' ? 'lookup-events' : ctx === 'logEvents' || ctx === 'events' ? 'cloudwatch-logs' : 'records';
    unwrap(parsed, bytes, sink, kind, undefined, 0);
  };
  let note = decoded.note;
  let stopped: Error | null = null;
  let streamedRecords = true;
  const read = text.length <= WHOLE_PARSE_MAX ? encoder.readRecords(text) : null;
  if (read) {
    // A trail file read in WebAssembly: its records' fields come without JSON.parse, except those
    // the reader left to the JavaScript path. Usually all of them were read there, and the reader
    // writes their rows too.
    if (encoder.addReads(read, text, task.sourceId, records)) {
      if (read.count > 0) kinds.add('trail');
      records += read.count;
    } else {
      for (let i = 0; i < read.count; i++) {
        if (read.ok(i)) {
          kinds.add('trail');
          encoder.addRead(read, i, text, task.sourceId, records++);
        } else {
          item(text.subarray(read.start(i), read.end(i)), 'Records', undefined);
        }
      }
    }
  } else {
    // Items are split first and handled after, so a plain trail file can be parsed in one call.
    let pieces: Piece[];
    let whole: unknown[] | null;
    ({ pieces, whole, stopped, streamedRecords } = envelopePieces(text));
    if (!whole) ({ pieces, whole, stopped, streamedRecords } = splitPieces(text));
    pieces.forEach((p, k) => (p.bad !== null ? reject(p.bad, p.bytes) : item(p.bytes, p.ctx, whole?.[k])));
  }
  if (stopped) {
    note = [note, `stopped reading: ${stopped.message}`].filter(Boolean).join('; ');
    rejects++;
    records++;
    post({ type: 'reject', sourceId: task.sourceId, index: records - 1, reason: `rest of file not read: ${stopped.message}`, excerpt: null });
  }
  let kind: SourceKind;
  if (records === 0 && digests > 0) kind = 'digest';
  else if (kinds.size === 1) kind = KIND_OF[[...kinds][0] as ItemKind];
  else if (kinds.size > 1) kind = kinds.has('trail') ? 'cloudtrail-log' : 'json-records';
  else if (streamedRecords) kind = 'cloudtrail-log';
  else kind = 'unknown-json';
  if (kind === 'digest') note = note ?? 'CloudTrail digest file (kept for integrity validation)';
  if (kind === 'unknown-json') note = note ?? `JSON without CloudTrail records (${rejects} item${rejects === 1 ? '' : 's'} rejected; see rejects)`;
  post({ ...base, kind, records, rejects, note });
}

let chain: Promise<void> = Promise.resolve();
/** Steps received and not yet done: when none is left, what is in the outbox goes out. */
let queued = 0;
/**
 * Whether the outbox goes out once the messages already received are handled: Node runs each
 * message's step before it delivers the next, so `queued` reached 0 after every file, and each
 * file's report went alone (a message each way per file, waking the other thread each time).
 */
let flushing = false;
function flushSoon(): void {
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    if (queued === 0) outbox.flush();
  });
}
function step(run: () => Promise<void> | void): void {
  queued++;
  chain = chain
    .then(run)
    .catch((e: unknown) => {
      post({ type: 'fatal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      outbox.flush();
    })
    .finally(() => {
      queued--;
      if (queued === 0) flushSoon();
    });
}
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'tasks') {
    for (const task of msg.tasks) step(() => processTask(task));
  } else if (msg.type === 'flush') {
    step(() => {
      encoder.flush();
      post({ type: 'flushed' });
    });
  } else {
    step(() => {
      outbox.flush();
      port.close();
    });
  }
});
