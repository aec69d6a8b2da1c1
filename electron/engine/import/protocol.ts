/**
 * Messages between the import coordinator and its parse workers.
 *
 * Workers dictionary-encode strings themselves (ids local to the worker, sent as `strings` messages
 * before first use) and send events column-wise in typed arrays, so that little more than integers
 * crosses threads and then the WebAssembly boundary. Raw record bytes travel as deflated blocks.
 */
import { SCALAR_COLUMNS } from '../store/schema';
import type { SourceKind } from '../../../shared/domain';
import type { PackedTexts } from '../store/packedTexts';
import type { DecodeLimits } from './decode';

/** Dictionary-encoded columns, in batch order. */
export const DICT_COLUMNS: readonly string[] = SCALAR_COLUMNS.filter((c) => c.storage === 'dict').map((c) => c.col);
export const NDICT = DICT_COLUMNS.length;

/** Numeric slots of a batch row. NUM_NULL stands for SQL NULL. */
export const NUM = { t: 0, readOnly: 1, management: 2, sourceId: 3, sourceIndex: 4, blk: 5, off: 6, len: 7, synthetic: 8 } as const;
export const NNUM = 9;
export const NUM_NULL = -1;

/** Text slots of a batch row. */
export const TXT = { eventId: 0, requestId: 1, sharedEventId: 2 } as const;
export const NTXT = 3;

export type Task =
  | { readonly type: 'task'; readonly sourceId: number; readonly displayPath: string; readonly path: string }
  | { readonly type: 'task'; readonly sourceId: number; readonly displayPath: string; readonly bytes: Uint8Array };

/** Files go to a worker several to a message when several are due (see the coordinator's dispatch). */
export type ToWorker = { readonly type: 'tasks'; readonly tasks: readonly Task[] } | { readonly type: 'flush' } | { readonly type: 'stop' };

export interface EventsBatch {
  readonly type: 'events';
  readonly count: number;
  readonly dict: Int32Array;
  readonly nums: Float64Array;
  /** The TXT slots of each row as UTF-8: slot k of row r is entry r * NTXT + k (length -1: NULL). */
  readonly texts: PackedTexts;
  /** Triples (row in batch, type id, arn id). */
  readonly resources: Int32Array;
}

/** What is known of one input file once it has been read: what becomes its `sources` row. */
export interface FileFacts {
  readonly size: number;
  readonly sha256: string | null;
  readonly kind: SourceKind;
  /** Records found in the file (imported, duplicate or rejected). */
  readonly records: number;
  readonly rejects: number;
  readonly note: string | null;
}

/** The note of a file an import never read because it was cancelled first. */
export const CANCELLED_NOTE = 'import cancelled before this file was read';

/**
 * What a parse worker is given at its start. `stop` (a shared word) is set to 1 when the import is
 * cancelled or has failed: a worker holds up to TASKS_PER_WORKER files (coordinator.ts), and a
 * message telling it to stop would only be read once it had done them all (Node delivers a message
 * between tasks, and a worker's queued files run as one chain), so it looks at the word before each file.
 */
export interface WorkerSetup {
  readonly limits: Partial<DecodeLimits>;
  readonly stop: Int32Array;
}

export interface UnitDone extends FileFacts {
  readonly type: 'unit';
  readonly sourceId: number;
  /** Set when the file is an archive: the coordinator reads it (from the bytes, or from the path). */
  readonly container?: 'zip' | 'tar' | 'tgz';
  /** The archive's bytes, handed back when it came from inside another archive. */
  readonly containerBytes?: Uint8Array;
  readonly bytesRead: number;
}

export type FromWorker =
  /** Strings new to the worker, as UTF-8: its next local ids, in order. */
  | { readonly type: 'strings'; readonly texts: PackedTexts }
  | { readonly type: 'block'; readonly id: number; readonly usize: number; readonly data: Uint8Array }
  | EventsBatch
  | { readonly type: 'reject'; readonly sourceId: number; readonly index: number; readonly reason: string; readonly excerpt: string | null }
  | { readonly type: 'digest'; readonly sourceId: number; readonly json: string }
  | UnitDone
  | { readonly type: 'flushed' }
  /** Several of the above, in order (see outbox.ts). */
  | { readonly type: 'bundle'; readonly msgs: readonly FromWorker[] }
  | { readonly type: 'fatal'; readonly message: string };
