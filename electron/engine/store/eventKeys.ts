/**
 * The deduplication key of every event kept, (recipientAccountId, eventID) → row id, in an
 * open-addressing hash table over typed arrays. A Map keyed by the eventID string cost ~1.4 µs a
 * lookup at a million events (one heap object per entry, scattered); here a probe is one slot read
 * and the strings are compared only when the 32-bit hashes already agree.
 */

/** FNV-1a over the UTF-16 code units of `s`, then the account id. */
function hashKey(s: string, account: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ account, 0x01000193) | 0;
}

export class EventKeys {
  /** Row id per slot (0: empty). */
  private slots = new Int32Array(1 << 16);
  private used = 0;
  /** Per row id: the key's hash, account and eventID. */
  private hashes = new Int32Array(1 << 16);
  private accounts = new Int32Array(1 << 16);
  private readonly ids: string[] = [];

  /** The key `find` hashed last, so that the `add` which usually follows does not hash it again. */
  private lastId = '';
  private lastAccount = -1;
  private lastHash = 0;

  /** The row kept for this key, or 0. */
  find(eventId: string, account: number): number {
    const h = hashKey(eventId, account);
    this.lastId = eventId;
    this.lastAccount = account;
    this.lastHash = h;
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const row = this.slots[i] as number;
      if (row === 0) return 0;
      if (this.hashes[row] === h && this.accounts[row] === account && this.ids[row] === eventId) return row;
    }
  }

  /** Records the key of row `row` (> 0), which `find` said was new. */
  add(eventId: string, account: number, row: number): void {
    if (row >= this.hashes.length) this.growRows(row + 1);
    if (2 * (this.used + 1) > this.slots.length) this.rehash();
    const h = eventId === this.lastId && account === this.lastAccount ? this.lastHash : hashKey(eventId, account);
    this.hashes[row] = h;
    this.accounts[row] = account;
    this.ids[row] = eventId;
    this.place(row, h);
    this.used++;
  }

  /** Forgets every key (the import is done with them), releasing the memory. */
  clear(): void {
    this.slots = new Int32Array(1 << 16);
    this.hashes = new Int32Array(1 << 16);
    this.accounts = new Int32Array(1 << 16);
    this.ids.length = 0;
    this.lastId = '';
    this.used = 0;
  }

  private place(row: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = row;
  }

  private growRows(min: number): void {
    const size = Math.max(min, this.hashes.length * 2);
    const h = new Int32Array(size);
    h.set(this.hashes);
    this.hashes = h;
    const a = new Int32Array(size);
    a.set(this.accounts);
    this.accounts = a;
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
