/**
 * The deduplication key of every event kept, (recipientAccountId, eventID) → row id, in an
 * open-addressing hash table over typed arrays. A Map keyed by the eventID string cost ~1.4 µs a
 * lookup at a million events (one heap object per entry, scattered); here a probe is one slot read
 * and the keys' bytes are compared only when the 32-bit hashes already agree.
 *
 * Keys are eventIDs as UTF-8 (as the parse workers send them, and as the store keeps them), so two
 * eventIDs that differ only in lone surrogates, which SQLite stores alike, are one key.
 *
 * The import's string dictionary is one of these too: each string's UTF-8, with account 0, → its id.
 */

import { copyBytes, equalBytes } from './image/record';
import type { PackedTexts } from './packedTexts';
import { reassigned } from './reassigned';

const encoder = new TextEncoder();

/** FNV-1a over the bytes, then the account id. */
function hashKey(b: Uint8Array, start: number, length: number, account: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + length; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return Math.imul(h ^ account, 0x01000193) | 0;
}

export class EventKeys {
  /** Open addressing: per slot, the row id (0: empty) and the key's hash, side by side, so a probe reads one place. */
  private slots = new Int32Array(2 << 16);
  private used = 0;
  /** Per row id: the key's account, and where its bytes are in `bytes`. */
  private accounts = new Int32Array(1 << 16);
  private starts = new Float64Array(1 << 16);
  private lengths = new Int32Array(1 << 16);
  private bytes = new Uint8Array(1 << 20);
  private usedBytes = 0;

  /** The key `find` hashed last, and the empty slot it ended on, so that the `add` which usually follows does neither again. */
  private lastBytes: Uint8Array | null = null;
  private lastStart = -1;
  private lastLength = -1;
  private lastAccount = -1;
  private lastHash = 0;
  private lastSlot = -1;

  constructor() {
    reassigned(this, ['slots', 'accounts', 'starts', 'lengths', 'bytes']);
  }

  /** The row kept for the key (`b[start, start + length)`, account), or 0. */
  find(b: Uint8Array, start: number, length: number, account: number): number {
    const h = hashKey(b, start, length, account);
    this.lastBytes = b;
    this.lastStart = start;
    this.lastLength = length;
    this.lastAccount = account;
    this.lastHash = h;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const row = slots[2 * i] as number;
      if (row === 0) {
        this.lastSlot = i;
        return 0;
      }
      if (slots[2 * i + 1] === h && this.accounts[row] === account && this.same(row, b, start, length)) return row;
    }
  }

  /** Records the key of row `row` (> 0), which `find` said was new. */
  add(b: Uint8Array, start: number, length: number, account: number, row: number): void {
    if (row >= this.accounts.length) this.growRows(row + 1);
    const found = b === this.lastBytes && start === this.lastStart && length === this.lastLength && account === this.lastAccount;
    const h = found ? this.lastHash : hashKey(b, start, length, account);
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
    this.accounts[row] = account;
    if (2 * (this.used + 1) > this.slots.length >>> 1) this.rehash();
    else if (found) {
      this.slots[2 * this.lastSlot] = row;
      this.slots[2 * this.lastSlot + 1] = h;
      this.used++;
      return;
    }
    this.place(this.slots, row, h);
    this.used++;
  }

  /** add() for an eventID given as a string (the events already in a case). */
  addText(eventId: string, account: number, row: number): void {
    const b = encoder.encode(eventId);
    this.add(b, 0, b.length, account, row);
  }

  /**
   * The keys of rows 1..rows, row r + 1 at r, handed over: their bytes are the table's own, so the
   * table is cleared (every row from 1 to `rows` must have a key).
   */
  takeTexts(rows: number): PackedTexts {
    const texts = { count: rows, bytes: this.bytes.subarray(0, this.usedBytes), starts: Uint32Array.from(this.starts.subarray(1, rows + 1)), lengths: this.lengths.slice(1, rows + 1) };
    this.clear();
    return texts;
  }

  /** Forgets every key (the import is done with them), releasing the memory. */
  clear(): void {
    this.slots = new Int32Array(2 << 16);
    this.accounts = new Int32Array(1 << 16);
    this.starts = new Float64Array(1 << 16);
    this.lengths = new Int32Array(1 << 16);
    this.bytes = new Uint8Array(1 << 10);
    this.usedBytes = 0;
    this.lastBytes = null;
    this.used = 0;
  }

  private same(row: number, b: Uint8Array, start: number, length: number): boolean {
    return this.lengths[row] === length && equalBytes(this.bytes, this.starts[row] as number, b, start, length);
  }

  private place(slots: Int32Array, row: number, h: number): void {
    const mask = (slots.length >>> 1) - 1;
    let i = h & mask;
    while (slots[2 * i] !== 0) i = (i + 1) & mask;
    slots[2 * i] = row;
    slots[2 * i + 1] = h;
  }

  private growRows(min: number): void {
    const size = Math.max(min, this.accounts.length * 2);
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const g = make(size);
      g.set(a);
      return g;
    };
    this.accounts = grow(this.accounts, (n) => new Int32Array(n));
    this.lengths = grow(this.lengths, (n) => new Int32Array(n));
    this.starts = grow(this.starts, (n) => new Float64Array(n));
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      const row = old[i] as number;
      if (row !== 0) this.place(slots, row, old[i + 1] as number);
    }
    this.slots = slots;
  }
}
