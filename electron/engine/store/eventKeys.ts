/**
 * The deduplication key of every event kept, (recipientAccountId, eventID) → row id, in an
 * open-addressing hash table over typed arrays. A Map keyed by the eventID string cost ~1.4 µs a
 * lookup at a million events (one heap object per entry, scattered); here a probe is one slot read
 * and the keys' bytes are compared only when the 32-bit hashes already agree.
 *
 * Keys are eventIDs as UTF-8 (as the parse workers send them, and as the store keeps them), so two
 * eventIDs that differ only in lone surrogates, which SQLite stores alike, are one key.
 */

import { copyBytes } from './image/record';

const encoder = new TextEncoder();

/** FNV-1a over the bytes, then the account id. */
function hashKey(b: Uint8Array, start: number, length: number, account: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + length; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return Math.imul(h ^ account, 0x01000193) | 0;
}

export class EventKeys {
  /** Row id per slot (0: empty). */
  private slots = new Int32Array(1 << 16);
  private used = 0;
  /** Per row id: the key's hash, account, and where its bytes are in `bytes`. */
  private hashes = new Int32Array(1 << 16);
  private accounts = new Int32Array(1 << 16);
  private starts = new Float64Array(1 << 16);
  private lengths = new Int32Array(1 << 16);
  private bytes = new Uint8Array(1 << 20);
  private usedBytes = 0;

  /** The key `find` hashed last, so that the `add` which usually follows does not hash it again. */
  private lastBytes: Uint8Array | null = null;
  private lastStart = -1;
  private lastAccount = -1;
  private lastHash = 0;

  /** The row kept for the key (`b[start, start + length)`, account), or 0. */
  find(b: Uint8Array, start: number, length: number, account: number): number {
    const h = hashKey(b, start, length, account);
    this.lastBytes = b;
    this.lastStart = start;
    this.lastAccount = account;
    this.lastHash = h;
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const row = this.slots[i] as number;
      if (row === 0) return 0;
      if (this.hashes[row] === h && this.accounts[row] === account && this.same(row, b, start, length)) return row;
    }
  }

  /** Records the key of row `row` (> 0), which `find` said was new. */
  add(b: Uint8Array, start: number, length: number, account: number, row: number): void {
    if (row >= this.hashes.length) this.growRows(row + 1);
    if (2 * (this.used + 1) > this.slots.length) this.rehash();
    const h = b === this.lastBytes && start === this.lastStart && account === this.lastAccount ? this.lastHash : hashKey(b, start, length, account);
    this.lastBytes = null;
    if (this.usedBytes + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(Math.ceil(this.bytes.length * 1.5), this.usedBytes + length));
      grown.set(this.bytes.subarray(0, this.usedBytes));
      this.bytes = grown;
    }
    copyBytes(this.bytes, this.usedBytes, b, start, length);
    this.starts[row] = this.usedBytes;
    this.lengths[row] = length;
    this.usedBytes += length;
    this.hashes[row] = h;
    this.accounts[row] = account;
    this.place(row, h);
    this.used++;
  }

  /** add() for an eventID given as a string (the events already in a case). */
  addText(eventId: string, account: number, row: number): void {
    const b = encoder.encode(eventId);
    this.add(b, 0, b.length, account, row);
  }

  /** Forgets every key (the import is done with them), releasing the memory. */
  clear(): void {
    this.slots = new Int32Array(1 << 16);
    this.hashes = new Int32Array(1 << 16);
    this.accounts = new Int32Array(1 << 16);
    this.starts = new Float64Array(1 << 16);
    this.lengths = new Int32Array(1 << 16);
    this.bytes = new Uint8Array(1 << 10);
    this.usedBytes = 0;
    this.lastBytes = null;
    this.used = 0;
  }

  private same(row: number, b: Uint8Array, start: number, length: number): boolean {
    if (this.lengths[row] !== length) return false;
    const bytes = this.bytes;
    const at = this.starts[row] as number;
    for (let i = 0; i < length; i++) if (bytes[at + i] !== b[start + i]) return false;
    return true;
  }

  private place(row: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = row;
  }

  private growRows(min: number): void {
    const size = Math.max(min, this.hashes.length * 2);
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const g = make(size);
      g.set(a);
      return g;
    };
    this.hashes = grow(this.hashes, (n) => new Int32Array(n));
    this.accounts = grow(this.accounts, (n) => new Int32Array(n));
    this.lengths = grow(this.lengths, (n) => new Int32Array(n));
    this.starts = grow(this.starts, (n) => new Float64Array(n));
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i++) {
      const row = old[i] as number;
      if (row !== 0) this.place(row, this.hashes[row] as number);
    }
  }
}
