/**
 * The copies an import drops as duplicates, each kept in `duplicates` with whether it is byte for
 * byte the record kept: both are read back from their raw blocks, in the order of the blocks they
 * need, so that a small cache of inflated blocks serves most reads. A bulk import of 200,000 events
 * or more does this on a worker (offThread.ts): inflating ~20,000 log files on the main thread at
 * ten million events cost 27 s, most of it full collections of its large heap that each freshly
 * inflated buffer provoked.
 */
import { BlockInflater } from '../import/gzipBlock';
import { type JobThread, compareCopiesOffThread } from './offThread';
import type { RawBlock } from './rawBlocks';
import type { Store } from './store';

/** Inflated bytes of blocks up to which the copies are compared on the finish's own thread (see DroppedCopies.compare). */
const COMPARE_HERE_BYTES = 256 * 1024 * 1024;

/** Per copy: its (blk, off, len), then the kept record's. */
export const REF_WIDTH = 6;

export interface CopiesJob {
  readonly refs: Float64Array;
  /** Every block the refs name. */
  readonly blocks: ReadonlyMap<number, RawBlock>;
}

/** The bytes of a copy's record or of the record kept; undefined when they cannot be read. */
type ReadBytes = (blk: number, off: number, len: number, which: 'copy' | 'kept') => Uint8Array | undefined;

/** Per copy: 1 when identical, 0 when not, -1 when either record cannot be read. */
export function compareCopies(refs: Float64Array, bytes: ReadBytes): Int8Array {
  const n = refs.length / REF_WIDTH;
  const at = (i: number, k: number): number => refs[i * REF_WIDTH + k] as number;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => at(x, 3) - at(y, 3) || at(x, 4) - at(y, 4) || at(x, 0) - at(y, 0) || at(x, 1) - at(y, 1));
  const out = new Int8Array(n);
  for (const i of order) {
    const b = bytes(at(i, 3), at(i, 4), at(i, 5), 'kept');
    const a = b && bytes(at(i, 0), at(i, 1), at(i, 2), 'copy');
    out[i] = a && b ? (Buffer.from(a.buffer, a.byteOffset, a.length).equals(b) ? 1 : 0) : -1;
  }
  return out;
}

/**
 * Records read back from their blocks, each block inflated into a buffer kept from block to block,
 * its Adler-32 checked as zlib does (a damaged block fails the job with zlib's reason). Inflating
 * each block into a new buffer (RawBlockReader) cost a page fault for each 4 KiB of each new buffer:
 * perf of the finish at a million events put this job at ~0.24 CPU-s, ~40% of it inflating, much of
 * the rest in the kernel.
 *
 * Given `ends` (per block, the end of the last record that will be read from it), a block is
 * inflated only that far: a deflate stream cannot be entered in the middle, but it can be left
 * there. Its Adler-32, which covers the whole text, is then not checked; what is compared is the
 * bytes read, and zlib still fails on a damaged stream before that end. The bench's 935 copies at a
 * million events are in 1,759 blocks of 192 MB, and each record lies on average halfway into its
 * block: the job on the import's thread, in the finish, took 142–188 ms against 243–375 ms (three
 * imports each, alternating, timing script).
 */
export class BlockTexts {
  private readonly inflater = new BlockInflater(true, 'zlib');
  private blk = -1;
  private text: Uint8Array | null = null;

  constructor(
    private readonly blocks: ReadonlyMap<number, RawBlock>,
    private readonly ends?: ReadonlyMap<number, number>,
  ) {}

  bytes(blk: number, off: number, len: number): Uint8Array | undefined {
    if (blk !== this.blk) {
      const b = this.blocks.get(blk);
      if (!b) return undefined;
      this.text = null;
      this.blk = blk;
      this.text = this.inflate(b, this.ends?.get(blk));
    }
    const t = this.text;
    return t && off >= 0 && len >= 0 && off + len <= t.length ? t.subarray(off, off + len) : undefined;
  }

  private inflate(b: RawBlock, end = Infinity): Uint8Array {
    if (b.data.length === b.usize) return b.data; // stored as it is (RawBlockReader's rule)
    // One byte of room over the block's size, so that zlib reaches the stream's end and checks it;
    // or just the bytes that will be read, when they end before the block does.
    const r = this.inflater.inflate(b.data, end < b.usize ? Math.max(end, 1) : b.usize + 1);
    if (!r) {
      this.blk = -1;
      throw new Error(this.inflater.lastError ?? 'a raw block cannot be inflated');
    }
    return r.text;
  }
}

