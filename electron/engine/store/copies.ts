/**
 * Whether each dropped duplicate is byte for byte the record kept: both are read back from their raw
 * blocks, in the order of the blocks they need, so that a small cache of inflated blocks serves most
 * reads. A bulk import does this on a worker (offThread.ts): inflating ~20,000 log files on the main
 * thread at ten million events cost 27 s, most of it full collections of its large heap that each
 * freshly inflated buffer provoked.
 */
import { type RawBlock, inflate } from './rawBlocks';

/** Per copy: its (blk, off, len), then the kept record's. */
export const REF_WIDTH = 6;

export interface CopiesJob {
  readonly refs: Float64Array;
  /** Every block the refs name. */
  readonly blocks: ReadonlyMap<number, RawBlock>;
}

const CACHE_BLOCKS = 96;

/** Per copy: 1 when identical, 0 when not, -1 when either record cannot be read. */
export function compareCopies(job: CopiesJob, read?: (blk: number, off: number, len: number) => Uint8Array | undefined): Int8Array {
  const { refs } = job;
  const n = refs.length / REF_WIDTH;
  const at = (i: number, k: number): number => refs[i * REF_WIDTH + k] as number;
  const cache = new Map<number, Buffer>();
  const fromBlocks = (blk: number, off: number, len: number): Uint8Array | undefined => {
    let b = cache.get(blk);
    if (!b) {
      const raw = job.blocks.get(blk);
      if (!raw) return undefined;
      b = inflate(raw);
      cache.set(blk, b);
      if (cache.size > CACHE_BLOCKS) cache.delete(cache.keys().next().value as number);
    }
    return off >= 0 && off + len <= b.length ? b.subarray(off, off + len) : undefined;
  };
  const bytes = read ?? fromBlocks;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => at(x, 3) - at(y, 3) || at(x, 0) - at(y, 0));
  const out = new Int8Array(n);
  for (const i of order) {
    const a = bytes(at(i, 0), at(i, 1), at(i, 2));
    const b = bytes(at(i, 3), at(i, 4), at(i, 5));
    out[i] = a && b ? (Buffer.from(a.buffer, a.byteOffset, a.length).equals(b) ? 1 : 0) : -1;
  }
  return out;
}
