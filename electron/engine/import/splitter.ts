/**
 * Incremental splitter: turns a stream of JSON text (one document, a JSON array, NDJSON, concatenated
 * or pretty-printed values) into items, each with its exact bytes, without holding the whole file:
 *  - elements of a top-level object's `Records`, `Events`, `events` or `logEvents` array are emitted
 *    one by one (ctx = that key), so a 1 GB trail file costs one record of memory;
 *  - elements of a top-level array are emitted one by one (ctx = '[]');
 *  - any other top-level value is emitted whole (ctx = '').
 * Scanning is resumable across chunks and amortised linear, even for a 50 MB record. A value that
 * never ends (truncated file) is reported, and its bytes are re-read line by line so that NDJSON
 * after a corrupt line is not lost.
 */
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET, isSpace, skipString } from './jsonScan';

function isScalarStart(c: number): boolean {
  return c !== LBRACE && c !== LBRACKET && c !== QUOTE;
}

export const STREAM_KEYS: ReadonlySet<string> = new Set(['Records', 'Events', 'events', 'logEvents']);

export interface SplitSink {
  item(bytes: Buffer, ctx: string): void;
  /** A stretch of input that is not a JSON value (or not a complete one). */
  bad(excerpt: Buffer, reason: string): void;
}

const enum S {
  Top,
  ObjKey,
  ObjColon,
  ObjValue,
  ObjAfterValue,
  Stream,
  Value,
}

interface ValueScan {
  start: number;
  pos: number;
  depth: number;
  inStr: boolean;
  strStart: number;
  /** A number or literal (ends at the next structural byte), decided at its first byte. */
  scalar: boolean;
  /** Where to go when the value ends. */
  ctx: string;
  kind: 'item' | 'member';
}

export class Splitter {
  private data: Buffer = Buffer.alloc(0);
  private len = 0;
  /** Bytes before `keep` are no longer needed. */
  private keep = 0;
  private pos = 0;
  private state: S = S.Top;
  /** Start of the current top-level object (emitted whole unless one of its arrays is streamed). */
  private objStart = -1;
  private objStreamed = false;
  private streamKey = '';
  /** Stream elements belong to a top-level array rather than an object member. */
  private topArray = false;
  private pendingKey = '';
  private v: ValueScan | null = null;
  /** Keys whose arrays were streamed (e.g. `Records`), to tell an empty trail file from other JSON. */
  readonly streamedKeys = new Set<string>();
  /** Set by end(): no more input will come, so a line or scalar may end at the buffer's end. */
  private ending = false;

  constructor(
    private readonly sink: SplitSink,
    private readonly maxItemBytes = 256 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.append(chunk);
    this.scan();
  }

  /** Call at end of input. */
  end(): void {
    this.ending = true;
    this.scan();
    const holdObject = this.objStart >= 0 && !this.objStreamed;
    const tail = holdObject ? this.objStart : this.v ? this.v.start : this.state === S.Top ? -1 : this.pos;
    if (tail >= 0 && tail < this.len) {
      const rest = this.data.subarray(tail, this.len);
      if (rest.some((c) => !isSpace(c))) this.recoverLines(rest);
    } else if (this.state !== S.Top && this.objStreamed) {
      this.sink.bad(Buffer.alloc(0), 'file ends before its JSON document is closed');
    }
    this.data = Buffer.alloc(0);
    this.len = this.keep = this.pos = 0;
  }

  private append(chunk: Buffer): void {
    if (this.len === this.keep && chunk.length > 0) {
      // Nothing pending: adopt the chunk without copying.
      this.data = chunk;
      this.len = chunk.length;
      this.shift(this.keep);
      return;
    }
    if (this.len + chunk.length > this.data.length) {
      const live = this.len - this.keep;
      const need = live + chunk.length;
      const next = Buffer.allocUnsafe(Math.max(need, Math.min(this.data.length * 2, need * 2), 65536));
      this.data.copy(next, 0, this.keep, this.len);
      this.data = next;
      this.len = live;
      this.shift(this.keep);
    }
    chunk.copy(this.data, this.len);
    this.len += chunk.length;
  }

