/**
 * Where each `ev` column of an import's rows comes from in a worker batch, and the two ways rows
 * are written: as values of an INSERT (a case that already has events), or, in a bulk import,
 * encoded straight into the table's leaf page (EvEncoder).
 *
 * EvEncoder works out each column's value and serial type in one pass and writes the record's
 * header and body in place in a second, with the row's indexed integers kept on the way. Building
 * the record in a RecordWriter from a plan of tuples, then copying it twice (into the record, into
 * the page), took about a third of the coordinator thread's time at a million events (profile).
 */
import { DICT_COLUMNS, NDICT, NNUM, NTXT, NUM, NUM_NULL, TXT } from '../import/protocol';
import { type EvRows, INT_COLUMNS, INT_NULL } from './bulkRows';
import { INT_BYTES, copyBytes, intSerialType, putInt, putReal, putVarint, varintLength } from './image/record';
import type { TableBuilder } from './image/pages';
import { type PackedTexts, packedText } from './packedTexts';
import { EV_INSERT_COLUMNS, EV_TABLE_COLUMNS, RAW_FMT_RECORD } from './schema';

/** One worker batch of events, with the maps from its local string and block ids to the store's. */
export interface Batch {
  readonly dict: Int32Array;
  readonly nums: Float64Array;
  readonly texts: PackedTexts;
  readonly strMap: readonly number[];
  readonly blkMap: readonly number[];
}

/** Where a column comes from (numbers, not a const enum: they index typed arrays). */
const ROWID = 0;
const DICT = 1;
const NUMBER = 2;
const NUMBER_OR_NULL = 3;
const BLOCK = 4;
const FORMAT = 5;
/** eventID: never NULL ('' when missing). */
const EVENT_ID = 6;
const TEXT = 7;

/** [source, slot] of an `ev` column: its slot among the batch's dictionary ids, numbers or texts. */
function sourceOf(col: string): readonly [number, number] {
  switch (col) {
    case 'id':
      return [ROWID, 0];
    case 'event_id':
      return [EVENT_ID, TXT.eventId];
    case 'request_id':
      return [TEXT, TXT.requestId];
    case 'shared_event_id':
      return [TEXT, TXT.sharedEventId];
    case 't':
      return [NUMBER, NUM.t];
    case 'read_only':
      return [NUMBER_OR_NULL, NUM.readOnly];
    case 'management':
      return [NUMBER_OR_NULL, NUM.management];
    case 'source_id':
      return [NUMBER, NUM.sourceId];
    case 'source_index':
      return [NUMBER, NUM.sourceIndex];
    case 'off':
      return [NUMBER, NUM.off];
    case 'len':
      return [NUMBER, NUM.len];
    case 'blk':
      return [BLOCK, NUM.blk];
    case 'fmt':
      return [FORMAT, 0];
    default: {
      const slot = DICT_COLUMNS.indexOf(col);
      if (slot < 0) throw new Error(`ev column ${col} has no source in a batch`);
      return [DICT, slot];
    }
  }
}

/** The INSERT's values (EV_INSERT_COLUMNS order), computed once: the row loop runs millions of times. */
const INSERT_PLAN = EV_INSERT_COLUMNS.map(sourceOf);

/** Value of a column of row `r` (eventID '' when missing). */
function value(source: number, slot: number, b: Batch, r: number): number | string | null {
  switch (source) {
    case DICT: {
      const local = b.dict[r * NDICT + slot] as number;
      return local === 0 ? null : (b.strMap[local] as number);
    }
    case NUMBER:
      return b.nums[r * NNUM + slot] as number;
    case NUMBER_OR_NULL: {
      const x = b.nums[r * NNUM + slot] as number;
      return x === NUM_NULL ? null : x;
    }
    case BLOCK:
      return b.blkMap[b.nums[r * NNUM + slot] as number] as number;
    case FORMAT:
      return RAW_FMT_RECORD;
    case EVENT_ID:
      return packedText(b.texts, r * NTXT + slot) ?? '';
    case TEXT:
      return packedText(b.texts, r * NTXT + slot);
    default:
      throw new Error(`column source ${source} has no value`);
  }
}

/** Appends the INSERT values of row `r` (rowid `id`) to `out`. */
export function pushInsertValues(out: (number | string | null)[], id: number, b: Batch, r: number): void {
  for (const [source, slot] of INSERT_PLAN) {
    if (source === ROWID) {
      out.push(id);
      continue;
    }
    out.push(value(source, slot, b, r));
  }
}

/** Writes `ev` rows of a bulk import straight into the table's pages; see the file's comment. */
export class EvEncoder {
  private readonly sources: Uint8Array;
  private readonly slots: Int32Array;
  /** The text columns (they decide the header's size), and each one's slot among a row's texts. */
  private readonly textCols: Int32Array;
  private readonly textSlots: Int32Array;
  /** Per column of the row being written: its serial type (texts), its value (NULL as INT_NULL, as EvRows keeps it). */
  private readonly types: Int32Array;
  private readonly values: Float64Array;
  /** Table column of each of INT_COLUMNS, the integers EvRows keeps. */
  private readonly kept: Int32Array;
  /** The record being written. */
  private out = new Uint8Array(4096);
  /** Views of `out` by length, made once (a view per record is a million short-lived objects per million events). */
  private readonly views: Uint8Array[] = [];

