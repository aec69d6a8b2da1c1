/**
 * Scratch memory for the index sorts, taken from one buffer allocated once. At ten million events
 * every temporary array is 40–80 MB; allocated one by one, each counts as external memory to V8,
 * which answers with a full collection of a heap holding millions of strings (seconds each).
 */
export class Arena {
  private readonly buffer: ArrayBuffer;
  private at = 0;

  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(Math.max(0, Math.ceil(bytes / 8) * 8));
  }

  /** A zeroed Uint32Array of `n` from the arena (or a fresh one when the arena is full). */
  u32(n: number): Uint32Array {
    const at = this.take(n * 4);
    return at < 0 ? new Uint32Array(n) : new Uint32Array(this.buffer, at, n).fill(0);
  }

  f64(n: number): Float64Array {
    const at = this.take(n * 8);
    return at < 0 ? new Float64Array(n) : new Float64Array(this.buffer, at, n).fill(0);
  }

  /** Where the arena is; `release(mark)` gives back everything taken since. */
  mark(): number {
    return this.at;
  }

  release(mark: number): void {
    this.at = mark;
  }

  private take(bytes: number): number {
    const size = Math.ceil(bytes / 8) * 8;
    if (this.at + size > this.buffer.byteLength) return -1;
    const at = this.at;
    this.at += size;
    return at;
  }
}

/** A Uint32Array from `arena`, or a fresh one. */
export function u32(arena: Arena | undefined, n: number): Uint32Array {
  return arena ? arena.u32(n) : new Uint32Array(n);
}

export function f64(arena: Arena | undefined, n: number): Float64Array {
  return arena ? arena.f64(n) : new Float64Array(n);
}