/** Per block the refs name, where the last record read from it ends. */
export function readEnds(refs: Float64Array): Map<number, number> {
  const ends = new Map<number, number>();
  for (let i = 0; i < refs.length; i += REF_WIDTH) {
    for (const k of [0, 3]) {
      const blk = refs[i + k] as number;
      const end = (refs[i + k + 1] as number) + (refs[i + k + 2] as number);
      if (!(end <= (ends.get(blk) ?? -Infinity))) ends.set(blk, end);
    }
  }
  return ends;
}

/** compareCopies of a job sent to a worker, reading the blocks it was given as far as its records go. */
export function compareJob(job: CopiesJob): Int8Array {
  // The pairs come in the order of the kept records' blocks: one reader for those, one for the copies.
  const ends = readEnds(job.refs);
  const kept = new BlockTexts(job.blocks, ends);
  const copies = new BlockTexts(job.blocks, ends);
  return compareCopies(job.refs, (blk, off, len, which) => (which === 'kept' ? kept : copies).bytes(blk, off, len));
}

/** A record an import dropped as a copy of one it kept (same recipientAccountId and eventID). */
export interface DroppedCopy {
  readonly sourceId: number;
  readonly index: number;
  readonly eventId: string;
  /** The row kept. */
  readonly kept: number;
  readonly blk: number;
  readonly off: number;
  readonly len: number;
}

/** The copies an import drops, compared with the records kept once the load is done, then kept in `duplicates`. */
export class DroppedCopies {
  private readonly copies: DroppedCopy[] = [];

  add(copy: DroppedCopy): void {
    this.copies.push(copy);
  }

  /**
   * Starts comparing each copy with the record kept, whose (blk, off, len) `keptRef` gives: as a
   * job when all the blocks they need are this session's (always so for a first import), else here
   * through the store's reader. The job runs on `thread`, or, when none is given, on this thread if
   * the blocks it inflates hold at most COMPARE_HERE_BYTES (the thread waits for the index jobs
   * meanwhile, and a worker of its own cost its start and a cold isolate's compiles for ~0.1 s of
   * work: the bench's 935 copies at a million events, in 1,759 blocks of 192 MB), else on `otherwise`.
   */
  compare(store: Store, keptRef: (row: number) => readonly unknown[], thread?: JobThread, otherwise: JobThread = 'worker'): Promise<Int8Array> {
    const refs = new Float64Array(this.copies.length * REF_WIDTH);
    this.copies.forEach((c, i) => refs.set([c.blk, c.off, c.len, ...keptRef(c.kept)].map(Number), i * REF_WIDTH));
    if (refs.length === 0) return Promise.resolve(new Int8Array(0));
    const blocks = new Map<number, RawBlock>();
    for (let i = 0; i < refs.length; i += REF_WIDTH) {
      for (const id of [refs[i] as number, refs[i + 3] as number]) {
        const b = store.blocks.get(id);
        if (!b) return Promise.resolve(compareCopies(refs, (blk, off, len) => store.raw.bytes(blk, off, len)));
        blocks.set(id, b);
      }
    }
    let inflated = 0;
    for (const b of blocks.values()) inflated += b.usize;
    return compareCopiesOffThread({ refs, blocks }, thread ?? (inflated <= COMPARE_HERE_BYTES ? 'here' : otherwise));
  }

  /** Writes every copy into `duplicates`, with what `compare` found (NULL when it could not tell). */
  record(store: Store, identical: Int8Array): void {
    if (this.copies.length === 0) return;
    const ins = store.db.prepare('INSERT INTO duplicates (source_id, source_index, event_id, kept_id, identical, blk, off, len) VALUES (?,?,?,?,?,?,?,?)');
    try {
      this.copies.forEach((c, i) => {
        const same = identical[i] ?? -1;
        ins.run([c.sourceId, c.index, c.eventId, c.kept, same < 0 ? null : same, c.blk, c.off, c.len]);
      });
    } finally {
      ins.free();
    }
  }
}
