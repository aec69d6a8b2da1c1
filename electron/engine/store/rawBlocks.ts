/**
 * Reads original records back from `raw_blocks`: zlib-deflated blocks of concatenated record bytes,
 * each event pointing at (blk, off, len). Inflated blocks are kept in a small LRU, so a scan in id
 * order inflates each block once. Used by the SQL functions and by `Store.rawRecord`.
 */
import zlib from 'node:zlib';
import type { Database, Statement } from 'sql.js';

const CACHE_BLOCKS = 96;

export interface RawBlock {
  readonly usize: number;
  readonly data: Uint8Array;
}

/** Largest output chunk asked of zlib: a block's `usize` comes from a case file, which may lie. */
const MAX_CHUNK = 64 * 1024 * 1024;

function inflate(b: RawBlock): Buffer {
  if (b.data.length === b.usize) return Buffer.from(b.data);
  // One output chunk of the block's size: zlib's default of 16 KiB chunks joined at the end spent
  // a quarter of the time copying (CPU profile of the duplicate comparison).
  return zlib.inflateSync(b.data, { chunkSize: Math.min(MAX_CHUNK, Math.max(16 * 1024, b.usize + 1)) });
}

export class RawBlockReader {
  private readonly cache = new Map<number, Buffer>();
  private readonly lowerCache = new Map<number, Buffer>();
  private stmt: Statement | undefined;
  /** The first occurrence of `needle` at or after `from` in block `blk` is `at` (-1: none). */
  private memo = { blk: -1, needle: '', from: 0, at: -1 };

  constructor(
    /** Where saved blocks are (`raw_blocks`); null when every block is in `live`. */
    private readonly db: Database | null,
    /** Blocks of this session not yet in `raw_blocks` (they are written when the case is saved). */
    private readonly live: ReadonlyMap<number, RawBlock>,
    /** Inflated blocks kept. */
    private readonly cacheBlocks = CACHE_BLOCKS,
  ) {}

  /** The inflated bytes of a block, or undefined when it does not exist. */
  block(id: number): Buffer | undefined {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    let inflated: Buffer | undefined;
    const live = this.live.get(id);
    if (live) {
      inflated = inflate(live);
    } else if (this.db) {
      this.stmt ??= this.db.prepare('SELECT usize, data FROM raw_blocks WHERE id = ?');
      const stmt = this.stmt;
      stmt.bind([id]);
      if (stmt.step()) {
        const [usize, data] = stmt.get();
        if (typeof usize === 'number' && data instanceof Uint8Array) inflated = inflate({ usize, data });
      }
      stmt.reset();
    }
    if (!inflated) return undefined;
    this.cache.set(id, inflated);
    if (this.cache.size > this.cacheBlocks) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) {
        this.cache.delete(oldest);
        this.lowerCache.delete(oldest);
      }
    }
    return inflated;
  }

  bytes(blk: number, off: number, len: number): Buffer | undefined {
    const b = this.block(blk);
    if (!b || off < 0 || off + len > b.length) return undefined;
    return b.subarray(off, off + len);
  }

  text(blk: number, off: number, len: number): string | null {
    const b = this.bytes(blk, off, len);
    return b ? b.toString('utf8') : null;
  }

  /**
   * Case-insensitive substring test over the record's bytes. ASCII needles search an ASCII-lowered
   * copy of the block (made once per block); others decode the record.
   */
  contains(blk: number, off: number, len: number, needle: string): boolean {
    if (needle.length === 0) return true;
    if (!/^[\x00-\x7f]*$/.test(needle)) {
      const t = this.text(blk, off, len);
      return t !== null && t.toLowerCase().includes(needle.toLowerCase());
    }
    const block = this.block(blk);
    if (!block || off + len > block.length) return false;
    let lower = this.lowerCache.get(blk);
    if (!lower) {
      lower = Buffer.from(block);
      for (let i = 0; i < lower.length; i++) {
        const c = lower[i] as number;
        if (c >= 65 && c <= 90) lower[i] = c + 32;
      }
      this.lowerCache.set(blk, lower);
    }
    const lowered = needle.toLowerCase();
    const m = this.memo;
    let at: number;
    if (m.blk === blk && m.needle === lowered && off >= m.from && (m.at === -1 || off <= m.at)) {
      at = m.at;
    } else {
      at = lower.indexOf(Buffer.from(lowered, 'latin1'), off);
      this.memo = { blk, needle: lowered, from: off, at };
    }
    return at >= 0 && at + lowered.length <= off + len;
  }

  reset(): void {
    this.cache.clear();
    this.lowerCache.clear();
    this.memo = { blk: -1, needle: '', from: 0, at: -1 };
  }

  close(): void {
    this.stmt?.free();
    this.stmt = undefined;
    this.reset();
  }
}