  constructor() {
    const plan = EV_TABLE_COLUMNS.map(sourceOf);
    this.sources = Uint8Array.from(plan, ([source]) => source);
    this.slots = Int32Array.from(plan, ([, slot]) => slot);
    const texts = plan.flatMap(([source], c) => (source === TEXT || source === EVENT_ID ? [c] : []));
    this.textCols = Int32Array.from(texts);
    this.textSlots = Int32Array.from(texts, (c) => (plan[c] as readonly [number, number])[1]);
    this.types = new Int32Array(plan.length);
    this.values = new Float64Array(plan.length);
    this.kept = Int32Array.from(INT_COLUMNS, (c) => EV_TABLE_COLUMNS.indexOf(c));
  }

  /** Writes row `r` of the batch as rowid `rowid` of `table`, and its indexed columns into `ev`. */
  add(table: TableBuilder, ev: EvRows, rowid: number, b: Batch, r: number): void {
    const { sources, slots, types, values } = this;
    const { dict, nums, strMap } = b;
    const { lengths, starts, bytes } = b.texts;
    const d = r * NDICT;
    const n = r * NNUM;
    const x = r * NTXT;
    // The texts first: a text of 58 bytes or more takes two bytes of header.
    let headerBytes = sources.length;
    let textBytes = 0;
    const { textCols, textSlots } = this;
    for (let k = 0; k < textCols.length; k++) {
      const c = textCols[k] as number;
      const len = lengths[x + (textSlots[k] as number)] as number;
      const type = len < 0 ? (sources[c] === EVENT_ID ? 13 : 0) : 13 + 2 * len;
      types[c] = type;
      if (len > 0) textBytes += len;
      if (type >= 0x80) headerBytes += varintLength(type) - 1;
    }
    // As RecordWriter.finish: the header's size counts its own varint.
    let headerSize = headerBytes + 1;
    if (varintLength(headerSize) > 1) headerSize = headerBytes + varintLength(headerBytes + 2);
    if (this.out.length < headerSize + 9 * sources.length + textBytes) {
      this.out = new Uint8Array(2 * (headerSize + 9 * sources.length + textBytes));
      this.views.length = 0;
    }
    const out = this.out;
    // One pass over the columns writes each one's serial type into the header (at h) and its value into the body (at p).
    let h = putVarint(out, 0, headerSize);
    let p = headerSize;
    for (let c = 0; c < sources.length; c++) {
      const slot = slots[c] as number;
      // NULL is told by the source (a dictionary id 0, NUM_NULL), never by the value: a time may be any number.
      let v = 0;
      let isNull = false;
      switch (sources[c]) {
        case ROWID:
          isNull = true;
          break;
        case DICT: {
          // A dictionary id (a positive int32, most of the columns): written here, without the
          // general integer path below (timing script: the encoder's rows about an eighth faster).
          const local = dict[d + slot] as number;
          if (local === 0) {
            values[c] = INT_NULL;
            out[h++] = 0;
            continue;
          }
          const id = strMap[local] as number;
          values[c] = id;
          if (id < 0x80) {
            if (id === 1) out[h++] = 9;
            else {
              out[h++] = 1;
              out[p++] = id;
            }
          } else if (id < 0x8000) {
            out[h++] = 2;
            out[p] = id >>> 8;
            out[p + 1] = id & 0xff;
            p += 2;
          } else if (id < 0x800000) {
            out[h++] = 3;
            out[p] = id >>> 16;
            out[p + 1] = (id >>> 8) & 0xff;
            out[p + 2] = id & 0xff;
            p += 3;
          } else {
            out[h++] = 4;
            out[p] = id >>> 24;
            out[p + 1] = (id >>> 16) & 0xff;
            out[p + 2] = (id >>> 8) & 0xff;
            out[p + 3] = id & 0xff;
            p += 4;
          }
          continue;
        }
        case NUMBER:
          v = nums[n + slot] as number;
          break;
        case NUMBER_OR_NULL:
          v = nums[n + slot] as number;
          if (v === NUM_NULL) isNull = true;
          break;
        case BLOCK:
          v = b.blkMap[nums[n + slot] as number] as number;
          break;
        case FORMAT:
          v = RAW_FMT_RECORD;
          break;
        default: {
          // A text: its type is known.
          const type = types[c] as number;
          if (type < 0x80) out[h++] = type;
          else h = putVarint(out, h, type);
          if (type === 0) continue;
          const len = (type - 13) / 2;
          copyBytes(out, p, bytes, starts[x + slot] as number, len);
          p += len;
          continue;
        }
      }
      values[c] = isNull ? INT_NULL : v;
      if (isNull) {
        out[h++] = 0;
        continue;
      }
      if (!Number.isSafeInteger(v)) {
        out[h++] = 7;
        putReal(out, p, v);
        p += 8;
        continue;
      }
      const type = intSerialType(v);
      out[h++] = type;
      const width = INT_BYTES[type] as number;
      if (width > 0) putInt(out, p, v, width);
      p += width;
    }
    table.add(rowid, (this.views[p] ??= out.subarray(0, p)));
    const row = ev.begin(nums[n + NUM.t] as number, b.texts, x + TXT.sharedEventId);
    const kept = this.kept;
    for (let k = 0; k < kept.length; k++) (ev.ints[k] as Int32Array)[row] = values[kept[k] as number] as number;
  }
}