  /** Rebases every position after dropping `by` leading bytes. */
  private shift(by: number): void {
    if (by === 0) return;
    this.pos -= by;
    if (this.objStart >= 0) this.objStart -= by;
    if (this.v) {
      this.v.start -= by;
      this.v.pos -= by;
      this.v.strStart -= by;
    }
    this.keep = 0;
  }

  private scan(): void {
    const d = this.data;
    for (;;) {
      if (this.v) {
        if (!this.scanValue(this.v)) break;
        continue;
      }
      while (this.pos < this.len && isSpace(d[this.pos] as number)) this.pos++;
      if (this.pos >= this.len) break;
      const c = d[this.pos] as number;
      if (!this.step(c)) break;
    }
    // Keep the current value, and the whole top-level object while it may still be emitted whole.
    const holdObject = this.objStart >= 0 && !this.objStreamed;
    this.keep = Math.min(this.v ? this.v.start : this.pos, holdObject ? this.objStart : this.pos);
  }

  /** One structural step outside a value scan. Returns false when more input is needed. */
  private step(c: number): boolean {
    switch (this.state) {
      case S.Top:
        if (c === LBRACE) {
          this.objStart = this.pos;
          this.objStreamed = false;
          this.state = S.ObjKey;
          this.pos++;
        } else if (c === LBRACKET) {
          this.topArray = true;
          this.streamKey = '[]';
          this.state = S.Stream;
          this.pos++;
        } else if (c === COMMA) {
          this.pos++;
        } else {
          return this.skipGarbageLine();
        }
        return true;
      case S.ObjKey: {
        if (c === COMMA) {
          this.pos++;
          return true;
        }
        if (c === RBRACE) {
          this.pos++;
          if (!this.objStreamed) this.sink.item(this.data.subarray(this.objStart, this.pos), '');
          this.objStart = -1;
          this.state = S.Top;
          return true;
        }
        if (c !== QUOTE) return this.abandonObject();
        const end = skipString(this.data, this.pos + 1, this.len);
        if (end < 0) return false;
        try {
          this.pendingKey = JSON.parse(this.data.toString('utf8', this.pos, end)) as string;
        } catch {
          this.pendingKey = '';
        }
        this.pos = end;
        this.state = S.ObjColon;
        return true;
      }
      case S.ObjColon:
        if (c !== COLON) return this.abandonObject();
        this.pos++;
        this.state = S.ObjValue;
        return true;
      case S.ObjValue:
        if (c === LBRACKET && STREAM_KEYS.has(this.pendingKey)) {
          this.objStreamed = true;
          this.topArray = false;
          this.streamKey = this.pendingKey;
          this.streamedKeys.add(this.pendingKey);
          this.state = S.Stream;
          this.pos++;
          return true;
        }
        this.v = { start: this.pos, pos: this.pos, depth: 0, inStr: false, strStart: 0, scalar: isScalarStart(this.data[this.pos] as number), ctx: '', kind: 'member' };
        return true;
      case S.ObjAfterValue:
        this.state = S.ObjKey;
        return true;
      case S.Stream:
        if (c === COMMA) {
          this.pos++;
          return true;
        }
        if (c === RBRACKET) {
          this.pos++;
          this.state = this.topArray ? S.Top : S.ObjKey;
          this.topArray = false;
          return true;
        }
        if (c === RBRACE) {
          // A '}' where the next element or the array's ']' should be (a ']' missing, or one taken
          // into a broken element): reported, and read as the array's end, the '}' then closing the
          // object around it. Taken for an element, it was an empty one, emitted again and again.
          this.sink.bad(this.data.subarray(this.pos, this.pos + 1), "malformed JSON: '}' where an element of the array or its ']' should be");
          if (this.topArray) this.pos++;
          this.state = this.topArray ? S.Top : S.ObjKey;
          this.topArray = false;
          return true;
        }
        this.v = { start: this.pos, pos: this.pos, depth: 0, inStr: false, strStart: 0, scalar: isScalarStart(this.data[this.pos] as number), ctx: this.streamKey, kind: 'item' };
        return true;
      default:
        return false;
    }
  }

  /**
   * A top-level object whose structure is broken: report it up to the offending byte and read on from
   * there as a new top-level value (an NDJSON line after a corrupt one is not lost).
   */
  private abandonObject(): boolean {
    const start = this.objStart >= 0 ? this.objStart : this.pos;
    this.sink.bad(this.data.subarray(start, this.pos), 'malformed JSON object');
    this.objStart = -1;
    this.objStreamed = false;
    this.state = S.Top;
    return true;
  }

  /** Returns false when the line's end has not arrived yet. */
  private skipGarbageLine(): boolean {
    const nl = this.data.indexOf(0x0a, this.pos);
    if ((nl < 0 || nl >= this.len) && !this.ending) return false;
    const end = nl < 0 || nl >= this.len ? this.len : nl + 1;
    this.sink.bad(this.data.subarray(this.pos, end), 'not a JSON object or array');
    this.pos = end;
    return true;
  }

  /** Continues scanning a value; returns false when more input is needed. */
  private scanValue(v: ValueScan): boolean {
    const d = this.data;
    const len = this.len;
    let i = v.pos;
    if (v.scalar) {
      while (i < len) {
        const x = d[i] as number;
        if (x === COMMA || x === RBRACE || x === RBRACKET || isSpace(x)) break;
        i++;
      }
      if (i >= len && !this.ending) {
        v.pos = i;
        return false;
      }
      return this.finishValue(v, i);
    }
    for (;;) {
      if (v.inStr) {
        const q = d.indexOf(QUOTE, i);
        if (q < 0 || q >= len) {
          v.pos = len;
          return this.checkSize(v);
        }
        let bs = 0;
        for (let k = q - 1; k >= v.strStart && d[k] === BACKSLASH; k--) bs++;
        i = q + 1;
        if ((bs & 1) === 0) {
          v.inStr = false;
          if (v.depth === 0) return this.finishValue(v, i);
        }
        continue;
      }
      if (i >= len) {
        v.pos = i;
        return this.checkSize(v);
      }
      const x = d[i] as number;
      if (x === QUOTE) {
        v.inStr = true;
        v.strStart = i + 1;
      } else if (x === LBRACE || x === LBRACKET) {
        v.depth++;
      } else if (x === RBRACE || x === RBRACKET) {
        v.depth--;
        if (v.depth === 0) return this.finishValue(v, i + 1);
      }
      i++;
    }
  }

  private checkSize(v: ValueScan): boolean {
    if (v.pos - v.start > this.maxItemBytes) {
      throw new Error(`a JSON value larger than ${this.maxItemBytes} bytes`);
    }
    return false;
  }

  private finishValue(v: ValueScan, end: number): boolean {
    // An element of no bytes would leave the scan where it was, forever.
    if (v.kind === 'item' && end === v.start) throw new Error(`splitter: an empty element at byte ${end} (a bug)`);
    this.v = null;
    this.pos = end;
    if (v.kind === 'item') {
      this.sink.item(this.data.subarray(v.start, end), v.ctx);
    } else {
      this.state = S.ObjAfterValue;
    }
    return true;
  }

  /**
   * Re-reads an unterminated region line by line, keeping every line that is a whole JSON value; each
   * run of other lines is reported once.
   */
  private recoverLines(rest: Buffer): void {
    let start = 0;
    let badStart = -1;
    let badEnd = -1;
    const flushBad = (atEnd: boolean): void => {
      if (badStart < 0) return;
      this.sink.bad(rest.subarray(badStart, badEnd), atEnd ? 'JSON value cut off (the input ends inside it)' : 'malformed JSON');
      badStart = badEnd = -1;
    };
    while (start < rest.length) {
      let nl = rest.indexOf(0x0a, start);
      if (nl < 0) nl = rest.length;
      const line = rest.subarray(start, nl);
      const lineStart = start;
      start = nl + 1;
      if (!line.some((c) => !isSpace(c))) continue;
      let parsed = false;
      if (badStart >= 0 || lineStart > 0) {
        try {
          const v: unknown = JSON.parse(line.toString('utf8'));
          parsed = v !== null && typeof v === 'object';
        } catch {
          parsed = false;
        }
      }
      if (parsed) {
        flushBad(false);
        this.sink.item(line, '');
      } else {
        if (badStart < 0) badStart = lineStart;
        badEnd = nl;
      }
    }
    flushBad(true);
  }
}
